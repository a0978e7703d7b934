// Installs and removes the `pre-commit` and `commit-msg` hooks.
//
// Layout. The hook files hold no machine-specific path, so they are safe in a shared, committed
// hooks folder (core.hooksPath, husky): they call a per-clone runner, `<common git dir>/ownership/
// hook.sh`, which records what runs the CLI on this machine (inside VS Code, the editor's own
// runtime with ELECTRON_RUN_AS_NODE=1; from a terminal, the Node that ran `ownership hook install`)
// — `node` is often not on PATH when VS Code commits (husky#912).
//
// Never lose a hook. A hook already in place is moved aside to `<hook>.ownership-chained` (a
// rename keeps its bytes and mode exactly), run first by ours, and renamed back on uninstall.
// With husky, our call goes into a clearly delimited block of the user's `.husky/<hook>` script,
// and uninstall cuts exactly that block out again.
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Git } from './git';

const HOOKS = ['pre-commit', 'commit-msg'] as const;
type HookName = (typeof HOOKS)[number];

/** What runs `ownership`: `node cli` (with ELECTRON_RUN_AS_NODE=1 when `node` is an Electron app). */
export interface HookRuntime {
  node: string;
  cli: string;
  electron: boolean;
}

const CHAINED_SUFFIX = '.ownership-chained';
const BEGIN = '# >>> ownership commit check >>>';
const END = '# <<< ownership commit check <<<';
/** Tags on the BEGIN line say what uninstall must undo besides removing the block. */
const TAG_NEW_FILE = ' [new file]';
const TAG_NEWLINE = ' [newline added]';
const BLOCK_RE = /# >>> ownership commit check >>>( \[[a-z ]+\])?\n[\s\S]*?# <<< ownership commit check <<<\n/;

/** Quotes a value for POSIX sh: inside single quotes nothing is special but the quote itself. */
function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The per-clone runner: the recorded runtime, with fallbacks and a clear line when nothing runs. */
function runnerScript(rt: HookRuntime): string {
  return `#!/bin/sh
# Feature Ownership commit check: the runner the hooks call, written by "ownership hook install"
# for this clone. It records what runs the ownership CLI on this machine; the hooks themselves
# hold no path, so they can live in a shared hooks folder.
OWNERSHIP_NODE=${shQuote(rt.node)}
OWNERSHIP_CLI=${shQuote(rt.cli)}
OWNERSHIP_ELECTRON=${rt.electron ? "'1'" : "''"}
# Cheap exits before any runtime starts: no OWNERSHIP.yml, or (commit-msg) no pending decision.
case "$1" in
  pre-commit)
    [ -f OWNERSHIP.yml ] || [ -n "$(git ls-files --cached -- ':(glob)**/OWNERSHIP.yml' 2>/dev/null)" ] || exit 0 ;;
  commit-msg)
    ownership_pending=
    for ownership_file in "$(git rev-parse --git-dir 2>/dev/null)"/ownership/pending*.json; do
      [ -f "$ownership_file" ] && ownership_pending=1
      break
    done
    [ -n "$ownership_pending" ] || exit 0 ;;
esac
if [ -x "$OWNERSHIP_NODE" ] && [ -f "$OWNERSHIP_CLI" ]; then
  if [ -n "$OWNERSHIP_ELECTRON" ]; then
    ELECTRON_RUN_AS_NODE=1
    export ELECTRON_RUN_AS_NODE
  fi
  exec "$OWNERSHIP_NODE" "$OWNERSHIP_CLI" hook run "$@"
fi
if [ -f "$OWNERSHIP_CLI" ] && command -v node >/dev/null 2>&1; then
  exec node "$OWNERSHIP_CLI" hook run "$@"
fi
if command -v ownership >/dev/null 2>&1; then
  exec ownership hook run "$@"
fi
echo "Ownership: commit not checked — the recorded runtime ($OWNERSHIP_NODE) is gone and neither node nor ownership is on PATH; run \\"ownership hook install\\" or \\"Ownership: Install Commit Check\\" again" >&2
exit 0
`;
}

/** The block that calls the runner; `chain` adds the call to a moved-aside hook first. */
function block(hook: HookName, chain: boolean, tag = ''): string {
  const lines = [
    BEGIN + tag,
    '# Added by "ownership hook install" (Feature Ownership); "ownership hook uninstall" removes it.',
  ];
  if (chain) {
    lines.push(
      '# The hook that was here before runs first; its failure stops the commit, as before.',
      `if [ -x "$0${CHAINED_SUFFIX}" ]; then "$0${CHAINED_SUFFIX}" "$@" || exit $?; fi`,
    );
  }
  lines.push(
    '# git runs hooks at the top of the worktree, so a relative common dir is right as it is.',
    'ownership_runner="$(git rev-parse --git-common-dir 2>/dev/null)/ownership/hook.sh" || :',
    'if [ -f "$ownership_runner" ]; then',
    `  sh "$ownership_runner" ${hook} "$@" || exit $?`,
    'elif command -v ownership >/dev/null 2>&1; then',
    `  ownership hook run ${hook} "$@" || exit $?`,
    'else',
    '  echo "Ownership: commit not checked — the check is not set up in this clone; run \\"ownership hook install\\"" >&2',
    'fi',
    END,
  );
  return lines.join('\n') + '\n';
}

function hookFile(hook: HookName): string {
  return '#!/bin/sh\n' + block(hook, true);
}

type Layout = { kind: 'plain'; hooksDir: string } | { kind: 'husky'; hooksDir: string; scriptsDir: string };

interface Location {
  root: string;
  commonDir: string;
  layout: Layout;
  runner: string;
}

/** Where the hooks go: `git rev-parse --git-path hooks` honours core.hooksPath and worktrees. */
async function locate(dir: string): Promise<Location> {
  const git = await Git.open(dir);
  // Relative answers are relative to the root (the client's cwd); --path-format needs git 2.31.
  // One question per call: a path may itself contain a newline, so only the last one is git's.
  const ask = async (q: string[]) => resolve(git.root, (await git.raw(['rev-parse', ...q])).replace(/\n$/, ''));
  const [hooksDir, commonDir] = await Promise.all([ask(['--git-path', 'hooks']), ask(['--git-common-dir'])]);
  const husky = join(git.root, '.husky');
  // husky 9 points core.hooksPath at .husky/_ (generated stubs that run .husky/<hook>);
  // husky 4–8 at .husky itself. Either way the user's scripts are .husky/<hook>.
  const isHusky = (hooksDir === join(husky, '_') || hooksDir === husky) && existsSync(husky) && statSync(husky).isDirectory();
  const layout: Layout = isHusky ? { kind: 'husky', hooksDir, scriptsDir: husky } : { kind: 'plain', hooksDir };
  return { root: git.root, commonDir, layout, runner: join(commonDir, 'ownership', 'hook.sh') };
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Writes only when the content differs, so installing twice changes nothing. */
function writeIfChanged(file: string, text: string, mode: number): boolean {
  if (read(file) === text) return false;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
  return true;
}

interface HookReport {
  /** One line per thing done, for people. */
  actions: string[];
  location: Location;
}

function display(loc: Location, file: string): string {
  const rel = relative(loc.root, file);
  return rel && !rel.startsWith('..') ? rel : file;
}

export class HookError extends Error {}

/** Installs both hooks and the runner; idempotent. */
export async function installHooks(dir: string, rt: HookRuntime): Promise<HookReport> {
  const loc = await locate(dir);
  const actions: string[] = [];
  // Refuse before touching anything, so a refused install leaves no half-installed state.
  if (loc.layout.kind === 'plain') {
    for (const hook of HOOKS) {
      const file = join(loc.layout.hooksDir, hook);
      if (exists(file) && !BLOCK_RE.test(read(file) ?? '') && exists(file + CHAINED_SUFFIX)) {
        throw new HookError(`${display(loc, file)} is not ours and ${display(loc, file + CHAINED_SUFFIX)} already exists: move one of them away and install again`);
      }
    }
  }
  mkdirSync(dirname(loc.runner), { recursive: true, mode: 0o700 });
  if (writeIfChanged(loc.runner, runnerScript(rt), 0o700)) actions.push(`recorded the runtime in ${display(loc, loc.runner)}`);
  for (const hook of HOOKS) {
    if (loc.layout.kind === 'husky') {
      const file = join(loc.layout.scriptsDir, hook);
      const text = read(file);
      if (text === undefined) {
        writeIfChanged(file, '#!/usr/bin/env sh\n' + block(hook, false, TAG_NEW_FILE), 0o755);
        actions.push(`created ${display(loc, file)}`);
      } else if (!BLOCK_RE.test(text)) {
        const tag = text === '' || text.endsWith('\n') ? '' : TAG_NEWLINE;
        // Append (not prepend): the user's own checks run first, as with a chained hook.
        writeFileSync(file, text + (tag ? '\n' : '') + block(hook, false, tag));
        actions.push(`added the check to ${display(loc, file)}`);
      }
      continue;
    }
    const file = join(loc.layout.hooksDir, hook);
    const text = exists(file) ? read(file) : undefined;
    if (text !== undefined && BLOCK_RE.test(text)) {
      if (writeIfChanged(file, hookFile(hook), 0o755)) actions.push(`updated ${display(loc, file)}`);
      continue;
    }
    if (exists(file)) {
      const aside = file + CHAINED_SUFFIX;
      renameSync(file, aside);
      actions.push(`moved the existing ${hook} hook to ${display(loc, aside)}; it still runs first`);
    }
    writeIfChanged(file, hookFile(hook), 0o755);
    actions.push(`installed ${display(loc, file)}`);
  }
  return { actions, location: loc };
}

/** Removes both hooks and the runner, restoring whatever they chained exactly. */
export async function uninstallHooks(dir: string): Promise<HookReport> {
  const loc = await locate(dir);
  const actions: string[] = [];
  for (const hook of HOOKS) {
    if (loc.layout.kind === 'husky') {
      const file = join(loc.layout.scriptsDir, hook);
      const text = read(file);
      const m = text === undefined ? null : BLOCK_RE.exec(text);
      if (!text || !m) continue;
      let rest = text.slice(0, m.index) + text.slice(m.index + m[0].length);
      if (m[1] === TAG_NEWLINE && rest.endsWith('\n')) rest = rest.slice(0, -1);
      if (m[1] === TAG_NEW_FILE && rest === '#!/usr/bin/env sh\n') {
        unlinkSync(file);
        actions.push(`removed ${display(loc, file)}`);
      } else {
        writeFileSync(file, rest);
        actions.push(`removed the check from ${display(loc, file)}`);
      }
      continue;
    }
    const file = join(loc.layout.hooksDir, hook);
    const aside = file + CHAINED_SUFFIX;
    const text = exists(file) ? read(file) : undefined;
    const ours = text !== undefined && BLOCK_RE.test(text);
    if (ours) {
      unlinkSync(file);
      actions.push(`removed ${display(loc, file)}`);
    }
    if (exists(aside)) {
      if (exists(file)) {
        actions.push(`left ${display(loc, aside)} in place: ${display(loc, file)} was replaced since the install`);
      } else {
        renameSync(aside, file);
        actions.push(`restored the previous ${hook} hook`);
      }
    }
  }
  if (exists(loc.runner)) {
    rmSync(loc.runner, { force: true });
    actions.push(`removed ${display(loc, loc.runner)}`);
  }
  return { actions, location: loc };
}

interface HookStatus {
  installed: boolean;
  /** The runtime recorded in the runner, when there is one. */
  runtime?: HookRuntime;
  location: Location;
}

function unquote(v: string): string {
  return v.replace(/'\\''/g, "'").replace(/^'|'$/g, '');
}

/** Whether our hooks are in place, and the runtime they run. */
export async function hookStatus(dir: string): Promise<HookStatus> {
  const loc = await locate(dir);
  const base = loc.layout.kind === 'husky' ? loc.layout.scriptsDir : loc.layout.hooksDir;
  const installed = HOOKS.every((h) => BLOCK_RE.test(read(join(base, h)) ?? ''));
  const runnerText = read(loc.runner);
  let runtime: HookRuntime | undefined;
  if (runnerText) {
    const get = (k: string) => new RegExp(`^${k}=('(?:[^']|'\\\\'')*')$`, 'm').exec(runnerText)?.[1];
    const node = get('OWNERSHIP_NODE');
    const cli = get('OWNERSHIP_CLI');
    if (node && cli) runtime = { node: unquote(node), cli: unquote(cli), electron: get('OWNERSHIP_ELECTRON') === "'1'" };
  }
  return { installed, runtime, location: loc };
}
