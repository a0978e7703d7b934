#!/usr/bin/env bash
# npm test: every test tier, one summary, one closing line "N passed, N failed".
#   package npm run package, the VSIX's file list, size, README links, manifest (test/harness/vsix.mjs)
#   node    mocha on test/{unit,cli,hook,reliability} (tsx, see .mocharc.json): core + real git
#   vscode  mocha inside a real VS Code extension host (code-server, test/harness/run-ext-tests.mjs)
#   ui      the workbench in headless Chromium (test/ui/run.mjs)
# The vscode and ui tiers run on the packaged VSIX installed into code-server (what users get), so
# they need the package tier; a VSIX that cannot be built fails them too.
# Installs what the VS Code tiers need when missing (Debian packages when root, code-server into
# ${FO_CACHE:-~/.cache/feature-ownership}). A failed build, or a tier that cannot run, counts as
# one failure.
# Env: FO_TIERS="package node vscode ui" selects tiers.
set -uo pipefail
cd "$(dirname "$0")/.."
# A fresh clone: install the npm dependencies first (one command sets everything up).
[ -d node_modules/.bin ] || npm ci --no-audit --no-fund
OUT=.test-output
mkdir -p "$OUT"
TIERS=" ${FO_TIERS:-package node vscode ui} "
T_ALL=$(date +%s%N)
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
secs() { awk -v m="$1" 'BEGIN { printf "%.1fs", m / 1000 }'; }

PASSED=0; FAILED=0; ROWS=()
record() { # tier passed failed millis [note]
  PASSED=$((PASSED + $2)); FAILED=$((FAILED + $3))
  ROWS+=("$(printf '  %-10s %4d passed %4d failed  %7s  %s' "$1" "$2" "$3" "$(secs "$4")" "${5:-}")")
}
section() { printf '\n=== %s\n' "$*"; }
# A tier's own closing line would look like ours; indent it so ours stays the only one.
relabel() { sed -u -E "s/^([0-9]+ passed, [0-9]+ failed)$/  [$1] \\1/"; }
has_tier() { [[ "$TIERS" == *" $1 "* ]]; }

VSCODE_OK=1
VSIX=dist/feature-ownership.vsix
if has_tier vscode || has_tier ui || has_tier package; then
  section "setup: Debian packages, code-server"
  t=$(date +%s%N)
  if bash test/harness/system-deps.sh && bash test/harness/install-code-server.sh >/dev/null; then
    echo "ready ($(secs "$(ms "$t")"))"
  else
    VSCODE_OK=0; record setup 0 1 "$(ms "$t")" "could not install code-server/chromium"
  fi
fi

section "build: extension, CLI, extension-host tests"
t=$(date +%s%N)
if npm run --silent build && node test/vscode/build.mjs; then
  record build 0 0 "$(ms "$t")"
else
  VSCODE_OK=0; record build 0 1 "$(ms "$t")" "build failed"
fi

if has_tier package || has_tier vscode || has_tier ui; then
  section "package: the VSIX users install"
  t=$(date +%s%N)
  rm -f "$VSIX"
  out=$(node test/harness/vsix.mjs 2>&1)
  relabel package <<<"$out"
  p=0; f=1
  [[ "$(tail -1 <<<"$out")" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]] && p=${BASH_REMATCH[1]} && f=${BASH_REMATCH[2]}
  record package "$p" "$f" "$(ms "$t")" "$([ -f "$VSIX" ] && echo "VSIX $(du -k "$VSIX" | cut -f1) KB" || echo 'no VSIX')"
  # Packaging rebuilt dist/ minified; the node tier's tests run dist/cli.js from the development build.
  npm run --silent build
  [ -f "$VSIX" ] || VSCODE_OK=0
fi

if has_tier node; then
  section "node tier (mocha)"
  t=$(date +%s%N)
  rm -f "$OUT/node/results.json"
  npx mocha --reporter json --reporter-option "output=$OUT/node/results.json" 2>&1 | grep -v '^$' | relabel node
  rep=$(node test/harness/report.mjs mocha "$OUT/node/results.json")
  sed '$d' <<<"$rep"
  read -r p f <<<"$(tail -1 <<<"$rep")"
  record node "$p" "$f" "$(ms "$t")"
fi

if has_tier vscode || has_tier ui; then
  # The node tier writes and deletes large temporary repositories (100k files); let the disk settle
  # before code-server starts, and say how long that took and how busy the machine is.
  t=$(date +%s%N); sync
  echo "disk settled in $(secs "$(ms "$t")"); load $(cut -d' ' -f1-3 /proc/loadavg)"
fi

if has_tier vscode; then
  section "extension-host tier (code-server + mocha)"
  t=$(date +%s%N)
  if [ "$VSCODE_OK" = 1 ]; then
    node test/harness/run-ext-tests.mjs --vsix "$VSIX" 2>&1 | relabel vscode
    read -r p f < <(node test/harness/report.mjs vscode "$OUT/vscode/results.json" | tail -1)
    record vscode "$p" "$f" "$(ms "$t")"
  else
    echo "skipped: setup or build failed"; record vscode 0 1 0 "could not run"
  fi
fi

if has_tier ui; then
  section "UI tier (code-server + Chromium)"
  t=$(date +%s%N)
  if [ "$VSCODE_OK" = 1 ]; then
    rm -f "$OUT/ui/results.json"
    node test/ui/run.mjs --vsix "$VSIX" 2>&1 | relabel ui
    read -r p f < <(node test/harness/report.mjs ui "$OUT/ui/results.json" | tail -1)
    record ui "$p" "$f" "$(ms "$t")"
  else
    echo "skipped: setup or build failed"; record ui 0 1 0 "could not run"
  fi
fi

section "summary ($(secs "$(ms "$T_ALL")"))"
printf '%s\n' "${ROWS[@]}"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
