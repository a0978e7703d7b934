#!/usr/bin/env bash
# The script the composite action (action.yml) runs. It only reads the environment GitHub sets:
#   GITHUB_ACTION_PATH   this repository, checked out by the runner (the CLI is built here if needed)
#   GITHUB_WORKSPACE     the user's checkout (needs its history: actions/checkout with fetch-depth: 0)
#   GITHUB_BASE_REF      the pull request's base branch (pull_request events only)
#   GITHUB_STEP_SUMMARY  the file whose Markdown becomes the job summary
# and OWNERSHIP_BASE / _STRICT / _OWED / _DIR / _PUSH_BEFORE from the action's inputs.
# Exit status: the check's (1 when gaps remain in strict mode), 2 on a usage or git error.
set -uo pipefail

action="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: run this through action.yml}"
cli="$action/dist/cli.js"
if [ ! -f "$cli" ]; then
  echo "Building the ownership CLI…"
  (cd "$action" && npm ci --no-audit --no-fund --loglevel=error && node esbuild.mjs --production) >&2 || { echo "::error title=Ownership::could not build the ownership CLI"; exit 2; }
fi

cd "${GITHUB_WORKSPACE:-.}" && cd "${OWNERSHIP_DIR:-.}" || exit 2

base="${OWNERSHIP_BASE:-}"
if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then base="origin/$GITHUB_BASE_REF"; fi
if [ -z "$base" ] && [ -n "${OWNERSHIP_PUSH_BEFORE:-}" ] && [ "${OWNERSHIP_PUSH_BEFORE}" != "0000000000000000000000000000000000000000" ]; then base="$OWNERSHIP_PUSH_BEFORE"; fi
if [ -z "$base" ]; then base="HEAD~1"; fi

strict=()
if [ "${OWNERSHIP_STRICT:-false}" = "true" ]; then strict=(--strict); fi

# Annotations: workflow commands on stdout, which the runner reads.
node "$cli" check --base "$base" --head HEAD --format github "${strict[@]}"
status=$?
if [ "$status" -ge 2 ]; then exit "$status"; fi

summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
node "$cli" check --base "$base" --head HEAD --format markdown >> "$summary" || exit 2
if [ "${OWNERSHIP_OWED:-true}" = "true" ]; then
  node "$cli" report --owed --format markdown >> "$summary" || exit 2
fi
exit "$status"
