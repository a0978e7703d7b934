// The one analysis pipeline, free of VS Code: find the OWNERSHIP.yml files → read them (unsaved
// editor text wins over disk) → parse (parse memo + on-disk cache) → compile → diff → analyse.
// The CLI (`check`, `validate`, `which`, `list`), the git hook and the editor (Features view,
// status bar, commit box, Problems panel, hover) all read their results from here, so they cannot
// drift apart. Stable module name: other code builds on `FolderAnalysis`, `readRules` and the
// result types below.
//
// Stages, each in one place:
//  - discovery: `Git.ownershipFiles` (src/node/git.ts + discoveryCache.ts), cached here until
//    an OWNERSHIP.yml is created or deleted;
//  - reading: `readOwnershipText` (src/node/load.ts): symlinks leading outside the repository are
//    refused, sparse-checkout files are read from the index;
//  - parsing: `parseMemo` (src/node/parseMemo.ts) over the repository's parse cache;
//  - compiling: `compileRules` below (core `compileModel`);
//  - changes: `Git.changes` / `rangeEnds` + `diffCommits` + waivers;
//  - verdict: core `analyze`.
// Inputs and outputs are plain data (paths, texts, problems, the compiled model, changes), so the
// parse/compile/analyse steps can move behind a worker boundary.
import { lstat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { analyze, classify, compileModel, parseWaivers, type Model } from '../core/model';
import { LIMITS } from '../core/limits';
import { FILE_NAME } from '../core/parse';
import type { Report } from '../core/report';
import type { Change, Membership, OwnershipFile, ParseResult, Problem, Verdict } from '../core/types';
import { inventoryInChunks, yieldToEventLoop } from './chunked';
import { GitFailure, type ChangeSource, type Git, type GitEntry } from './git';
import { EngineCrash, hostModel, type EngineClient } from './engineClient';
import type { PackedInventory } from './engineOps';
import { owedReport } from './owed';
import { decodeOwnership, readOwnershipText } from './load';
import { parseCache, type ParseCache } from './modelCache';
import { parseMemo } from './parseMemo';
import { NO_PROBE, type Probe } from './probe';

/** One OWNERSHIP.yml as read: its text (absent when it could not be read) and its own problems, with ranges. */
export interface OwnershipFileEntry {
  /** Repository-relative POSIX path. */
  readonly path: string;
  readonly text?: string;
  /** Whether the parser understood the file (its features are in the model). */
  readonly parsed: boolean;
  readonly problems: readonly Problem[];
}

/** The rules of a repository: every OWNERSHIP.yml, every problem, and the compiled model. */
export interface Rules {
  readonly files: readonly OwnershipFileEntry[];
  readonly model: Model;
  /** All problems: reading, then parsing (file by file), then compiling. */
  readonly problems: readonly Problem[];
  /** Repository-relative paths of the OWNERSHIP.yml files found (also those that could not be read). */
  readonly paths: readonly string[];
}

/**
 * The message of the commit being made, whose waiver trailers count in staged mode: a file (the
 * hook's `--message-file`) or trailer values already read (the editor's Source Control box).
 */
interface CommitMessage {
  readonly file?: string;
  readonly values?: string[];
}

/** The change being analysed. */
interface ChangeSet {
  readonly changes: Change[];
  /** `Ownership-Waived` trailer values (the range's commits, or the message file). */
  readonly waivers: string[];
  /** In range mode, the merge base the change starts from and the resolved head. */
  readonly range?: { readonly from: string; readonly to: string };
}

/** Where the unsaved OWNERSHIP.yml texts come from, and what to tell. */
interface AnalysisPorts {
  /**
   * `mode` (default): each change source reads the rules the commit check reads (see
   * rulesFromSource). `worktree`: always the working tree and unsaved editors — the editor's
   * choice, for instant feedback while OWNERSHIP.yml is edited (it says when the staged rules differ).
   */
  rulesFrom?: 'mode' | 'worktree';
  /** Unsaved OWNERSHIP.yml texts by repository-relative path (open, dirty editors): they win over disk. */
  overlays?(): ReadonlyMap<string, string>;
  log?: { warn(message: string): void };
  probe?: Probe;
  /** The parse cache; default: the repository's on-disk cache. `null`: in memory only (untrusted folders). */
  parseCache?: ParseCache | null;
  /**
   * The engine's worker thread (the editor): parsing, compiling and analysing run there, off the
   * caller's event loop, under its time budget; it reads and fills the same on-disk parse cache.
   */
  engine?: EngineClient;
}

/** Parse and compile options shared by every way of reading rules. */
interface ParseOptions {
  parseCache?: ParseCache;
  probe?: Probe;
  engine?: EngineClient;
  /** The git directory, for the worker's parse cache. */
  gitDir?: string;
}

/** A model compiled in the engine's worker: its key there, and what loads it again into a fresh worker. */
interface EngineModel {
  engine: EngineClient;
  key: string;
  gitDir?: string;
  texts: [string, string][];
}

const engineModels = new WeakMap<Model, EngineModel>();
let engineRuns = 0;

/**
 * `ask(key)` of the worker that holds `m`'s model. When the worker lost it (it was restarted after
 * a crash or a watchdog stop, or dropped the model for newer ones), the model is loaded again and
 * asked once more; a watchdog stop is reported, never retried here: the model's glob lists and
 * index never come to the caller's thread, so nothing large is ever compiled or matched there.
 */
async function inEngine<T>(m: EngineModel, ask: (key: string) => Promise<T>): Promise<T> {
  try {
    return await ask(m.key);
  } catch (e) {
    if (!(e instanceof EngineCrash) && !/^no rules loaded for /.test((e as Error).message)) throw e;
    await m.engine.call('rules', { key: m.key, gitDir: m.gitDir, texts: m.texts }, m.texts.map(([p]) => p).join(', '));
    return ask(m.key);
  }
}

/** Invalidation: what changed since the last call. */
interface Invalidation {
  /** An OWNERSHIP.yml's text changed (on disk or in an editor). */
  rules?: boolean;
  /** An OWNERSHIP.yml was created or deleted: discover them again (a working-tree scan, slow in big repositories). */
  ownershipFiles?: boolean;
  /** Files were created or deleted, or the index or HEAD moved. */
  files?: boolean;
}

const sortByPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * At most LIMITS.files of `paths` (repository-relative OWNERSHIP.yml paths), shallowest first,
 * and the located error for the rest: a repository (or a pull request) with a hundred thousand
 * OWNERSHIP.yml files must not make every check read them all.
 */
function capFiles<T>(items: readonly T[], pathOf: (item: T) => string): { kept: T[]; problem?: Problem } {
  if (items.length <= LIMITS.files) return { kept: [...items] };
  const depth = (p: string) => p.split('/').length;
  const sorted = [...items].sort((a, b) => depth(pathOf(a)) - depth(pathOf(b)) || sortByPath(pathOf(a), pathOf(b)));
  const first = pathOf(sorted[LIMITS.files]!);
  return {
    kept: sorted.slice(0, LIMITS.files),
    problem: gitProblem(first, 'too-many-files', `${items.length} ${FILE_NAME} files in this repository; the limit is ${LIMITS.files}: declare features in fewer files (only the first ${LIMITS.files}, shallowest first, are read; this is the first one left out)`),
  };
}

/**
 * Reads, parses and compiles the OWNERSHIP.yml files at `paths` under `root`. With `git`, a file
 * that sparse checkout keeps out of the working tree is read from the index. Used with git by
 * FolderAnalysis and without it for folders where git cannot or must not run (untrusted, not a repository).
 */
export async function readRules(root: string, paths: readonly string[], options: ParseOptions & { git?: Pick<Git, 'sparseContent'>; overlays?: ReadonlyMap<string, string> } = {}): Promise<Rules> {
  const overlays = options.overlays ?? new Map<string, string>();
  const { kept, problem } = capFiles([...new Set([...paths, ...overlays.keys()])], (p) => p);
  const read = await Promise.all(kept.sort(sortByPath).map(async (path): Promise<{ path: string; text?: string; problem?: Problem } | undefined> => {
    const overlay = overlays.get(path);
    if (overlay !== undefined) return { path, text: overlay };
    const r = await readOwnershipText(root, path, options.git);
    return r && { path, ...r };
  }));
  if (problem) read.push({ path: problem.file, problem });
  return rulesFromTexts(read, options);
}

/** Parses (through the parse memo and cache) and compiles texts read from anywhere: disk, the index, a commit. */
async function rulesFromTexts(read: readonly ({ path: string; text?: string; problem?: Problem } | undefined)[], options: ParseOptions): Promise<Rules> {
  const texts = new Map<string, string>();
  const readProblems: Problem[] = [];
  for (const r of [...read].sort((a, b) => sortByPath(a?.path ?? '', b?.path ?? ''))) {
    if (!r) continue;
    if (r.problem) readProblems.push(r.problem);
    else if (r.text !== undefined) texts.set(r.path, r.text);
  }
  if (options.engine) return rulesInEngine(options.engine, texts, readProblems, options.gitDir, options.probe ?? NO_PROBE);
  const parsed = new Map<string, ParseResult>();
  await Promise.all([...texts].map(async ([path, text]) => parsed.set(path, await parseMemo(text, path, options.parseCache, options.probe))));
  return compileRules(texts, readProblems, parsed);
}

/** The same as parse + compileRules, in the engine's worker; the model stays there, under a key. */
async function rulesInEngine(engine: EngineClient, texts: ReadonlyMap<string, string>, readProblems: readonly Problem[], gitDir: string | undefined, probe: Probe): Promise<Rules> {
  const key = `rules-${++engineRuns}`;
  const r = await engine.call('rules', { key, gitDir, texts: [...texts] }, [...texts.keys()].join(', '));
  // Real parses in the worker count as parses, as in-process (the memo and cache spare the rest).
  if (r.parses) {
    probe.count('parse', r.parses);
    probe.count('parse in worker', r.parses);
  }
  const problems: Problem[] = [...readProblems, ...r.parsed.flatMap((p) => p.problems), ...r.compileProblems];
  const model = hostModel(r.model);
  engineModels.set(model, { engine, key, gitDir, texts: [...texts] });
  const parsed = new Set(r.parsed.filter((p) => p.parsed).map((p) => p.path));
  const paths = [...new Set([...texts.keys(), ...readProblems.map((p) => p.file)])].sort(sortByPath);
  const byFile = new Map<string, Problem[]>(paths.map((p) => [p, []]));
  for (const p of problems) byFile.get(p.file)?.push(p);
  return {
    files: paths.map((path) => ({ path, text: texts.get(path), parsed: parsed.has(path), problems: byFile.get(path) ?? [] })),
    model,
    problems,
    paths,
  };
}

/** Places the model's pending globs, a slice at a time (I/O runs between slices), until `pending` settles. */
async function settleWhile(model: Model, pending: Promise<unknown>): Promise<void> {
  let waiting = true;
  pending.then(() => { waiting = false; }, () => { waiting = false; });
  while (waiting && model.index.settleSome(32)) await new Promise((resolve) => setImmediate(resolve));
}

/** The verdict, in the engine's worker when the model was compiled there. */
export async function verdictOf(model: Model, changes: Change[], waivers: string[]): Promise<Verdict> {
  const m = engineModels.get(model);
  if (m) return inEngine(m, (key) => m.engine.call('analyse', { key, changes, waivers }, 'the change'));
  return analyze(model, changes, parseWaivers(waivers));
}

/** Per feature and criterion, the files it covers; `files` matched, `chunks` of work between yields here, `inWorker`. */
interface Inventory {
  value: Map<string, Map<string, string[]>>;
  files: number;
  chunks: number;
  inWorker: boolean;
}

/** The inventory of `files` plus `added` on this thread, in chunks with yields between. */
async function inventoryHere(model: Model, files: readonly string[], added: readonly string[]): Promise<Inventory> {
  const paths = [...new Set([...files, ...added])];
  return { ...(await inventoryInChunks(model, paths)), files: paths.length, inWorker: false };
}

/** Whether `model` was compiled in the engine's worker (its glob lists and index are there, not here). */
export const inWorker = (model: Model): boolean => engineModels.has(model);

/**
 * Per feature and criterion, the files among `files` plus `added` it covers (core `inventory`, in
 * the same order). In the engine's worker when the model was compiled there; otherwise on this
 * thread, a chunk of paths at a time with a yield between. `chunks`: the pieces of work between
 * yields on this thread; `inWorker`: where the matching ran.
 */
export async function inventoryOf(model: Model, files: readonly string[], added: readonly string[], probe: Probe = NO_PROBE): Promise<Inventory> {
  const m = engineModels.get(model);
  if (!m) return inventoryHere(model, files, added);
  const packed = await inEngine(m, (key) => m.engine.withPaths(files, (ref) => m.engine.call('inventory', { key, files: ref, added: [...added] }, 'the tracked files')));
  probe.count('inventory in worker');
  return { ...(await unpackInventory(packed, files)), files: files.length + packed.extra.length, inWorker: true };
}

/** classify() of each path, in the engine's worker when the model was compiled there. */
export async function classifyPaths(model: Model, paths: readonly string[]): Promise<{ memberships: Membership[]; ignored: boolean }[]> {
  const m = engineModels.get(model);
  if (!m) return paths.map((p) => classify(model, p));
  return inEngine(m, (key) => m.engine.call('classify', { key, paths: [...paths] }, paths.join(', ')));
}

/** Paths rebuilt per yield while a packed inventory is unpacked. */
const UNPACK_STEP = 20_000;

/** The inventory the worker packed (see PackedInventory), as inventory() returns it; yields every UNPACK_STEP paths. */
async function unpackInventory(packed: PackedInventory, files: readonly string[]): Promise<{ value: Map<string, Map<string, string[]>>; chunks: number }> {
  const value = new Map<string, Map<string, string[]>>();
  let start = 0;
  let since = 0;
  let chunks = 1;
  for (const [feature, criterion, end] of packed.spans) {
    let criteria = value.get(feature);
    if (!criteria) value.set(feature, (criteria = new Map()));
    const list: string[] = [];
    for (let i = start; i < end; i++) {
      const k = packed.at[i]!;
      list.push(k < files.length ? files[k]! : packed.extra[k - files.length]!);
    }
    criteria.set(criterion, list);
    since += end - start + 1;
    start = end;
    if (since >= UNPACK_STEP) {
      since = 0;
      chunks++;
      await yieldToEventLoop();
    }
  }
  return { value, chunks };
}

/** Index or tree entries named OWNERSHIP.yml (or inside a folder so named: reported, as on disk), read as git stores them. */
async function rulesFromGit(git: Git, entries: readonly GitEntry[], lookup: (path: string) => Promise<GitEntry[]>, options: ParseOptions): Promise<Rules> {
  const files: GitEntry[] = [];
  const read: { path: string; text?: string; problem?: Problem }[] = [];
  const folders = new Set<string>();
  for (const e of entries) {
    const segments = e.path.split('/');
    const at = segments.indexOf(FILE_NAME);
    if (at >= 0 && at < segments.length - 1) folders.add(segments.slice(0, at + 1).join('/'));
    else if (segments[segments.length - 1] === FILE_NAME) files.push(e);
  }
  for (const path of folders) read.push({ path, problem: gitProblem(path, 'directory', `${FILE_NAME} is a directory; it must be a YAML file`) });
  const capped = capFiles(files, (e) => e.path);
  files.length = 0;
  files.push(...capped.kept);
  if (capped.problem) read.push({ path: capped.problem.file, problem: capped.problem });
  const blobs = await git.readBlobs(files.filter((e) => e.mode !== '160000').map((e) => e.oid));
  for (const entry of files) {
    if (entry.mode === '160000') continue; // a submodule named OWNERSHIP.yml: not ours
    // git stores a link as the name of its target: followed inside the repository, as on disk.
    const e = entry.mode === '120000' ? await followLink(git, entry, blobs, lookup) : entry;
    if ('problem' in e) {
      read.push({ path: entry.path, problem: e.problem });
      continue;
    }
    const buf = blobs.get(e.oid);
    if (!buf) {
      read.push({ path: e.path, problem: gitProblem(e.path, 'unreadable', `cannot read ${FILE_NAME} from git (object ${e.oid} is missing)`) });
      continue;
    }
    read.push({ path: entry.path, ...decodeOwnership(buf, entry.path) });
  }
  return rulesFromTexts(read, options);
}

/**
 * The entry a stored symbolic link leads to, with its blob read into `blobs`; a problem when it
 * leads outside the repository (never read, as on disk), loops or points to nothing.
 */
async function followLink(git: Git, link: GitEntry, blobs: Map<string, Buffer>, lookup: (path: string) => Promise<GitEntry[]>): Promise<GitEntry | { problem: Problem }> {
  let e = link;
  for (let hops = 0; hops < 40 && e.mode === '120000'; hops++) {
    const target = blobs.get(e.oid)?.toString('utf8') ?? '';
    const path = posix.normalize(posix.join(posix.dirname(e.path), target));
    if (posix.isAbsolute(target) || path === '..' || path.startsWith('../')) {
      return { problem: gitProblem(link.path, 'outside-repository', `${FILE_NAME} is a symbolic link (or inside a linked folder) leading outside the repository, so it is not read: replace it with a file`) };
    }
    const next = (await lookup(path))[0];
    if (!next) break;
    if (!blobs.has(next.oid)) for (const [oid, buf] of await git.readBlobs([next.oid])) blobs.set(oid, buf);
    e = next;
  }
  if (e.mode === '120000' || e === link) return { problem: gitProblem(link.path, 'bad-link', `${FILE_NAME} is a symbolic link that loops or points to nothing: replace it with a file`) };
  return e;
}

function gitProblem(file: string, code: string, message: string): Problem {
  return { file, line: 1, col: 1, endLine: 1, endCol: 1, severity: 'error', code, message };
}

/** Where the rules are read from: the working tree (+ unsaved editors), the index, or a commit. */
type RulesFrom = { kind: 'worktree' } | { kind: 'index' } | { kind: 'commit'; commit: string };

const WORKTREE: RulesFrom = { kind: 'worktree' };

/** Index pathspecs for OWNERSHIP.yml files and folders so named (plain pathspecs: `*` crosses `/`). */
const OWNERSHIP_PATHSPECS = [`*${FILE_NAME}`, `*${FILE_NAME}/*`];

/** Whether a repository path is an OWNERSHIP.yml or lies in a folder so named. */
const isOwnershipPath = (p: string) => p === FILE_NAME || p.endsWith(`/${FILE_NAME}`) || p.startsWith(`${FILE_NAME}/`) || p.includes(`/${FILE_NAME}/`);

/** Compiles parsed files into the rules, with every problem attributed to its file. */
function compileRules(texts: ReadonlyMap<string, string>, readProblems: readonly Problem[], parsed: ReadonlyMap<string, ParseResult>): Rules {
  const problems: Problem[] = [...readProblems];
  const files: OwnershipFile[] = [];
  for (const path of texts.keys()) {
    const r = parsed.get(path);
    if (!r) continue;
    problems.push(...r.problems);
    if (r.file) files.push(r.file);
  }
  const compiled = compileModel(files);
  problems.push(...compiled.problems);
  const paths = [...new Set([...texts.keys(), ...readProblems.map((p) => p.file)])].sort(sortByPath);
  const byFile = new Map<string, Problem[]>(paths.map((p) => [p, []]));
  for (const p of problems) byFile.get(p.file)?.push(p);
  return {
    files: paths.map((path) => ({ path, text: texts.get(path), parsed: !!parsed.get(path)?.file, problems: byFile.get(path) ?? [] })),
    model: compiled.model,
    problems,
    paths,
  };
}

/** Whether the rules can judge a change: at least one file and no errors. */
export function usable(rules: Rules): boolean {
  return rules.paths.length > 0 && !rules.problems.some((p) => p.severity === 'error');
}

/**
 * The analysis of one repository, with its caches: the discovered OWNERSHIP.yml list, the rules
 * (until an OWNERSHIP.yml changes) and the tracked-file list (kept while HEAD and the index's
 * added/deleted paths stay the same, and compared by content when git is asked again).
 */
export class FolderAnalysis {
  private readonly probe: Probe;
  private readonly cache: ParseCache | undefined;
  private discovered: Promise<string[]> | undefined;
  private rulesPromise: Promise<Rules> | undefined;
  /** The last staged diff, while the index has not moved: it answers "were files added or removed?". */
  private staged: Promise<Change[]> | undefined;
  private tracked: { key: string; files: string[] } | undefined;
  /** The ends of a range asked for, shared by the diff and the rules of the head commit. */
  private readonly ends = new Map<string, Promise<{ from: string; to: string }>>();
  private trackedPromise: Promise<string[]> | undefined;

  constructor(readonly git: Git, private readonly ports: AnalysisPorts = {}) {
    this.probe = ports.probe ?? NO_PROBE;
    this.cache = ports.parseCache === null ? undefined : ports.parseCache ?? parseCache(git.gitDir);
  }

  get root(): string {
    return this.git.root;
  }

  invalidate(what: Invalidation): void {
    if (what.rules || what.ownershipFiles) this.rulesPromise = undefined;
    if (what.ownershipFiles) this.discovered = undefined;
    if (what.files) {
      this.staged = undefined;
      this.trackedPromise = undefined;
    }
  }

  /** Repository-relative paths of every OWNERSHIP.yml (tracked or untracked, not ignored). */
  ownershipPaths(): Promise<string[]> {
    this.discovered ??= this.discover();
    this.discovered.catch(() => { this.discovered = undefined; });
    return this.discovered;
  }

  private async discover(): Promise<string[]> {
    // In the editor, in the engine's worker: the discovery cache stats every folder of the
    // working tree (and walks it when something changed), hundreds of milliseconds at 100k files.
    const engine = this.ports.engine;
    const paths = engine ? await engine.retrying('ownershipFiles', { root: this.git.root }, 'the working tree') : await this.git.ownershipFiles();
    // git does not see an empty folder; one named OWNERSHIP.yml at the root is worth reporting.
    if (!paths.includes(FILE_NAME) && (await lstat(join(this.git.root, FILE_NAME)).catch(() => undefined))?.isDirectory()) paths.push(FILE_NAME);
    return paths;
  }

  /**
   * The rules as they stand in the working tree and in unsaved editors (cached until invalidated),
   * or as git stores them in the index or a commit: one `ls-files -s` or `ls-tree`, one `cat-file --batch`.
   */
  rules(from: RulesFrom = WORKTREE): Promise<Rules> {
    const options: ParseOptions = { parseCache: this.cache, probe: this.probe, engine: this.ports.engine, gitDir: this.ports.parseCache === null ? undefined : this.git.gitDir };
    if (from.kind === 'index') {
      const lookup = (path: string) => this.git.indexEntries([`:(literal)${path}`]);
      return this.git.indexEntries(OWNERSHIP_PATHSPECS).then((entries) => rulesFromGit(this.git, entries, lookup, options));
    }
    if (from.kind === 'commit') {
      const lookup = (path: string) => this.git.treeEntries(from.commit, (p) => p === path, path);
      return this.git.treeEntries(from.commit, isOwnershipPath).then((entries) => rulesFromGit(this.git, entries, lookup, options));
    }
    if (!this.rulesPromise) {
      const p = this.ownershipPaths().then((paths) => readRules(this.git.root, paths, { ...options, git: this.git, overlays: this.ports.overlays?.() }));
      this.rulesPromise = p;
      p.catch(() => { if (this.rulesPromise === p) this.rulesPromise = undefined; });
    }
    return this.rulesPromise;
  }

  /** The change of `source`; with `messageFile` (staged mode), the waivers typed in that commit message file. */
  async changes(source: ChangeSource, message?: CommitMessage): Promise<ChangeSet> {
    if (source.kind === 'range') {
      // The diff and the trailers of the range are independent: one process each, at once.
      const { from, to } = await this.rangeEnds(source.base, source.head);
      const [changes, waivers] = await Promise.all([this.git.diffCommits(from, to), this.git.rangeWaivers(from, to)]);
      return { changes, waivers, range: { from, to } };
    }
    const changesP = source.kind === 'staged' ? this.stagedChanges() : this.git.workingChanges();
    const waiversP = message?.values ? Promise.resolve(message.values) : message?.file ? this.git.messageWaivers(message.file) : Promise.resolve([]);
    const [changes, waivers] = await Promise.all([changesP, waiversP]);
    return { changes, waivers };
  }

  /**
   * The rules that judge `source`, where the commit check reads them: `--staged` (and the hook)
   * the index — the commit about to be made, with the rules it carries; `--base/--head` the head
   * commit; `--working` the working tree. With `rulesFrom: 'worktree'` (the editor), always the
   * working tree and unsaved editors.
   */
  async rulesFor(source: ChangeSource): Promise<Rules> {
    if (this.ports.rulesFrom === 'worktree' || source.kind === 'working') return this.rules();
    if (source.kind === 'staged') return this.rules({ kind: 'index' });
    return this.rules({ kind: 'commit', commit: (await this.rangeEnds(source.base, source.head)).to });
  }

  private rangeEnds(base: string, head: string): Promise<{ from: string; to: string }> {
    const key = `${base}\0${head}`;
    let p = this.ends.get(key);
    if (!p) {
      p = this.git.rangeEnds(base, head);
      this.ends.set(key, p);
      p.catch(() => this.ends.delete(key));
    }
    return p;
  }

  /**
   * OWNERSHIP.yml files whose working-tree state differs from the index (unstaged edits, untracked
   * or deleted without staging): the commit check, reading the index, would not judge with them.
   */
  async unstagedRules(): Promise<string[]> {
    const [worktree, index, diff] = await Promise.all([
      this.ownershipPaths(),
      this.git.indexEntries(OWNERSHIP_PATHSPECS),
      this.git.raw(['diff', '--name-only', '-z', '--no-ext-diff', '--', ...OWNERSHIP_PATHSPECS]),
    ]);
    const isFile = (p: string) => p === FILE_NAME || p.endsWith(`/${FILE_NAME}`);
    const staged = new Set(index.map((e) => e.path).filter(isFile));
    const out = new Set(diff.split('\0').filter((p) => p && isFile(p)));
    for (const p of worktree) if (isFile(p) && !staged.has(p)) out.add(p);
    return [...out].sort(sortByPath);
  }

  private stagedChanges(): Promise<Change[]> {
    const p = this.git.stagedChanges();
    this.staged = p;
    p.catch(() => { if (this.staged === p) this.staged = undefined; });
    return p;
  }

  /**
   * Rules, change and verdict. The diff runs while the rules load; the verdict is undefined when
   * the rules are unusable (none, or with errors) and `error` says why the change is unknown.
   */
  async analyse(source: ChangeSource, message?: CommitMessage): Promise<{ rules: Rules; changes?: ChangeSet; verdict?: Verdict; error?: string }> {
    const changesP = this.changes(source, message);
    changesP.catch(() => undefined); // awaited below unless the rules are unusable
    const rules = await this.rulesFor(source);
    if (!usable(rules)) return { rules };
    // In this process (the CLI, the hook), place the globs while git is still computing the change:
    // the index is built lazily, as lookups reach its folders, and git's wait is free time.
    if (!this.ports.engine) await settleWhile(rules.model, changesP);
    let changes: ChangeSet;
    try {
      changes = await changesP;
    } catch (e) {
      if (!(e instanceof GitFailure)) throw e;
      changes = { changes: [], waivers: [] };
      return { rules, changes, verdict: await verdictOf(rules.model, [], []), error: e.message };
    }
    this.probe.count('analyse');
    return { rules, changes, verdict: await verdictOf(rules.model, changes.changes, changes.waivers) };
  }

  /**
   * Every tracked path. `git ls-files` runs only when HEAD moved or the index gained or lost a path
   * (a staged add, delete or rename); a `git add` of modified files reuses the list. A list equal
   * to the previous one is returned as the same array, so callers can key caches on it.
   */
  trackedFiles(): Promise<string[]> {
    if (!this.trackedPromise) {
      const p = this.listTracked();
      this.trackedPromise = p;
      p.catch(() => { if (this.trackedPromise === p) this.trackedPromise = undefined; });
    }
    return this.trackedPromise;
  }

  private async listTracked(): Promise<string[]> {
    const [head, staged] = await Promise.all([this.git.headCommit(), this.staged ?? this.stagedChanges()]);
    const key = [head ?? '', ...staged.filter((c) => c.status !== 'M' && c.status !== 'T').map((c) => `${c.status}:${c.oldPath ?? ''}:${c.path}`)].join('\0');
    if (this.tracked?.key === key) return this.tracked.files;
    const files = await this.git.trackedFiles();
    const same = this.tracked && sameList(this.tracked.files, files);
    this.tracked = { key, files: same ? this.tracked!.files : files };
    return this.tracked.files;
  }

  /** See inventoryOf. */
  inventory(model: Model, files: readonly string[], added: readonly string[]): Promise<Inventory> {
    return inventoryOf(model, files, added, this.probe);
  }

  /** See classifyPaths. */
  classify(model: Model, paths: readonly string[]): Promise<{ memberships: Membership[]; ignored: boolean }[]> {
    return classifyPaths(model, paths);
  }

  /**
   * The owed pieces at HEAD over its last `maxCount` first-parent changes (src/node/owed.ts): in
   * the engine's worker (which runs the `git log` too) when the model was compiled there, under
   * four times the usual time budget; otherwise here, a few changes at a time with yields between.
   */
  async owed(model: Model, maxCount: number): Promise<Report & { steps: number }> {
    const m = engineModels.get(model);
    if (!m) return owedReport(this.git, model, maxCount);
    const r = await inEngine(m, (key) => m.engine.call('owed', { key, root: this.git.root, maxCount }, `the last ${maxCount} changes of ${this.git.root}`, m.engine.budgetMs * 4));
    this.probe.count('owed in worker');
    return r;
  }

  /** The git user, for the `mine` filter. */
  async identity(): Promise<{ name?: string; email?: string }> {
    const [name, email] = await Promise.all([this.git.config('user.name'), this.git.config('user.email')]);
    return { name, email };
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Rules of the repository in the working tree, for `validate`, `which`, `list`, `init`, `report`. */
export function loadRules(git: Git): Promise<Rules> {
  return new FolderAnalysis(git).rules();
}
