#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the last release that runs on Node 20) into
#   ${FO_CACHE:-$HOME/.cache/feature-ownership}/code-server-4.100.3
# and prints the path of its entry point (out/node/entry.js) on stdout.
#
# On demand and idempotent, never a devDependency: it is ~300 MB with native modules that take
# a minute or two to build, and only the VS Code test tiers need it. A `.complete` marker is
# written last, so an interrupted install is redone; a lock lets parallel runs share one install.
# Env: FO_CACHE (cache root), NPM_CACHE (npm cache folder, default npm's own).
set -euo pipefail

CS_VERSION=4.100.3
# Version of @vscode/ripgrep's release cache and of the rg build it asks for (code-server 4.100.3).
RG_CACHE=vscode-ripgrep-cache-1.15.11
RG_TARBALL=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

CACHE=${FO_CACHE:-$HOME/.cache/feature-ownership}
DEST=$CACHE/code-server-$CS_VERSION
ENTRY=$DEST/node_modules/code-server/out/node/entry.js
log() { echo "install-code-server: $*" >&2; }

# True when the install is usable: entry point present, postinstall ran (ripgrep + node-pty built).
usable() {
  [ -f "$ENTRY" ] &&
    [ -x "$DEST/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] &&
    [ -f "$DEST/node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node" ] &&
    XDG_CONFIG_HOME="$DEST/.xdg" node "$ENTRY" --version >/dev/null 2>&1
}

mkdir -p "$CACHE"
if [ -f "$DEST/.complete" ] && [ -f "$ENTRY" ]; then echo "$ENTRY"; exit 0; fi

exec 9>"$CACHE/.install-code-server.lock"
flock 9
# Someone else may have finished while we waited, or an earlier install lacks only the marker.
if [ -f "$DEST/.complete" ] || usable; then touch "$DEST/.complete"; echo "$ENTRY"; exit 0; fi

bash "$(dirname "$0")/system-deps.sh"

t0=$(date +%s)
log "installing code-server@$CS_VERSION into $DEST (about 2 minutes)"
rm -rf "$DEST"; mkdir -p "$DEST"
# code-server's postinstall installs VS Code's server dependencies, among them @vscode/ripgrep,
# whose own postinstall downloads rg from GitHub (unreachable here). It first looks in
# os.tmpdir()/<RG_CACHE>/, so a tarball of Debian's rg there answers it offline.
export TMPDIR="$DEST/.tmp"
mkdir -p "$TMPDIR/$RG_CACHE"
stage=$(mktemp -d)
cp "$(command -v rg)" "$stage/rg"
tar czf "$TMPDIR/$RG_CACHE/$RG_TARBALL" -C "$stage" rg
rm -rf "$stage"

cd "$DEST"
echo '{"name":"fo-code-server-host","version":"1.0.0","private":true}' > package.json
# As root, npm would otherwise drop privileges for lifecycle scripts (older npm) ...
export npm_config_unsafe_perm=true
# ... and node-pty's install runs `npx node-gyp`, which without a TTY waits for a "yes".
export npm_config_yes=true
args=(install --no-audit --no-fund --no-save "code-server@$CS_VERSION")
[ -n "${NPM_CACHE:-}" ] && args+=(--cache "$NPM_CACHE")
if ! npm "${args[@]}" > "$DEST/install.log" 2>&1 < /dev/null; then
  tail -40 "$DEST/install.log" >&2; log "npm install failed (log: $DEST/install.log)"; exit 1
fi
if ! usable; then
  tail -40 "$DEST/install.log" >&2; log "installed, but code-server's postinstall did not complete"; exit 1
fi
touch "$DEST/.complete"
log "done in $(( $(date +%s) - t0 )) s"
echo "$ENTRY"
