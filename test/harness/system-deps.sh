#!/usr/bin/env bash
# Makes sure the Debian packages the VS Code tiers need are present:
#   chromium     the browser playwright-core drives (never `npx playwright install`: it downloads)
#   libkrb5-dev  code-server's native `kerberos` module builds against it
#   ripgrep      seeds @vscode/ripgrep's download cache (its postinstall would fetch from GitHub)
#   git          fixtures are real repositories; the built-in Git extension needs it
#   unzip        lists the packaged VSIX's files (test/harness/vsix.mjs)
# Installs what is missing when running as root, otherwise says what to install and fails.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
command -v git >/dev/null 2>&1 || missing+=(git)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "system-deps: missing Debian packages: ${missing[*]} (run as root or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
