#!/usr/bin/env bash
# Starts an isolated code-server on 127.0.0.1 and returns once /healthz answers.
# Usage: start-code-server.sh STATE_DIR EXTENSIONS_DIR [extra code-server args...]
# Writes STATE_DIR/port, STATE_DIR/pid (also its process-group id) and STATE_DIR/cs.log.
# Stop it with `kill -TERM -- -$(cat STATE_DIR/pid)`: every page load starts an extension host
# that outlives the page, so the whole group has to go.
# Env: CS_ENTRY (default: the install-code-server.sh location); CS_PORT (default 0: any free
# port); CS_START_TIMEOUT (seconds to wait for /healthz, default 180: a loaded CI machine's first
# start can be slow); CS_TRUST=1 turns workspace trust on (every folder opens untrusted, in Restricted Mode, with
# VS Code's trust dialog); everything else in the environment (e.g. FO_TEST_RESULTS) reaches the
# extension hosts.
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 STATE_DIR EXTENSIONS_DIR [code-server args...]" >&2; exit 2; }
STATE=$(realpath -m "$1"); EXTDIR=$(realpath -m "$2"); shift 2
CS_ENTRY=${CS_ENTRY:-${FO_CACHE:-$HOME/.cache/feature-ownership}/code-server-4.100.3/node_modules/code-server/out/node/entry.js}
[ -f "$CS_ENTRY" ] || { echo "code-server not installed at $CS_ENTRY (run test/harness/install-code-server.sh)" >&2; exit 1; }

# Servers and extension hosts put vscode-ipc-<uuid>.sock / vscode-git-<hex>.sock in os.tmpdir();
# unix socket paths are limited to 107 bytes, so the per-run folder must stay short.
if [ $(( ${#STATE} + 50 )) -gt 107 ]; then
  echo "state dir too long for unix sockets (${#STATE} chars): $STATE" >&2; exit 1
fi
mkdir -p "$STATE/ud/User" "$STATE/xdg/config" "$STATE/xdg/data" "$STATE/t" "$EXTDIR"
rm -f "$STATE/port" "$STATE/pid"

# Nothing under $HOME: code-server would write ~/.config/code-server/config.yaml, VS Code its
# caches, and the extension host its sockets under /tmp.
export XDG_CONFIG_HOME="$STATE/xdg/config" XDG_DATA_HOME="$STATE/xdg/data" TMPDIR="$STATE/t"

# Quiet, deterministic workbench: no trust prompt, welcome page, walkthroughs, chat, telemetry,
# update checks or git fetches, so that what tests see comes from the workspace alone.
TRUST=false; TRUST_ARG=--disable-workspace-trust
if [ "${CS_TRUST:-0}" = 1 ]; then TRUST=true; TRUST_ARG=; fi
cat > "$STATE/ud/User/settings.json" <<JSON
{
  "security.workspace.trust.enabled": $TRUST,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.enableExperiments": false,
  "window.restoreWindows": "none",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "git.autofetch": false,
  "git.openRepositoryInParentFolders": "never",
  "chat.commandCenter.enabled": false
}
JSON

t0=$(date +%s%N)
# Port 0: the kernel picks a free port, so parallel runs never race for one; the log names it.
# Always loopback: --auth none must never face a network.
PORT_ARG=${CS_PORT:-0}
[[ "$PORT_ARG" =~ ^[0-9]+$ ]] || { echo "CS_PORT must be a number" >&2; exit 2; }
setsid node "$CS_ENTRY" \
  --bind-addr "127.0.0.1:$PORT_ARG" --auth none --disable-telemetry --disable-update-check \
  $TRUST_ARG --disable-getting-started-override --ignore-last-opened --disable-proxy \
  --user-data-dir "$STATE/ud" --extensions-dir "$EXTDIR" --config "$STATE/config.yaml" "$@" \
  > "$STATE/cs.log" 2>&1 < /dev/null &
pid=$!
echo "$pid" > "$STATE/pid"

LIMIT=${CS_START_TIMEOUT:-180}
[[ "$LIMIT" =~ ^[0-9]+$ ]] || { echo "CS_START_TIMEOUT must be a number of seconds" >&2; exit 2; }
while [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt "$LIMIT" ]; do
  port=$(sed -n 's#.*HTTP server listening on http://127\.0\.0\.1:\([0-9][0-9]*\)/.*#\1#p' "$STATE/cs.log" | head -1)
  if [ -n "$port" ] && curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then
    echo "$port" > "$STATE/port"
    echo "code-server pid $pid listening on 127.0.0.1:$port ($(( ($(date +%s%N) - t0) / 1000000 )) ms)" >&2
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "code-server exited during start-up:" >&2; tail -30 "$STATE/cs.log" >&2; exit 1
  fi
  sleep 0.1
done
echo "code-server did not answer within $LIMIT s (load: $(cut -d' ' -f1-3 /proc/loadavg)); its log:" >&2
tail -30 "$STATE/cs.log" >&2
echo "busiest processes:" >&2; ps -eo pid,pcpu,rss,etime,args --sort=-pcpu 2>/dev/null | head -8 | cut -c1-200 >&2
kill -TERM -- "-$pid" 2>/dev/null || true
exit 1
