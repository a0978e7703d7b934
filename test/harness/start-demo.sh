#!/usr/bin/env bash
# npm start: try the extension by hand. Builds and packages it, installs the VSIX into a sandboxed
# code-server, creates a demo repository (three features in OWNERSHIP.yml, staged changes that
# leave tests, docs and release notes missing) and serves VS Code on 127.0.0.1 until Ctrl-C.
# Env: FO_DEMO_PORT (default: any free port), FO_CACHE (code-server install location).
set -euo pipefail
cd "$(dirname "$0")/../.."
HARNESS=test/harness
# A fresh clone: install the npm dependencies first (one command sets everything up).
[ -d node_modules/.bin ] || npm ci --no-audit --no-fund

bash "$HARNESS/system-deps.sh"
ENTRY=$(bash "$HARNESS/install-code-server.sh")

echo "== packaging"
VSIX=dist/feature-ownership.vsix
rm -f "$VSIX"
# What users install, or nothing: a demo of the development folder would hide a VSIX that cannot
# be built (the failure CI's package tier also catches).
if ! npm run --silent package || [ ! -f "$VSIX" ]; then
  echo "npm start: packaging the extension failed (npm run package, output above); no demo without a VSIX" >&2
  exit 1
fi

RUN=$(mktemp -d /tmp/fo-demo-XXXXXX)
PID=""
cleanup() {
  [ -n "$PID" ] && kill -TERM -- "-$PID" 2>/dev/null && sleep 1 && kill -KILL -- "-$PID" 2>/dev/null
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RUN/e"
XDG_CONFIG_HOME="$RUN/xdg" node "$ENTRY" --extensions-dir "$RUN/e" --install-extension "$VSIX" >/dev/null

REPO="$RUN/shop"
node --input-type=module -e '
  import { makeStandardFixture } from "./test/harness/fixtures.mjs";
  makeStandardFixture(process.argv[1]);
' "$REPO"

CS_ENTRY="$ENTRY" CS_PORT="${FO_DEMO_PORT:-0}" bash "$HARNESS/start-code-server.sh" "$RUN/s" "$RUN/e"
PID=$(cat "$RUN/s/pid")
PORT=$(cat "$RUN/s/port")

cat <<MSG

  Feature Ownership demo is running (loopback only).

    Open:  http://127.0.0.1:$PORT/?folder=$REPO

  Demo repository: $REPO
    staged: src/checkout/cart.ts            (checkout: tests, docs, release notes missing)
            src/search/rank.ts + its test   (search: docs missing)
  Look at: the Ownership view in the activity bar, the status bar item, Source Control.
  Remote machine? ssh -L $PORT:127.0.0.1:$PORT <host>, then open the URL locally.
  Server log: $RUN/s/cs.log     Stop: Ctrl-C

MSG
while kill -0 "$PID" 2>/dev/null; do sleep 1; done
echo "code-server exited"
