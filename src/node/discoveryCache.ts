// Finding OWNERSHIP.yml files that git does not track means walking the whole working tree, as
// `git status` does: on a 100k-file repository `git ls-files --others --exclude-standard` costs
// ≈300 ms, more than `git diff --cached` itself. This module keeps the result of that walk in
// `$GIT_DIR/ownership/discovery.json`, with what it depended on, and serves it again while none of
// that changed — the same idea as git's own untracked cache (the index's UNTR extension):
//   - the lstat data of every folder git read: a file or folder added, removed or renamed in a
//     folder changes the folder's mtime and ctime;
//   - the stat data of every ignore file (`.gitignore` of those folders, `info/exclude`,
//     `core.excludesFile`), whose edits change no folder, and the config values the walk uses;
//   - the tracked OWNERSHIP.yml files and the submodules (gitlinks): `git rm --cached` changes no
//     folder yet makes a file untracked, and git does not walk into a gitlink while it is one.
// A folder or file changed so shortly before the walk that its timestamp cannot tell "before"
// from "after" is stored as changed ("racy git"), so the next run walks again.
// Correctness comes first: untracked paths served from the cache are confirmed by git on every
// run (a walk limited to them), so a stale hit can never report a file that is gone or ignored.
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/** What discovery needs from git: the repository's folders and a way to run read-only commands. */
export interface GitReader {
  readonly root: string;
  readonly gitDir: string;
  raw(args: string[]): Promise<string>;
}

/** Paths git reports for OWNERSHIP.yml discovery, before the caller's filtering by name. */
export interface Discovered {
  /** Index entries matching `*OWNERSHIP.yml` or `*OWNERSHIP.yml/*`. */
  tracked: string[];
  /** Untracked, non-ignored working-tree paths named OWNERSHIP.yml or inside such a folder. */
  untracked: string[];
  /** Whether the untracked paths came from the cache or from a walk of the working tree. */
  from: 'cache' | 'walk';
}

/** Bumped whenever the stored shape or the rules change. */
const FORMAT = 1;
/** Beyond this many folders a stat of each costs about as much as git's walk: no cache. */
const MAX_DIRS = 50_000;
/** Literal pathspecs passed on one command line (gitlinks, candidates). */
const MAX_PATHSPECS = 500;
/** A repository too large to cache is asked again after this long. */
const SKIP_TTL_MS = 24 * 3600 * 1000;
const FILE = 'discovery.json';
/**
 * Folders stat'ed between two turns of the event loop: a stat costs a few microseconds, so a
 * turn stays well under the 50 ms an editor's extension host may be blocked.
 */
const CHUNK = 2048;
/** Stored in place of the stat data of a folder that was missing (or not a folder). */
const ABSENT = -1;
/** Stored in place of stat data too recent to trust; never equal to a real timestamp. */
const RACY = -2;
const OWNERSHIP_PATHSPECS = ['*OWNERSHIP.yml', '*OWNERSHIP.yml/*'];
const CONFIG_KEYS = /^core\.(excludesfile|ignorecase|precomposeunicode|sparsecheckout)$/;

interface Saved {
  format: number;
  key: string;
  /** Date.now() when the walk started. */
  started: number;
  /** The repository had too many folders: walk without caching until `started + SKIP_TTL_MS`. */
  skip?: boolean;
  tracked?: string[];
  gitlinks?: string[];
  untracked?: string[];
  /** Folder paths (repository-relative, '' for the root), NUL-joined. */
  dirs?: string;
  /** mtimeMs, ctimeMs, ino per folder, in the order of `dirs`. */
  stats?: number[];
  /** Ignore files (absolute paths) and their stat signature. */
  files?: [string, string][];
}

export interface DiscoveryOptions {
  /** false: always walk (the answer the cache must equal). Default true. */
  cache?: boolean;
}

/** Tracked and untracked candidates for OWNERSHIP.yml discovery, from the cache when it still holds. */
export async function discoverOwnershipPaths(git: GitReader, options: DiscoveryOptions = {}): Promise<Discovered> {
  if (options.cache === false) return walkAll(git);
  const file = join(git.gitDir, 'ownership', FILE);
  const saved = readSaved(file);
  const settingsP = readSettings(git);
  const indexP = trackedEntries(git, saved?.gitlinks ?? []);
  settingsP.catch(() => undefined);
  indexP.catch(() => undefined);
  let statsHold = false;
  if (saved && !saved.skip) {
    // The stat loop blocks, so it runs once git has been started: both then work at once.
    await pause();
    statsHold = await statsUnchanged(git.root, saved);
  }
  const index = await indexP;
  const settings = await settingsP.catch(() => undefined);
  const key = settings && cacheKey(git, settings);
  const tracked = index.ownership;
  if (!key || sparse(settings)) return { tracked, untracked: await walkUntracked(git), from: 'walk' };
  if (saved?.key === key && saved.skip && Date.now() - saved.started < SKIP_TTL_MS) {
    return { tracked, untracked: await walkUntracked(git), from: 'walk' };
  }
  if (saved?.key === key && statsHold && indexUnchanged(saved, index)) {
    return { tracked, untracked: await confirmUntracked(git, saved.untracked ?? []), from: 'cache' };
  }
  return { tracked, untracked: await walkAndSave(git, file, key, tracked, settings), from: 'walk' };
}

/** The plain answer: both git queries, no cache. */
async function walkAll(git: GitReader): Promise<Discovered> {
  const [index, untracked] = await Promise.all([trackedEntries(git, []), walkUntracked(git)]);
  return { tracked: index.ownership, untracked, from: 'walk' };
}

async function walkUntracked(git: GitReader): Promise<string[]> {
  // No pathspec: one makes git's walk 2-3 times slower; the output is filtered here instead.
  return splitZ(await git.raw(['ls-files', '-z', '--others', '--exclude-standard', '--full-name'])).filter(relevant);
}

/** Could this path be (or be inside) an OWNERSHIP.yml? The caller applies the exact rule. */
function relevant(p: string): boolean {
  return p.endsWith('OWNERSHIP.yml') || p.includes('OWNERSHIP.yml/');
}

function splitZ(out: string): string[] {
  const parts = out.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

interface IndexEntries {
  ownership: string[];
  /** Paths that are gitlinks (mode 160000) among those asked for. */
  gitlinks: Set<string>;
}

/** Tracked OWNERSHIP.yml paths, and which of `gitlinks` are still submodules in the index. */
async function trackedEntries(git: GitReader, gitlinks: string[]): Promise<IndexEntries> {
  // The index lookup keeps a pathspec (plain, not `:(glob)`, which is slower; `*` then also
  // crosses `/`). `-s` shows the mode, so the gitlinks of the last walk can be checked in passing.
  const out = await git.raw(['ls-files', '-z', '-s', '--cached', '--full-name', '--', ...OWNERSHIP_PATHSPECS, ...gitlinks.map((g) => `:(literal)${g}`)]);
  const ownership = new Set<string>();
  const links = new Set<string>();
  for (const rec of splitZ(out)) {
    const path = rec.slice(rec.indexOf('\t') + 1);
    if (rec.startsWith('160000 ')) links.add(path);
    if (relevant(path)) ownership.add(path);
  }
  return { ownership: [...ownership], gitlinks: links };
}

type Settings = Map<string, string>;

async function readSettings(git: GitReader): Promise<Settings> {
  // Exit status 1 (none of the keys set) prints nothing, which simple-git resolves as ''.
  const out = await git.raw(['config', '-z', '--get-regexp', CONFIG_KEYS.source]);
  const settings: Settings = new Map();
  for (const rec of splitZ(out)) {
    const nl = rec.indexOf('\n');
    settings.set(nl < 0 ? rec : rec.slice(0, nl), nl < 0 ? 'true' : rec.slice(nl + 1)); // the last value wins, as in git
  }
  return settings;
}

/** With sparse checkout, ignore rules can come from the index (skip-worktree .gitignore): no cache. */
function sparse(settings: Settings): boolean {
  const v = settings.get('core.sparsecheckout');
  return v !== undefined && !/^(false|no|off|0|)$/i.test(v.trim());
}

/** The paths of the global ignore files, or undefined when git would resolve them in a way we do not. */
function excludeFiles(git: GitReader, settings: Settings): string[] | undefined {
  const home = process.env.HOME;
  let global: string | undefined;
  const v = settings.get('core.excludesfile');
  if (v === undefined) {
    const xdg = process.env.XDG_CONFIG_HOME;
    global = xdg ? join(xdg, 'git', 'ignore') : home ? join(home, '.config', 'git', 'ignore') : undefined;
  } else if (v.startsWith('~/')) {
    if (!home) return undefined;
    global = join(home, v.slice(2));
  } else if (v.startsWith('~') || v.startsWith('%(')) {
    return undefined; // ~user/ and %(prefix)/: resolved by git only
  } else if (v) {
    global = isAbsolute(v) ? v : resolve(git.root, v);
  }
  let common = git.gitDir;
  try {
    common = resolve(git.gitDir, readFileSync(join(git.gitDir, 'commondir'), 'utf8').trim());
  } catch {
    // not a linked worktree
  }
  return [join(common, 'info', 'exclude'), ...(global ? [global] : [])];
}

function cacheKey(git: GitReader, settings: Settings): string | undefined {
  const files = excludeFiles(git, settings);
  if (!files) return undefined;
  return JSON.stringify([FORMAT, git.root, git.gitDir, files, [...settings].sort()]);
}

function readSaved(file: string): Saved | undefined {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Saved;
    return s && s.format === FORMAT && typeof s.key === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stat data that changes whenever the file is rewritten, replaced or re-pointed; when taken for
 * saving (`started` given), 'racy' if too recent to trust.
 */
function signature(s: Stats | undefined, started?: number): string {
  if (!s) return 'absent';
  if (started !== undefined && racy(s, started)) return 'racy';
  return `${s.mtimeMs}:${s.ctimeMs}:${s.size}:${s.ino}:${s.mode}`;
}

/**
 * A timestamp too close to the walk to say whether git saw the change. File systems store coarse
 * clock ticks (and FAT or HFS+ whole seconds, recognisable by a zero fraction), so the margin
 * covers both: a change made after the walk started can never look older than that.
 */
function racy(s: Stats, started: number): boolean {
  const margin = s.mtimeMs % 1000 === 0 ? 2000 : 100;
  return s.mtimeMs >= started - margin || s.ctimeMs >= started - margin;
}

/** Do the index entries the saved walk depended on still hold? */
function indexUnchanged(saved: Saved, index: IndexEntries): boolean {
  const tracked = new Set(index.ownership);
  // A path that left the index (`git rm --cached`) may now be untracked; no folder shows it.
  for (const p of saved.tracked ?? []) if (!tracked.has(p)) return false;
  // git does not walk into a gitlink; once it is no longer one, it may.
  for (const g of saved.gitlinks ?? []) if (!index.gitlinks.has(g)) return false;
  return true;
}

/** Do the folders and ignore files of the saved walk still hold? Stops at the first difference. */
async function statsUnchanged(root: string, saved: Saved): Promise<boolean> {
  for (const [path, sig] of saved.files ?? []) {
    if (sig === 'racy' || signature(statSync(path, { throwIfNoEntry: false })) !== sig) return false;
  }
  const dirs = (saved.dirs ?? '').split('\0');
  const stats = saved.stats ?? [];
  if (stats.length !== dirs.length * 3) return false;
  const base = root.endsWith('/') ? root : root + '/';
  for (let i = 0, j = 0; i < dirs.length; i++, j += 3) {
    if (i % CHUNK === CHUNK - 1) await pause();
    const s = lstatSync(base + dirs[i], { throwIfNoEntry: false });
    if (!s || !s.isDirectory()) {
      if (stats[j] !== ABSENT) return false;
    } else if (s.mtimeMs !== stats[j] || s.ctimeMs !== stats[j + 1] || s.ino !== stats[j + 2]) {
      return false;
    }
  }
  return true;
}

/** Cached untracked paths, as git sees them now (a walk limited to them: cheap). */
async function confirmUntracked(git: GitReader, paths: string[]): Promise<string[]> {
  if (!paths.length) return [];
  if (paths.length > MAX_PATHSPECS) return walkUntracked(git);
  const specs = paths.map((p) => `:(literal)${p.replace(/\/$/, '')}`);
  return splitZ(await git.raw(['ls-files', '-z', '--others', '--exclude-standard', '--full-name', '--', ...specs])).filter(relevant);
}

/** A walk that also records what it depended on, saved for the next run. */
async function walkAndSave(git: GitReader, file: string, key: string, tracked: string[], settings: Settings): Promise<string[]> {
  const started = Date.now();
  // `--directory` lists an untracked folder once (even an empty one, or one holding only ignored
  // files) instead of its files: the folders git read are then the tracked folders, these, and
  // what is below these.
  const listingP = git.raw(['ls-files', '-z', '--others', '--exclude-standard', '--directory', '--full-name']);
  listingP.catch(() => undefined);
  const indexOut = await git.raw(['ls-files', '-z', '-s', '--cached', '--full-name']);
  const { dirs, gitlinks } = trackedFolders(indexOut);
  const base = git.root.endsWith('/') ? git.root : git.root + '/';
  const stats: number[] = [];
  const files: [string, string][] = [];
  // The tracked folders are stat'ed while git still walks (this process would only wait): a
  // folder changed after its stat and before git read it differs from its record next time.
  if (dirs.length <= MAX_DIRS) await recordFolders(base, dirs, 0, started, stats, files);
  const listing = splitZ(await listingP);
  const untracked: string[] = [];
  const candidates: string[] = [];
  const nested: string[] = [];
  let complete = dirs.length <= MAX_DIRS;
  for (const p of listing) {
    if (!complete) break;
    if (!p.endsWith('/')) {
      if (relevant(p)) untracked.push(p);
      continue;
    }
    const dir = p.slice(0, -1);
    dirs.push(dir);
    if (relevant(dir)) candidates.push(dir);
    complete = walkBelow(git.root, dir, dirs, candidates, nested);
  }
  if (!complete || candidates.length > MAX_PATHSPECS || gitlinks.length > MAX_PATHSPECS) {
    save(file, { format: FORMAT, key, started, skip: true });
    return walkUntracked(git);
  }
  await recordFolders(base, dirs, stats.length / 3, started, stats, files);
  if (candidates.length) untracked.push(...(await confirmUntracked(git, candidates)));
  // A nested repository's content is not listed while its .git is a valid repository; whether
  // it is can change inside .git alone.
  for (const f of [...excludeFiles(git, settings)!, ...nested.flatMap((d) => [`${base}${d}/.git`, `${base}${d}/.git/HEAD`])]) {
    files.push([f, signature(statSync(f, { throwIfNoEntry: false }), started)]);
  }
  const result = [...new Set(untracked)].sort();
  save(file, { format: FORMAT, key, started, tracked, gitlinks, untracked: result, dirs: dirs.join('\0'), stats, files });
  return result;
}

/** Appends the stat data of `dirs[from…]` to `stats`, and their .gitignore files to `files`. */
async function recordFolders(base: string, dirs: string[], from: number, started: number, stats: number[], files: [string, string][]): Promise<void> {
  for (let i = from; i < dirs.length; i++) {
    if (i % CHUNK === CHUNK - 1) await pause();
    const d = dirs[i];
    const s = lstatSync(base + d, { throwIfNoEntry: false });
    if (!s || !s.isDirectory()) stats.push(ABSENT, ABSENT, ABSENT);
    else if (racy(s, started)) stats.push(RACY, RACY, RACY);
    else stats.push(s.mtimeMs, s.ctimeMs, s.ino);
    // git reads the .gitignore of every folder it walks, even an ignored .gitignore; its
    // appearance or removal changes the folder, an edit does not.
    const ignore = statSync(base + (d ? d + '/' : '') + '.gitignore', { throwIfNoEntry: false });
    if (ignore) files.push([base + (d ? d + '/' : '') + '.gitignore', signature(ignore, started)]);
  }
}

/** Every folder holding an index entry (with its parents), and the gitlinks. */
function trackedFolders(indexOut: string): { dirs: string[]; gitlinks: string[] } {
  const seen = new Set<string>(['']);
  const gitlinks: string[] = [];
  let prev = '';
  for (const rec of splitZ(indexOut)) {
    const path = rec.slice(rec.indexOf('\t') + 1);
    if (rec.startsWith('160000 ')) gitlinks.push(path);
    const slash = path.lastIndexOf('/');
    let d = slash < 0 ? '' : path.slice(0, slash);
    if (d === prev) continue; // the index is sorted: most entries share the previous folder
    prev = d;
    while (d && !seen.has(d)) {
      seen.add(d);
      const k = d.lastIndexOf('/');
      d = k < 0 ? '' : d.slice(0, k);
    }
  }
  return { dirs: [...seen], gitlinks: [...new Set(gitlinks)] };
}

/**
 * Adds every folder below the untracked folder `dir` to `dirs`, and the OWNERSHIP.yml entries in
 * them to `candidates` (for git to judge). This is more than git reads — ignored folders and
 * nested repositories too — which only costs an extra walk when they change; guessing like git
 * which folder it skips could miss one it reads. Folders holding a `.git` go to `nested`. False
 * when the folder count passes MAX_DIRS.
 */
function walkBelow(root: string, dir: string, dirs: string[], candidates: string[], nested: string[]): boolean {
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(join(root, d), { withFileTypes: true });
    } catch {
      continue; // unreadable or gone: its recorded stat data covers it
    }
    for (const e of entries) {
      if (e.name === '.git') {
        nested.push(d);
        continue; // git never enters a .git
      }
      const p = `${d}/${e.name}`;
      if (e.name === 'OWNERSHIP.yml') candidates.push(p);
      if (e.isDirectory()) {
        if (dirs.length >= MAX_DIRS) return false;
        dirs.push(p);
        stack.push(p);
      }
    }
  }
  return true;
}

/** Lets other work of the process (git's output, an editor's events) run. */
function pause(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** Written whole under a temporary name, then renamed: a reader sees all of it or nothing. */
function save(file: string, data: Saved): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    // No fsync: after a crash a truncated file fails to parse, which is a miss.
    writeFileSync(tmp, JSON.stringify(data), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch {
    // a read-only git directory or a full disk: the next run walks again
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
  }
}
