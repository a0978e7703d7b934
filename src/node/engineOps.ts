// What the editor asks of the engine, as plain data in and out, so it can run in a worker thread
// (src/node/engineWorker.ts) and never on the extension host's event loop: parsing (through the
// parse memo and the repository's on-disk parse cache), compiling the glob index, analysing a
// change, classifying paths, the per-criterion file lists of the Features view (inventory),
// counting glob matches over the tracked files, finding the globs of an OWNERSHIP.yml and the owed
// pieces of the current branch (ownership report over its history); also the editor's git commands
// and its stat of the OWNERSHIP.yml files. The compiled models stay where they were compiled, keyed
// by folder; the caller gets everything but the glob index. Large path lists cross the boundary
// '\0'-joined (one copy, not 100k small ones), in parts and once per worker (pathsPart), and large
// answers as indexes into them, so the host's side of each call stays a few milliseconds.
import { findGlobSites, noMatchCandidates, type GlobSite } from '../core/globSites';
import { matchCodeGlob, matchGlobs, type CodeGlobMatches, type GlobMatches } from '../core/globMatches';
import { analyze, classify, compileModel, inventory, parseWaivers, type Model } from '../core/model';
import { parseOwnership } from '../core/parse';
import type { Report } from '../core/report';
import type { Change, Membership, OwnershipFile, ParseResult, Problem, Verdict } from '../core/types';
import { splitPaths, UNKNOWN_PATHS } from './engineClient';
import { fileSignature } from './fileSignature';
import { Git, rawGit } from './git';
import { parseCache, type ParseCache } from './modelCache';
import { owedReport } from './owed';

/** What crosses the worker boundary of a model: its features (the glob lists and index stay in the worker). */
export type PlainModel = Pick<Model, 'features'>;

interface RulesArgs {
  /** Which folder's model this is (its root): later calls name it. */
  key: string;
  /** The git directory, for the on-disk parse cache; absent: memory only (untrusted folders). */
  gitDir?: string;
  /** OWNERSHIP.yml texts by repository-relative path, in order. */
  texts: [string, string][];
}

interface RulesResult {
  /** Per path, the parse problems and whether it parsed. */
  parsed: { path: string; problems: Problem[]; parsed: boolean }[];
  /** Problems of compiling (ids declared twice). */
  compileProblems: Problem[];
  model: PlainModel;
  /** How many texts were parsed, not found in the memo or the on-disk cache. */
  parses: number;
}

/** Tells the caller which file is being worked on, so a watchdog can name it. */
type Progress = (file: string) => void;

const models = new Map<string, Model>();
const caches = new Map<string, ParseCache>();
/** One parse per text for the life of the worker: the editor asks again on every `git add`. */
const memo = new Map<string, ParseResult>();
const MEMO_MAX = 64;
const MODELS_MAX = 16;

async function parseOne(path: string, text: string, cache: ParseCache | undefined, progress: Progress): Promise<{ result: ParseResult; parsed: boolean }> {
  const key = `${path}\0${text}`;
  const hit = memo.get(key);
  if (hit) return { result: hit, parsed: false };
  progress(path);
  let result = await cache?.get(path, text);
  const parsed = !result;
  if (!result) {
    result = parseOwnership(text, path);
    await cache?.set(path, text, result);
  }
  memo.set(key, result);
  if (memo.size > MEMO_MAX) memo.delete(memo.keys().next().value!);
  return { result, parsed };
}

/**
 * The inventory as it crosses the boundary: `paths` (the tracked files, then the added paths they
 * lack) indexed by `at`; `spans` holds, per feature and criterion in order, [feature, criterion,
 * end], each list being `at` from the previous end to its own.
 */
export interface PackedInventory {
  extra: string[];
  at: Uint32Array;
  spans: [string, string, number][];
}

/** Repositories the worker opened (owed pieces, discovery), by root. */
const repos = new Map<string, Promise<Git>>();

function gitFor(root: string): Promise<Git> {
  let git = repos.get(root);
  if (!git) {
    git = Git.open(root);
    repos.set(root, git);
    git.catch(() => repos.delete(root));
  }
  return git;
}

/** A path list as a request names it: '\0'-joined, or the id of one handed over with pathsPart. */
type PathsRef = string | { id: number };

/** Path lists handed over in parts, by id (the tracked files of a few repositories), and parts so far. */
const lists = new Map<number, string[]>();
const partial = new Map<number, string[]>();
const MAX_LISTS = 4;

/** Paths of a request; a list this worker does not hold (restarted, or dropped) fails with UNKNOWN_PATHS. */
function pathsOf(ref: PathsRef): string[] {
  if (typeof ref === 'string') return splitPaths(ref);
  const list = lists.get(ref.id);
  if (!list) throw new Error(`${UNKNOWN_PATHS} ${ref.id}`);
  return list;
}

/** The glob sites of the last text asked about: the hover and the diagnostics ask for the same file. */
let lastSites: { text: string; sites: GlobSite[] } | undefined;
function sitesOf(text: string): GlobSite[] {
  if (lastSites?.text !== text) lastSites = { text, sites: findGlobSites(text) };
  return lastSites.sites;
}

function modelOf(key: string): Model {
  const m = models.get(key);
  if (!m) throw new Error(`no rules loaded for ${key}`);
  return m;
}

export const engineOps = {
  async rules(args: RulesArgs, progress: Progress): Promise<RulesResult> {
    let cache: ParseCache | undefined;
    if (args.gitDir) {
      cache = caches.get(args.gitDir) ?? parseCache(args.gitDir);
      caches.set(args.gitDir, cache);
    }
    const parsed: RulesResult['parsed'] = [];
    const files: OwnershipFile[] = [];
    let parses = 0;
    for (const [path, text] of args.texts) {
      const { result: r, parsed: fresh } = await parseOne(path, text, cache, progress);
      if (fresh) parses++;
      parsed.push({ path, problems: r.problems, parsed: !!r.file });
      if (r.file) files.push(r.file);
    }
    progress(args.texts.map(([p]) => p).join(', '));
    const { model, problems } = compileModel(files);
    models.set(args.key, model);
    // The caller keeps the last few rule sets (working tree, index, a commit): so does the worker.
    if (models.size > MODELS_MAX) models.delete(models.keys().next().value!);
    return { parsed, compileProblems: problems, model: { features: model.features }, parses };
  },

  analyse(args: { key: string; changes: Change[]; waivers: string[] }): Verdict {
    return analyze(modelOf(args.key), args.changes, parseWaivers(args.waivers));
  },

  classify(args: { key: string; paths: string[] }): { memberships: Membership[]; ignored: boolean }[] {
    const model = modelOf(args.key);
    return args.paths.map((p) => classify(model, p));
  },

  /** inventory() over the tracked files (joined) plus the added paths, packed (see PackedInventory). */
  inventory(args: { key: string; files: PathsRef; added: string[] }): PackedInventory {
    const files = pathsOf(args.files);
    const position = new Map<string, number>();
    files.forEach((p, i) => { if (!position.has(p)) position.set(p, i); });
    const extra: string[] = [];
    for (const p of args.added) {
      if (position.has(p)) continue;
      position.set(p, files.length + extra.length);
      extra.push(p);
    }
    // The same paths, in the same order, as `new Set([...files, ...added])`.
    const paths = [...position.keys()];
    const spans: [string, string, number][] = [];
    const at: number[] = [];
    for (const [feature, criteria] of inventory(modelOf(args.key), paths)) {
      for (const [criterion, list] of criteria) {
        for (const p of list) at.push(position.get(p)!);
        spans.push([feature, criterion, at.length]);
      }
    }
    return { extra, at: Uint32Array.from(at), spans };
  },

  globCounts(args: { globs: string[]; files: PathsRef; maxExamples: number }): [string, GlobMatches][] {
    return [...matchGlobs(args.globs, pathsOf(args.files), args.maxExamples)];
  },

  /**
   * A part of a path list the client hands over in pieces (EngineClient.withPaths): at 100k paths one
   * message of ≈6 MB held the host's loop for 25–60 ms; pieces of PATHS_PART let it turn between
   * them. The list is complete, and kept under `id`, when the last part arrives.
   */
  pathsPart(args: { id: number; part: string; last: boolean }): void {
    const parts = partial.get(args.id) ?? [];
    parts.push(args.part);
    if (!args.last) return void partial.set(args.id, parts);
    partial.delete(args.id);
    lists.set(args.id, parts.flatMap(splitPaths));
    if (lists.size > MAX_LISTS) lists.delete(lists.keys().next().value!);
  },

  /**
   * A feature's `code` glob over the tracked files (joined), counted as the model counts code (its
   * criteria carved out), with the feature as `text` declares it; undefined when it declares none.
   */
  async codeGlobCounts(args: { text: string; path: string; feature: string; glob: string; files: PathsRef; maxExamples: number }, progress: Progress): Promise<CodeGlobMatches | undefined> {
    const { result } = await parseOne(args.path, args.text, undefined, progress);
    const feature = result.file?.features.find((f) => f.id === args.feature);
    return feature && matchCodeGlob(args.glob, feature, pathsOf(args.files), args.maxExamples);
  },

  /** The owed pieces at HEAD of the repository at `root` (see owed.ts), judged by the model `key`. */
  async owed(args: { key: string; root: string; maxCount: number }, progress: Progress): Promise<Report & { steps: number }> {
    const model = modelOf(args.key);
    progress(`the history of ${args.root}`);
    return owedReport(await gitFor(args.root), model, args.maxCount);
  },

  /**
   * The OWNERSHIP.yml files of the repository at `root`, tracked or not (Git.ownershipFiles): finding
   * untracked ones walks the working tree or checks the discovery cache's stat data of every folder.
   */
  async ownershipFiles(args: { root: string }, progress: Progress): Promise<string[]> {
    progress(`the working tree of ${args.root}`);
    return (await gitFor(args.root)).ownershipFiles();
  },

  globSites(args: { text: string; path: string }, progress: Progress): GlobSite[] {
    progress(args.path);
    return sitesOf(args.text);
  },

  /** The globs of an OWNERSHIP.yml to check for matching no tracked file (see noMatchCandidates). */
  noMatchCandidates(args: { text: string; path: string }, progress: Progress): { sites: GlobSite[]; globs: string[] } {
    progress(args.path);
    const base = args.path.includes('/') ? args.path.slice(0, args.path.lastIndexOf('/')) : '';
    return noMatchCandidates(sitesOf(args.text), base);
  },

  /** `git <args>` in `dir`, through simple-git: the extension's git commands are spawned here, not on its host. */
  git(args: { dir: string; args: string[] }): Promise<string> {
    return rawGit(args.dir, args.args);
  },

  /**
   * A signature of each file (size, times, inode; `gone` when it cannot be stat'ed), for the
   * editor's fallback to its file watcher: a thousand stats cost the host's loop 16-60 ms of
   * promise callbacks, here they cost it one message.
   */
  async statFiles(args: { files: string[] }): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < args.files.length; i += 64) out.push(...(await Promise.all(args.files.slice(i, i + 64).map(fileSignature))));
    return out;
  },

  forget(args: { key: string }): void {
    models.delete(args.key);
  },
};

type EngineOps = typeof engineOps;
export type OpName = keyof EngineOps;
export type OpArgs<K extends OpName> = Parameters<EngineOps[K]>[0];
export type OpResult<K extends OpName> = Awaited<ReturnType<EngineOps[K]>>;
