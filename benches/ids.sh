#!/usr/bin/env bash
# Benchmark of requirement-ID scaling: one feature whose spec defines N requirement IDs (ten
# deployment scenarios, each naming a tenth of them on its `**Requirements**` line), planned
# (a traceability row per ID) and broken into tasks that cite them, for N = 10,000, 50,000 and
# 100,000. Times `check`, `list`, `plan --force` and `tasks --force` with the release binary;
# linear cost shows as a flat "per 1k IDs" column.
#
# Usage: benches/ids.sh [RUNS] [COUNTS…]     (defaults: 3 runs, best reported; 10000 50000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shift || true
counts=("$@")
[[ ${#counts[@]} -gt 0 ]] || counts=(10000 50000 100000)
bin=${CARGO_TARGET_DIR:-target}/release/specops
[[ -x $bin ]] || cargo build --release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

best() { # best wall time in ms of "$@", run $runs times after one warm-up
  "$@" >/dev/null 2>&1 || true
  local b=999999999 s e
  for _ in $(seq "$runs"); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    (( (e - s) / 1000000 < b )) && b=$(( (e - s) / 1000000 ))
  done
  echo "$b"
}

echo "$(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)); best of $runs runs"
printf '%-8s %-14s %9s %14s\n' IDs command ms "ms per 1k IDs"
for n in "${counts[@]}"; do
  repo="$work/$n"
  mkdir -p "$repo"
  "$bin" -C "$repo" init --no-git >/dev/null
  dir="$repo/specs/001-scale"
  mkdir -p "$dir/checklists"
  awk -v n="$n" -v dir="$dir" 'BEGIN {
    spec = dir "/spec.md"
    print "# Infrastructure Specification: Scale\n\n**Feature**: `001-scale` | **Created**: 2026-11-25 | **Status**: Clarified\n\n## Deployment Scenarios\n" > spec
    per = int((n + 9) / 10)
    for (s = 0; s < 10; s++) {
      printf "### Scenario %d: Capability group %d (Priority: P%d)\n\nTenants get capability group %d.\n\n**Requirements**: ", s + 1, s + 1, s % 3 + 1, s + 1 > spec
      line = ""
      for (i = s * per + 1; i <= (s + 1) * per && i <= n; i++) line = line (line == "" ? "" : ", ") sprintf("IR-%06d", i)
      print line "\n\n1. **Given** a tenant, **When** it asks, **Then** it is served.\n" > spec
    }
    print "## Requirements\n" > spec
    for (i = 1; i <= n; i++) printf "- **IR-%06d**: The platform MUST provide capability %d to every tenant.\n", i, i > spec
    print "\n## Success Criteria\n\n- **SC-001**: Every capability is usable within 15 minutes.\n\n## Environments and Topology\n\n| Environment | Purpose |\n|---|---|\n| prod | tenants |" > spec
    close(spec)
    list = dir "/checklists/requirements.md"
    print "# Specification Quality Checklist: Scale\n\n## Content Quality\n\n- [x] Every requirement is testable\n" > list
  }'
  "$bin" -C "$repo" plan --feature 1 "Terraform for provisioning" >/dev/null
  "$bin" -C "$repo" tasks --feature 1 >/dev/null
  for cmd in "check" "list" "plan --force --feature 1 Terraform" "tasks --force --feature 1"; do
    # shellcheck disable=SC2086 # the command's words
    ms=$(best "$bin" -C "$repo" $cmd)
    awk -v n="$n" -v c="${cmd%% *}" -v ms="$ms" 'BEGIN { printf "%-8d %-14s %9d %14.2f\n", n, c, ms, ms / (n / 1000) }'
  done
  rm -rf "$repo"
done
