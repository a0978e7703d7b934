// Git, through simple-git: it spawns the git binary with an argument array (never a shell), and
// every command that lists paths uses `-z`, so any file name arrives verbatim.
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { parseNameStatusZ, parseStatusZ } from '../core/gitParse';
import type { Change } from '../core/types';
import { discoverOwnershipPaths, type DiscoveryOptions } from './discoveryCache';
import { NO_PROBE, type Probe } from './probe';

/** A git failure with a message fit for a user: what failed and what to do. */
export class GitFailure extends Error {
  constructor(message: string, readonly detail = '') {
    super(message);
  }
}

const GIT_MISSING = 'git was not found: install git and make sure it is on PATH';
const BARE = (dir: string) => `${dir} is a bare repository or a .git folder: ownership needs a working tree (run it in a checkout)`;

/** The oldest git whose options we use: `%(trailers:key=…,valueonly)` arrived in git 2.22. */
const MIN_GIT: readonly [number, number] = [2, 22];

/** Runs `git <args>` in `dir` and gives its output (simple-git's `raw`, wherever it runs). */
type GitRunner = (dir: string, args: string[]) => Promise<string>;

let runner: GitRunner | undefined;

/**
 * Where every `Git` of this process runs its git commands from now on; undefined: here. The
 * extension sends them to the engine's worker thread: spawning a process from the extension host
 * is synchronous (the fork of a 450 MB process, its environment copied), 2–17 ms each on the busy
 * first-load bench, and simple-git started a dozen back to back (100 ms without a turn of the loop).
 */
export function runGitIn(r: GitRunner | undefined): void {
  runner = r;
}

/** simple-git clients by folder, for `rawGit`: one scheduler per repository, as `Git` has. */
const clients = new Map<string, SimpleGit>();

/** `git <args>` in `dir` through simple-git, here (the engine's worker runs it for the extension). */
export function rawGit(dir: string, args: string[]): Promise<string> {
  let client = clients.get(dir);
  if (!client) {
    if (clients.size >= 64) clients.clear();
    client = Git.client(dir);
    clients.set(dir, client);
  }
  return client.raw(args);
}

let versionChecked: Promise<void> | undefined;
/** Checks once per process that git runs and is recent enough, with a message saying what to do. */
function checkGitVersion(raw: (args: string[]) => Promise<string>): Promise<void> {
  versionChecked ??= (async () => {
    let out: string;
    try {
      out = await raw(['--version']);
    } catch (e) {
      versionChecked = undefined;
      const m = firstLine(e);
      throw new GitFailure(/ENOENT|spawn/.test(m) ? GIT_MISSING : `git --version failed: ${m}`);
    }
    const v = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(out);
    if (!v) return; // an unusual build: try it rather than refuse it
    const [major, minor] = [Number(v[1]), Number(v[2])];
    if (major < MIN_GIT[0] || (major === MIN_GIT[0] && minor < MIN_GIT[1])) {
      versionChecked = undefined;
      throw new GitFailure(`git ${v[0].slice('git version '.length)} is too old: ownership needs git ${MIN_GIT.join('.')} or later; upgrade git`);
    }
  })();
  return versionChecked;
}

/**
 * The git that spawning `git` runs, as a string that changes when it is replaced or upgraded:
 * the first executable `git` on PATH with its stat data. Undefined where that cannot be told
 * (Windows' PATHEXT lookup, a relative PATH entry): the version is then checked every run.
 */
function gitBinary(): string | undefined {
  if (process.platform === 'win32') return undefined;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!isAbsolute(dir)) return undefined;
    const path = `${dir.replace(/\/$/, '')}/git`;
    try {
      const st = statSync(path);
      if (!st.isFile()) continue;
      accessSync(path, fsConstants.X_OK);
      return `${path}\0${st.ino}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}`;
    } catch {
      // not there, or not executable: execvp goes on too
    }
  }
  return undefined;
}

/** `$GIT_DIR/ownership/git-checked`: the binary whose version was found recent enough. */
function checkedFile(gitDir: string): string {
  return join(gitDir, 'ownership', 'git-checked');
}

function checkedGit(gitDir: string, binary: string): boolean {
  try {
    return readFileSync(checkedFile(gitDir), 'utf8') === binary;
  } catch {
    return false;
  }
}

/** Best effort (a read-only git directory checks again next time); whole under a temporary name, then renamed. */
function rememberCheckedGit(gitDir: string, binary: string): void {
  const file = checkedFile(gitDir);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(join(gitDir, 'ownership'), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, binary, { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // never written
    }
  }
}

function firstLine(e: unknown): string {
  const msg = (e as Error)?.message ?? String(e);
  return msg.split('\n').map((l) => l.trim()).find((l) => l) ?? msg;
}

/**
 * simple-git refuses to run when the environment holds EDITOR, PAGER, GIT_ASKPASS, GIT_CONFIG_*,
 * GIT_EXEC_PATH... — which every terminal, VS Code and git hook sets. Our arguments are fixed
 * read-only commands; the environment is the user's own and must reach git (GIT_INDEX_FILE in a
 * hook, GIT_CONFIG_GLOBAL in CI), so it is trusted as git itself would trust it.
 */
const TRUST_USER_ENVIRONMENT = {
  allowUnsafeAlias: true, allowUnsafeAskPass: true, allowUnsafeConfigEnvCount: true, allowUnsafeConfigPaths: true,
  allowUnsafeCredentialHelper: true, allowUnsafeDiffExternal: true, allowUnsafeDiffTextConv: true, allowUnsafeEditor: true,
  allowUnsafeFilter: true, allowUnsafeFsMonitor: true, allowUnsafeGitProxy: true, allowUnsafeGpgProgram: true,
  allowUnsafeHooksPath: true, allowUnsafeMergeDriver: true, allowUnsafePack: true, allowUnsafePager: true,
  allowUnsafeProtocolOverride: true, allowUnsafeSshCommand: true, allowUnsafeTemplateDir: true,
};

/**
 * simple-git (3.x, its completion-detection plugin) waits 50 ms more before it settles a command
 * that wrote nothing to stdout or stderr, in case output arrives after the process closed. For us
 * an empty output is an answer, and a frequent one: `git config --get-regexp` with none of the
 * keys set, `ls-files --others` in a clean checkout, `diff --cached` with nothing staged. Each cost
 * 50 ms of a ≈150 ms floor (measured in `ownership report`: the discovery's `config` call held the
 * rules back 48 ms after git had exited). When stdout ends empty, this tells the plugin that the
 * output is complete with an empty chunk (simple-git appends it to nothing). With a later
 * simple-git that no longer waits, the extra event changes nothing.
 */
function endsPromptly(_command: string, stdout: NodeJS.ReadableStream): void {
  let seen = false;
  stdout.on('data', () => { seen = true; });
  stdout.once('end', () => { if (!seen) stdout.emit('data', Buffer.alloc(0)); });
}

/** A file as git stores it: mode (100644, 120000 link, 160000 submodule…), object id, path. */
export interface GitEntry {
  mode: string;
  oid: string;
  path: string;
}

export type ChangeSource = { kind: 'staged' } | { kind: 'working' } | { kind: 'range'; base: string; head: string };

export class Git {
  private client: SimpleGit | undefined;

  private constructor(readonly root: string, readonly gitDir: string, private readonly probe: Probe) {}

  /** This repository's simple-git client, made on first use: with a runner (the extension), rarely. */
  private get git(): SimpleGit {
    this.client ??= Git.client(this.root);
    return this.client;
  }

  /**
   * Every git process of this repository runs here, counted by subcommand ("git ls-files"); a
   * command limited to a pathspec (`-- <paths>`, e.g. the OWNERSHIP.yml entries of the index)
   * counts apart ("git ls-files -- <pathspec>"), so the tests can tell it from a full listing.
   */
  private exec(args: string[]): Promise<string> {
    const dashes = args.indexOf('--');
    this.probe.count(`git ${args[0] ?? ''}${dashes >= 0 && dashes < args.length - 1 ? ' -- <pathspec>' : ''}`);
    return runner ? runner(this.root, args) : this.git.raw(args);
  }

  /** A simple-git client for `dir` (exported through `rawGit` for the engine's worker). */
  static client(dir: string): SimpleGit {
    // GIT_OPTIONAL_LOCKS=0: our reads never take index.lock, so they never block the user's own
    // git commands (or VS Code's) and never leave a lock behind.
    return simpleGit({ baseDir: dir, trimmed: false, maxConcurrentProcesses: 4, unsafe: TRUST_USER_ENVIRONMENT })
      .env({ ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' })
      .outputHandler(endsPromptly);
  }

  /** Opens the repository containing `dir`; fails with a clear message when there is none. */
  static async open(dir: string, probe: Probe = NO_PROBE): Promise<Git> {
    // simple-git throws on a missing folder with a message about itself, not about the user's folder.
    if (!existsSync(dir)) throw new GitFailure(`${dir} does not exist`);
    const r = runner;
    const raw = r ? (args: string[]) => r(dir, args) : (args: string[]) => rawGit(dir, args);
    // The git binary this process runs, when it can tell: its version was checked in an earlier
    // run if the repository remembers it (checkedGit), and then no `git --version` is spawned.
    const binary = r ? undefined : gitBinary();
    // The version check and the repository lookup are independent: both processes run at once,
    // and a version problem is still reported first.
    const version = binary ? undefined : checkGitVersion(raw);
    // --absolute-git-dir (git 2.13) rather than --path-format=absolute (git 2.31): older gits
    // echo an unknown rev-parse option back, as if it were the top-level folder.
    const lookup = raw(['rev-parse', '--show-toplevel', '--absolute-git-dir']);
    lookup.catch(() => undefined);
    await version;
    let out: string;
    try {
      out = await lookup;
    } catch (e) {
      await checkGitVersion(raw);
      const m = firstLine(e);
      if (/ENOENT|spawn git/.test(m)) throw new GitFailure(GIT_MISSING);
      if (/not a git repository/i.test(m)) throw new GitFailure(`${dir} is not inside a git repository (run "git init" first)`);
      if (/must be run in a work tree|this operation must be run in a work tree/i.test(m)) throw new GitFailure(BARE(dir));
      throw new GitFailure(`git failed: ${m}`);
    }
    let [root, gitDir] = out.split('\n');
    if (out.split('\n').length > 3) {
      // A path with a newline in it: ask one at a time, so that only the final newline is git's.
      const one = async (q: string) => (await raw(['rev-parse', q])).replace(/\n$/, '');
      [root, gitDir] = await Promise.all([one('--show-toplevel'), one('--absolute-git-dir')]);
    }
    if (!root || !isAbsolute(root) || gitDir === undefined) throw new GitFailure(BARE(dir));
    if (binary && !checkedGit(gitDir, binary)) {
      await checkGitVersion(raw);
      rememberCheckedGit(gitDir, binary);
    }
    return new Git(root, gitDir, probe);
  }

  async raw(args: string[]): Promise<string> {
    try {
      return await this.exec(args);
    } catch (e) {
      throw new GitFailure(`git ${args[0]} failed: ${firstLine(e)}`);
    }
  }

  async hasHead(): Promise<boolean> {
    // simple-git resolves a failed command that prints nothing on stderr, so judge by the output.
    try {
      return /^[0-9a-f]{40,64}$/.test((await this.exec(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim());
    } catch {
      return false;
    }
  }

  /** The commit HEAD points at; undefined on an unborn branch. */
  async headCommit(): Promise<string | undefined> {
    try {
      const sha = (await this.exec(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim();
      return /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
    } catch {
      return undefined;
    }
  }

  /** The index against HEAD (or against the empty tree before the first commit). */
  async stagedChanges(): Promise<Change[]> {
    // Without a commit, `diff --cached` compares with HEAD, or with the empty tree on an unborn
    // branch: one process, and right in SHA-256 repositories too, where the SHA-1 empty tree is unknown.
    return parseNameStatusZ(await this.raw(['diff', '--cached', '--name-status', '-z', '-M', '--no-ext-diff', '--']));
  }

  /** Everything `git status` shows: staged, unstaged, and untracked files that are not ignored. */
  async workingChanges(): Promise<Change[]> {
    return parseStatusZ(await this.raw(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']));
  }

  /** Resolves a ref to a commit, with a clear message when it does not exist. */
  async resolve(ref: string): Promise<string> {
    if (ref.startsWith('-')) throw new GitFailure(`invalid ref "${ref}"`);
    let sha = '';
    try {
      // No --end-of-options (git 2.30): a ref starting with "-" is refused above instead.
      sha = (await this.exec(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
    } catch {
      sha = '';
    }
    if (!/^[0-9a-f]{40,64}$/.test(sha)) {
      // In a shallow clone (CI's default) "HEAD~3" or the base branch is often just beyond the history.
      if (await this.isShallow()) throw new GitFailure(`unknown ref "${ref}": this is a shallow clone and its history may stop before it; fetch more history (e.g. "git fetch --unshallow", or fetch-depth: 0 in CI)`);
      const remote = /^([^/]+)\/(.+)$/.exec(ref);
      throw new GitFailure(`unknown ref "${ref}": fetch it first (e.g. "git fetch ${remote ? `${remote[1]} ${remote[2]}` : `origin ${ref}`}") or name an existing branch or commit`);
    }
    return sha;
  }

  async isShallow(): Promise<boolean> {
    try {
      return (await this.exec(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
    } catch {
      return false;
    }
  }

  /** The merge base of `base` and `head`, as a pull request sees it. */
  async mergeBase(base: string, head: string): Promise<string> {
    return (await this.rangeEnds(base, head)).from;
  }

  /** Both ends of a pull request's range: the merge base of `base` and `head`, and `head`, as commits. */
  async rangeEnds(base: string, head: string): Promise<{ from: string; to: string }> {
    // Both refs at once; an unknown base is still the one reported when both are unknown.
    const [rb, rh] = await Promise.allSettled([this.resolve(base), this.resolve(head)]);
    if (rb.status === 'rejected') throw rb.reason;
    if (rh.status === 'rejected') throw rh.reason;
    const [b, h] = [rb.value, rh.value];
    let mb = '';
    try {
      mb = (await this.exec(['merge-base', b, h])).trim();
    } catch {
      mb = '';
    }
    if (!mb) {
      throw new GitFailure(await this.isShallow()
        ? `no merge base between "${base}" and "${head}": this is a shallow clone; fetch more history (e.g. "git fetch --unshallow" or fetch-depth: 0 in CI)`
        : `no merge base between "${base}" and "${head}": they share no history`);
    }
    return { from: mb, to: h };
  }

  /** The changes between two commits (`git diff --name-status -M`). */
  async diffCommits(from: string, to: string): Promise<Change[]> {
    return parseNameStatusZ(await this.raw(['diff', '--name-status', '-z', '-M', '--no-ext-diff', from, to, '--']));
  }

  /** Changes from the merge base of `base` and `head` to `head`, and the commits in between. */
  async rangeChanges(base: string, head: string): Promise<{ changes: Change[]; from: string; to: string }> {
    const { from, to } = await this.rangeEnds(base, head);
    const changes = await this.diffCommits(from, to);
    return { changes, from, to };
  }

  async changes(source: ChangeSource): Promise<Change[]> {
    if (source.kind === 'staged') return this.stagedChanges();
    if (source.kind === 'working') return this.workingChanges();
    return (await this.rangeChanges(source.base, source.head)).changes;
  }

  /** `Ownership-Waived` trailer values of every commit in `from..to`, as git parses trailers. */
  async rangeWaivers(from: string, to: string): Promise<string[]> {
    const out = await this.raw(['log', '--no-show-signature', '--format=%(trailers:key=Ownership-Waived,valueonly,unfold)', `${from}..${to}`, '--']);
    return out.split('\n').filter((l) => l.trim());
  }

  /** `Ownership-Waived` trailer values of a commit message file, as `git interpret-trailers --parse` sees them. */
  async messageWaivers(file: string): Promise<string[]> {
    const out = await this.raw(['interpret-trailers', '--parse', '--', file]);
    return out
      .split('\n')
      .map((l) => /^ownership-waived\s*:\s*(.*)$/i.exec(l)?.[1])
      .filter((v): v is string => v !== undefined && v.trim() !== '');
  }

  /** Every tracked path (`git ls-files -z`). */
  async trackedFiles(): Promise<string[]> {
    // Streamed, a chunk of output at a time: at 100k files the output is megabytes, and buffered
    // then split at once it held the editor's event loop for 110 ms (the first-load bench).
    this.probe.count('git ls-files');
    const paths: string[] = [];
    await streamFields(this.root, ['ls-files', '-z', '--cached', '--full-name'], (p) => paths.push(p));
    return paths;
  }

  /** Index entries (stage 0: merged) matching `pathspecs` — `git ls-files -s`, one process. */
  async indexEntries(pathspecs: string[]): Promise<GitEntry[]> {
    const out = await this.raw(['ls-files', '-z', '-s', '--cached', '--full-name', '--', ...pathspecs]);
    const entries: GitEntry[] = [];
    for (const rec of out.split('\0')) {
      // "<mode> <oid> <stage>\t<path>"
      const tab = rec.indexOf('\t');
      if (tab < 0) continue;
      const [mode = '', oid = '', stage] = rec.slice(0, tab).split(' ');
      if (stage === '0') entries.push({ mode, oid, path: rec.slice(tab + 1) });
    }
    return entries;
  }

  /** Every file of `commit`'s tree whose path passes `keep` — `git ls-tree -r`, one process. */
  async treeEntries(commit: string, keep: (path: string) => boolean, path?: string): Promise<GitEntry[]> {
    const out = await this.raw(['ls-tree', '-r', '-z', '--full-tree', commit, ...(path === undefined ? [] : ['--', path])]);
    const entries: GitEntry[] = [];
    for (const rec of out.split('\0')) {
      // "<mode> <type> <oid>\t<path>"
      const tab = rec.indexOf('\t');
      if (tab < 0) continue;
      const path = rec.slice(tab + 1);
      if (!keep(path)) continue;
      const [mode = '', , oid = ''] = rec.slice(0, tab).split(' ');
      entries.push({ mode, oid, path });
    }
    return entries;
  }

  /**
   * The contents of blobs by object id, all through one `git cat-file --batch` (arguments as an
   * array, ids on its standard input: no shell). A missing object is absent from the map.
   */
  async readBlobs(oids: string[]): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    const wanted = [...new Set(oids)];
    if (!wanted.length) return out;
    this.probe.count('git cat-file');
    const data = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn('git', ['cat-file', '--batch'], { cwd: this.root, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let err = '';
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
      child.on('error', (e) => reject(new GitFailure(/ENOENT/.test(e.message) ? GIT_MISSING : `git cat-file failed: ${e.message}`)));
      child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new GitFailure(`git cat-file failed: ${firstLine(err) || `exit ${code}`}`))));
      child.stdin.end(wanted.join('\n') + '\n');
    });
    // Per object: "<oid> <type> <size>\n<content>\n", or "<oid> missing\n".
    let at = 0;
    for (const oid of wanted) {
      const nl = data.indexOf(10, at);
      if (nl < 0) break;
      const header = data.subarray(at, nl).toString('utf8').split(' ');
      at = nl + 1;
      if (header[1] === 'missing' || header.length < 3) continue;
      const size = Number(header[2]);
      out.set(oid, data.subarray(at, at + size));
      at += size + 1;
    }
    return out;
  }

  /** OWNERSHIP.yml files in the working tree: tracked or untracked, not ignored, not in submodules. */
  async ownershipFiles(options?: DiscoveryOptions): Promise<string[]> {
    // Finding untracked ones walks the whole working tree (as `git status` does): the discovery
    // cache serves the last walk while nothing it depended on changed. Folders named OWNERSHIP.yml
    // are found through the files in them and listed too, so that reading them reports the
    // mistake instead of silently skipping it.
    const { tracked, untracked } = await discoverOwnershipPaths(this, options);
    const found = new Set<string>();
    for (const p of [...tracked, ...untracked]) {
      const segments = p.split('/');
      const dir = segments.indexOf('OWNERSHIP.yml');
      if (dir >= 0 && dir < segments.length - 1) found.add(segments.slice(0, dir + 1).join('/'));
      if (segments[segments.length - 1] === 'OWNERSHIP.yml') found.add(p);
    }
    return [...found].sort();
  }

  /** The staged bytes of a path that sparse checkout keeps out of the working tree, else undefined. */
  async sparseContent(path: string): Promise<Buffer | undefined> {
    // `-t` tags skip-worktree entries with "S".
    if (!(await this.raw(['ls-files', '-z', '-t', '--', `:(literal)${path}`])).startsWith('S ')) return undefined;
    try {
      this.probe.count('git show');
      return await this.git.showBuffer([`:${path}`]);
    } catch (e) {
      throw new GitFailure(`git show failed: ${firstLine(e)}`);
    }
  }

  async config(key: string): Promise<string | undefined> {
    try {
      const v = (await this.exec(['config', '--get', key])).trim();
      return v || undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * Runs git with `args` in the repository at `root` and hands each NUL-terminated field to `onField`, in
 * order, as the output arrives. Rejects with a GitFailure when git fails.
 */
export function streamFields(root: string, args: string[], onField: (field: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: root, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let rest: Buffer | undefined;
    let stderr = '';
    let failed: Error | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
      // One decode per chunk, up to its last NUL (a NUL never sits inside a UTF-8 sequence).
      const last = buf.lastIndexOf(0);
      if (last < 0) {
        rest = Buffer.from(buf);
        return;
      }
      try {
        const fields = buf.toString('utf8', 0, last).split('\0');
        for (const f of fields) onField(f);
      } catch (e) {
        failed = e as Error;
        child.kill();
        return;
      }
      rest = last + 1 < buf.length ? Buffer.from(buf.subarray(last + 1)) : undefined;
    });
    child.stderr.on('data', (chunk: Buffer) => { if (stderr.length < 10_000) stderr += chunk.toString('utf8'); });
    child.on('error', (e) => reject(new GitFailure(/ENOENT/.test(e.message) ? 'git was not found: install git and make sure it is on PATH' : `git ${args[0]} failed: ${e.message}`)));
    child.on('close', (code) => {
      if (failed) return reject(failed);
      if (code !== 0) {
        const first = stderr.split('\n').map((l) => l.trim()).find((l) => l) ?? `exit status ${code}`;
        return reject(new GitFailure(`git ${args[0]} failed: ${first}`));
      }
      if (rest?.length) onField(rest.toString('utf8')); // a last field without its NUL
      resolve();
    });
  });
}
