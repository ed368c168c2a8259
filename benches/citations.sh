#!/usr/bin/env bash
# Benchmark of the citation scan (where infrastructure code cites requirement IDs): generates
# a repository of FILES Terraform, YAML, Python and Go files (a quarter each, ten to a folder,
# a few KB each, three or four comments citing IDs among decoys in strings), plus an ignored
# build folder, a .terraform cache and a specs folder that the scan leaves out; scans it from
# the work tree and from the git index (`cargo bench --bench citations`), and times
# `grep -rnE '[A-Z]+-[0-9]+'` over the same files in the same run.
#
# Usage: benches/citations.sh [FILES] [RUNS]     (defaults: 10000 files, 11 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-10000}
runs=${2:-11}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

awk -v files="$files" -v root="$work" '
function body(kind, n,   s, i) {
  s = ""
  if (kind == "tf") {
    s = "# Tenant module " n ": serves IR-" sprintf("%03d", n % 40 + 1) "\n"
    for (i = 0; i < 6; i++)
      s = s "resource \"kubernetes_namespace\" \"tenant_" i "\" {\n  metadata {\n    name   = \"tenant-" n "-" i "\"\n    labels = { team = \"platform\", ticket = \"PLAT-" n "\" }\n  }\n}\n\n"
    s = s "variable \"quota\" {\n  type    = number\n  default = 10 # IR-" sprintf("%03d", n % 40 + 2) " and 003/IR-" sprintf("%03d", n % 12 + 1) "\n}\n/* Reviewed for\n   SEC-" n % 9 + 1 " */\n"
  } else if (kind == "yaml") {
    s = "# IR-" sprintf("%03d", n % 40 + 1) ": tenant workload " n "\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-" n "\n  labels:\n    ticket: \"PLAT-" n "\"\nspec:\n  replicas: 3 # IR-" sprintf("%03d", n % 40 + 3) "\n  template:\n    spec:\n      containers:\n"
    for (i = 0; i < 8; i++)
      s = s "        - name: c" i "\n          image: registry.example.com/app-" n ":1." i "\n          args: [\"--tenant\", \"t-" i "\", \"--req\", \"IR-" sprintf("%03d", i + 1) "\"]\n          resources: {limits: {cpu: 500m, memory: 256Mi}}\n"
  } else if (kind == "py") {
    s = "\"\"\"Tool " n ": rotates tenant credentials.\"\"\"\nimport os  # IR-" sprintf("%03d", n % 40 + 1) "\n\n"
    for (i = 0; i < 8; i++)
      s = s "def rotate_" i "(tenant):\n    name = \"IR-" sprintf("%03d", i + 1) "\"  # the string is no citation\n    for key in os.environ:\n        if key.startswith(\"TENANT_\"):\n            print(tenant, key, name)\n    return " i "\n\n"
    s = s "# IR-" sprintf("%03d", n % 40 + 4) " to IR-" sprintf("%03d", n % 40 + 6) "\n"
  } else {
    s = "// Package svc" n " serves tenants. IR-" sprintf("%03d", n % 40 + 1) "\npackage main\n\nimport \"fmt\"\n\n"
    for (i = 0; i < 8; i++)
      s = s "func handler" i "(tenant string) string {\n\turl := \"https://example.com/IR-" sprintf("%03d", i + 1) "\"\n\treturn fmt.Sprintf(\"%s/%s\", url, tenant) // IR-" sprintf("%03d", n % 40 + 7) "\n}\n\n"
  }
  return s
}
function put(path, text) { printf "%s", text > path; close(path) }
BEGIN {
  split("tf yaml py go", kinds, " ")
  split("modules k8s scripts cmd", tops, " ")
  split("main.tf deployment.yaml tool.py main.go", names, " ")
  for (n = 0; n < files; n++) {
    k = n % 4 + 1
    dir = sprintf("%s/%s/group-%d/unit-%d", root, tops[k], int(n / 400), int(n / 40))
    if (!(dir in made)) { system("mkdir -p " dir); made[dir] = 1 }
    put(sprintf("%s/%d-%s", dir, n, names[k]), body(kinds[k], n))
  }
  # Left out of the scan: an ignored build folder, a .terraform cache, the specs.
  system("mkdir -p " root "/build " root "/.terraform/modules " root "/specs/003-tenants")
  for (n = 0; n < 200; n++) {
    put(sprintf("%s/build/gen-%d.tf", root, n), body("tf", n))
    put(sprintf("%s/.terraform/modules/m-%d.tf", root, n), body("tf", n))
  }
  put(root "/.gitignore", "build/\n")
  put(root "/specs/003-tenants/spec.md", "# Spec\n\n- **IR-001**: Tenants are isolated.\n")
}'
git -C "$work" init -q
git -C "$work" add -A

count=$(find "$work" -type f -not -path '*/.git/*' -not -path '*/build/*' -not -path '*/.terraform/*' -not -path '*/specs/*' -not -name .gitignore | wc -l)
bytes=$(find "$work" -type f -not -path '*/.git/*' -not -path '*/build/*' -not -path '*/.terraform/*' -not -path '*/specs/*' -not -name .gitignore -print0 | xargs -0 cat | wc -c)
echo "corpus: $count files to scan, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, plus 400 left out; $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo))"

cargo bench --quiet --bench citations -- "$work" "$runs" 2>/dev/null

grep_ms() { # best wall time in ms of grep over the files the scan reads
  local b=999999999 s e
  grep -rnE '[A-Z]+-[0-9]+' --exclude-dir=.git --exclude-dir=build --exclude-dir=.terraform --exclude-dir=specs "$work" >/dev/null || true
  for _ in $(seq "$runs"); do
    s=$(date +%s%N)
    grep -rnE '[A-Z]+-[0-9]+' --exclude-dir=.git --exclude-dir=build --exclude-dir=.terraform --exclude-dir=specs "$work" >/dev/null || true
    e=$(date +%s%N)
    (( (e - s) / 1000000 < b )) && b=$(( (e - s) / 1000000 ))
  done
  echo "$b"
}
printf '%-10s best %8d ms   (grep -rnE %s, same files)\n' "grep" "$(grep_ms)" "'[A-Z]+-[0-9]+'"
