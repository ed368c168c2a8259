#!/usr/bin/env bash
# Every speed and size figure the product promises, measured on this machine and printed as one
# Markdown table (the one in the README's "Speed and size" section):
#
# - `specify --dry-run` with 10,000 branches and 2,000 feature folders (`cargo bench --bench
#   specify`, loose refs and packed-refs, median of 21 runs);
# - `check` MB/s over 10,000 generated spec documents next to `grep -rn` (benches/check.sh);
# - start-up: `specops --version`, median of many runs;
# - the size of the release binary.
#
# Usage: benches/bench.sh [FILES] [RUNS]     (defaults: 10000 files, 5 runs of each check)
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-10000}
runs=${2:-5}
bin=target/release/specops
starts=300

cargo build --release --quiet
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== specify (cargo bench --bench specify)" >&2
cargo bench --quiet --bench specify 2>/dev/null | tee "$log" >&2
# "  specops specify --dry-run       5.60 ms  [4.90 ms]" under "loose refs:" / "packed-refs:"
specify() {
  awk -v want="$1" '/^[a-z-]+ ?[a-z-]*:$/ { section = $0 }
    section == want && /specify --dry-run/ { print $4 }' "$log"
}
loose=$(specify "loose refs:")
packed=$(specify "packed-refs:")

echo "== check (benches/check.sh $files $runs)" >&2
benches/check.sh "$files" "$runs" | tee "$log" >&2
corpus=$(awk '/^corpus:/ { print $2 " files, " $4 " MB" }' "$log" | sed -E ':a; s/([0-9])([0-9]{3})( files)/\1,\2\3/; ta')
# "specops check --format json    140 ms      322 MB/s"
field() { awk -v want="$1" -v f="$2" 'index($0, want) == 1 { print $(NF - f) }' "$log"; }
check_ms=$(field "specops check --format json" 3)
check_mbs=$(field "specops check --format json" 1)
grep_ms=$(field "grep -rn" 3)
grep_mbs=$(field "grep -rn" 1)
ratio=$(awk -v a="$check_ms" -v b="$grep_ms" 'BEGIN { printf "%.2f", a / b }')

echo "== start-up ($starts runs of specops --version)" >&2
# Bash's own clock ($EPOCHREALTIME) around each run, so no timer process is counted.
times=()
for _ in $(seq "$starts"); do
  s=$EPOCHREALTIME
  "$bin" --version >/dev/null
  e=$EPOCHREALTIME
  times+=("$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", (e - s) * 1000 }')")
done
startup=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END { printf "%.2f", t[int((NR + 1) / 2)] }')

size=$(stat -c %s "$bin")
size_mb=$(awk -v b="$size" 'BEGIN { printf "%.1f", b / 1e6 }')

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1024 / 1024 }' /proc/meminfo)
os=$(. /etc/os-release && echo "$PRETTY_NAME")
cat <<EOF

Machine: $(nproc) CPUs ($cpu), $mem memory, $os, Linux $(uname -r).

| Figure | Goal | Measured |
|---|---|---|
| \`specify --dry-run\`, 10,000 branches (loose refs), 2,000 feature folders | under 50 ms | $loose ms |
| \`specify --dry-run\`, 10,000 branches (packed-refs), 2,000 feature folders | under 50 ms | $packed ms |
| \`check --format json\` over $corpus | at least 200 MB/s | $check_mbs MB/s ($check_ms ms) |
| \`grep -rn 'NEEDS CLARIFICATION'\` over the same files | baseline | $grep_mbs MB/s ($grep_ms ms) |
| \`check\` time ÷ \`grep\` time | low | $ratio |
| \`specops --version\` (median of $starts) | under 5 ms | $startup ms |
| release binary | under 15 MB | $size_mb MB |
EOF
