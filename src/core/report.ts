// `ownership report`: how the rules of the working tree's OWNERSHIP.yml judge a stretch of
// first-parent history, and which pieces are still owed at its head. Pure: history arrives as
// data (src/node/history.ts reads it), each change is judged as `analyze` judges one for `check`.
import { matchLists, parseWaivers, type Model } from './model';
import type { Change, FeatureDef, Waiver } from './types';

/** One first-parent commit: a change, with its diff against its first parent. */
export interface HistoryCommit {
  sha: string;
  parents: string[];
  author: string;
  /** Author date, ISO 8601. */
  date: string;
  subject: string;
  /** The message after the subject. */
  body: string;
  /** `Ownership-Waived` trailer values of this commit's own message. */
  waivers: string[];
  changes: Change[];
}

/** A commit that a merge on the chain brings in. */
export interface BroughtCommit {
  sha: string;
  parents: string[];
  waivers: string[];
}

/** A required criterion a change left out (waived or not), not supplied by any later change. */
export interface OwedPiece {
  criterion: string;
  commit: string;
  subject: string;
  author: string;
  date: string;
  waived: boolean;
  reason: string;
}

export interface FeatureReport {
  id: string;
  name: string;
  owners: string[];
  /** Changes that touched the feature. */
  touched: number;
  /** Of those, the ones with no gap and no waiver. */
  complete: number;
  /** Per required criterion: touching changes that missed it (not waived). */
  gaps: Record<string, number>;
  /** Per required criterion: touching changes that waived it. */
  waived: Record<string, number>;
  /** Unsettled pieces at the head, oldest first. */
  owed: OwedPiece[];
}

export interface Report {
  schemaVersion: 1;
  range: { head: string; commits: number };
  features: FeatureReport[];
  summary: { commits: number; touching: number; complete: number; withGaps: number; owed: number };
}

/**
 * Per merge on the chain, the commits it brings in: those reachable from its other parents and
 * from no older change of the chain (git's `M^1..M` without M itself). `chain` is newest first;
 * `brought` holds every commit of the range that is not on the chain.
 */
export function broughtBy(chain: HistoryCommit[], brought: BroughtCommit[]): Map<string, BroughtCommit[]> {
  const bySha = new Map(brought.map((c) => [c.sha, c]));
  const claimed = new Set(chain.map((c) => c.sha));
  const out = new Map<string, BroughtCommit[]>();
  // Oldest merge first: what an older merge brought in is reachable from every later first parent.
  for (let i = chain.length - 1; i >= 0; i--) {
    const merge = chain[i]!;
    if (merge.parents.length < 2) continue;
    const commits: BroughtCommit[] = [];
    const stack = merge.parents.slice(1);
    while (stack.length) {
      const sha = stack.pop()!;
      if (claimed.has(sha)) continue;
      const c = bySha.get(sha);
      if (!c) continue; // below the range: reachable from the chain's oldest first parent
      claimed.add(sha);
      commits.push(c);
      stack.push(...c.parents);
    }
    out.set(merge.sha, commits);
  }
  return out;
}

/** Per merge on the chain, the waiver trailers of the commits it brings in (see broughtBy). */
export function broughtWaivers(chain: HistoryCommit[], brought: BroughtCommit[]): Map<string, string[]> {
  return new Map([...broughtBy(chain, brought)].map(([merge, commits]) => [merge, commits.flatMap((c) => c.waivers)]));
}

/** What a report needs of one feature's verdict on one change. */
interface Judged {
  /** Index of the feature in the model. */
  n: number;
  id: string;
  touched: boolean;
  /** `code` and the criteria with changed paths, in analyze's order. */
  changed: string[];
  gaps: string[];
  waived: { criterion: string; reason: string }[];
}

/**
 * The features a change reaches, grouped by the lists its paths fall in there (`code`, criteria):
 * `[lists, features]`, features by index in the model, ascending, each in one group. A change
 * usually reaches many features through one shared file (a CHANGELOG all of a package's features
 * declare) and touches one or two: grouping keeps the first kind to one entry per change, which a
 * report can often pass over whole (see ReportBuilder.add).
 */
export type Reach = readonly ReachGroup[];
export type ReachGroup = readonly [lists: readonly string[], features: readonly number[]];

/**
 * The verdicts of the features that `changes` reach, as `analyze` gives them, without judging
 * the features a change does not reach: a change reaches a handful of a repository's features,
 * and judging all of them for each of a thousand changes costs a thousand times the features. A
 * feature's verdict depends only on which of its lists the changed paths fall in (code, each
 * criterion) and on the waivers, so that is all this computes; the lists of each path are kept,
 * as history edits the same files again and again. A property test holds this to analyze over
 * the whole model.
 */
export class Judge {
  private readonly listsOf = new Map<string, readonly number[]>();
  private readonly hits: number[] = [];
  private readonly prepared = new WeakMap<Change[], Reach>();

  constructor(readonly model: Model) {}

  /**
   * Does the part of judging `changes` that the waivers do not affect, ahead of `verdicts`: the
   * report does it while git is still writing the rest of the history.
   */
  prepare(changes: Change[]): void {
    if (!this.prepared.has(changes)) this.prepared.set(changes, this.reached(changes));
  }

  /** What prepare finds for `changes`, as data. Not to be changed. */
  reachOf(changes: Change[]): Reach {
    let reach = this.prepared.get(changes);
    if (!reach) this.prepared.set(changes, (reach = this.reached(changes)));
    return reach;
  }

  /** Takes what reachOf gave for `changes` under the same model (a cache), instead of preparing them. */
  seed(changes: Change[], reach: Reach): void {
    this.prepared.set(changes, reach);
  }

  /** The reach of `changes`: groups in order of their first feature, lists sorted. */
  private reached(changes: Change[]): Reach {
    const reached = new Map<number, Set<string>>();
    for (const c of changes) {
      this.reach(c.path, reached);
      // Both sides of a rename, as analyze's changedPaths; a copy leaves its source alone.
      if (c.oldPath && c.status === 'R') this.reach(c.oldPath, reached);
    }
    const groups = new Map<string, [string[], number[]]>();
    for (const [n, set] of [...reached].sort((a, b) => a[0] - b[0])) {
      const lists = [...set].sort();
      const key = lists.join(',');
      const g = groups.get(key);
      if (g) g[1].push(n);
      else groups.set(key, [lists, [n]]);
    }
    return [...groups.values()];
  }

  verdicts(changes: Change[], waivers: Waiver[]): Judged[] {
    const reach = this.reachOf(changes);
    if (!reach.length) return [];
    const lookup = waiverLookup(waivers);
    // In declaration order, as analyze lists them.
    return reach.flatMap(([lists, features]) => features.map((n): [number, readonly string[]] => [n, lists]))
      .sort((a, b) => a[0] - b[0])
      .map(([n, lists]) => this.verdictOf(n, lists, lookup));
  }

  /** The verdict of feature `n` when a change's paths fall in its `lists`. */
  verdictOf(n: number, lists: readonly string[], lookup: WaiverLookup): Judged {
    const f = this.model.features[n]!;
    const touched = lists.includes('code');
    const supplied = f.criteria.filter((c) => lists.includes(c.name)).map((c) => c.name);
    const changed = touched ? ['code', ...supplied] : supplied;
    const gaps: string[] = [];
    const waived: { criterion: string; reason: string }[] = [];
    if (touched) forEachMissing(f, lists, lookup, (criterion, reason) => (reason === undefined ? gaps.push(criterion) : waived.push({ criterion, reason })));
    return { n, id: f.id, touched, changed, gaps, waived };
  }

  private reach(path: string, reached: Map<number, Set<string>>): void {
    let lists = this.listsOf.get(path);
    if (!lists) {
      matchLists(this.model, path, this.hits);
      lists = this.hits.filter((l) => (this.model.lists[l]?.feature ?? -1) >= 0);
      if (this.listsOf.size > 200_000) this.listsOf.clear();
      this.listsOf.set(path, lists);
    }
    for (const l of lists) {
      const info = this.model.lists[l]!;
      const set = reached.get(info.feature);
      if (set) set.add(info.criterion);
      else reached.set(info.feature, new Set([info.criterion]));
    }
  }
}

/**
 * For each required criterion of `f` a change touching its code leaves out (its paths fall in
 * none of that criterion's files), in `f`'s order: the waiver's reason, or undefined for a gap.
 * Indexed loops: the report runs this in cold code, where for…of cost ~1 µs an entry.
 */
function forEachMissing(f: FeatureDef, lists: readonly string[], lookup: WaiverLookup, each: (criterion: string, reason: string | undefined) => void): void {
  for (let c = 0; c < f.criteria.length; c++) {
    const criterion = f.criteria[c]!;
    if (criterion.required && lists.indexOf(criterion.name) < 0) each(criterion.name, lookup(f.id, criterion.name));
  }
}

/** The reason a waiver gives for a feature's criterion ('' without one), or undefined when none waives it. */
type WaiverLookup = (feature: string, criterion: string) => string | undefined;

function waiverLookup(waivers: Waiver[]): WaiverLookup {
  if (!waivers.length) return () => undefined;
  const waived = new Map<string, string>();
  for (const w of waivers) if (!waived.has(`${w.feature}/${w.criterion}`) || w.reason) waived.set(`${w.feature}/${w.criterion}`, w.reason);
  return (id, c) => waived.get(`${id}/${c}`);
}

const REVERT = /This reverts commit ([0-9a-f]{7,64})/g;

/** The commits of the range that `commit` says it reverts (git revert's message). */
function revertedBy(commit: HistoryCommit, shas: string[]): string[] {
  const out: string[] = [];
  for (const m of `${commit.subject}\n${commit.body}`.matchAll(REVERT)) {
    const hit = shas.find((s) => s.startsWith(m[1]!));
    if (hit) out.push(hit);
  }
  return out;
}

/**
 * Judges each change of `chain` (newest first, as git log lists it) with the model and follows
 * the owed pieces from the oldest change to the newest:
 * - a change that touches a feature without a required criterion, waived or not, leaves it owed;
 * - a later change that changes any path of that criterion for that feature settles it;
 * - a revert of a change in the range takes back what that change left owed, and owes nothing itself.
 */
export function buildReport(model: Model, head: string, chain: HistoryCommit[], brought: BroughtCommit[] = [], judge?: Judge): Report {
  const builder = new ReportBuilder(model, chain, brought, judge);
  while (builder.step(Infinity));
  return builder.finish(head);
}

/** What the report counts of one feature. */
interface FeatureStats {
  touched: number;
  complete: number;
  gaps: Record<string, number>;
  waived: Record<string, number>;
  owed: OwedPiece[];
}

/**
 * buildReport one step at a time, oldest change first: `step(n)` judges up to `n` more changes
 * and says whether any remain, so a caller on a shared event loop (the editor) can yield between
 * steps.
 */
export class ReportBuilder {
  private readonly extra: Map<string, string[]>;
  /** Per feature, made when a change first touches it (most features of a large file are never touched). */
  private readonly stats: (FeatureStats | undefined)[];
  /** Per criterion name, the features owing a piece of it: most changes reach features that owe nothing of what they supply. */
  private readonly owing = new Map<string, Set<number>>();
  private readonly summary: Report['summary'];
  private readonly shas: string[];
  private readonly judge: Judge;
  private next: number;

  /** `judge`, when given, is a Judge of `model` that may have prepared some of the changes. */
  constructor(private readonly model: Model, private readonly chain: HistoryCommit[], brought: BroughtCommit[] = [], judge?: Judge) {
    this.extra = broughtWaivers(chain, brought);
    this.stats = new Array<FeatureStats | undefined>(model.features.length);
    this.summary = { commits: chain.length, touching: 0, complete: 0, withGaps: 0, owed: 0 };
    this.shas = chain.map((c) => c.sha);
    this.judge = judge ?? new Judge(model);
    this.next = chain.length - 1;
  }

  private statsOf(n: number): FeatureStats {
    let s = this.stats[n];
    if (!s) {
      // A loop, not filter/map/fromEntries: the report makes one per feature, in cold code.
      const gaps: Record<string, number> = {};
      const waived: Record<string, number> = {};
      const criteria = this.model.features[n]!.criteria;
      for (let c = 0; c < criteria.length; c++) {
        if (!criteria[c]!.required) continue;
        gaps[criteria[c]!.name] = 0;
        waived[criteria[c]!.name] = 0;
      }
      s = this.stats[n] = { touched: 0, complete: 0, gaps, waived, owed: [] };
    }
    return s;
  }

  step(count: number): boolean {
    for (let done = 0; done < count && this.next >= 0; done++) this.add(this.chain[this.next--]!);
    return this.next >= 0;
  }

  // Indexed loops throughout: a report is a short process whose loops mostly run before V8
  // optimises them, and the interpreter's iterator protocol (for…of) cost 1 µs per entry. A touched
  // feature's gaps and waivers are Judge.verdictOf's (forEachMissing), counted without building it.
  private add(commit: HistoryCommit): void {
    const reverted = revertedBy(commit, this.shas);
    if (reverted.length) this.takeBack(reverted);
    let touching = false;
    let complete = true;
    let gaps = false;
    let lookup: WaiverLookup | undefined;
    const reach = this.judge.reachOf(commit.changes);
    for (let i = 0; i < reach.length; i++) {
      const lists = reach[i]![0];
      const features = reach[i]![1];
      // Settle before owing: a change never settles what it leaves out itself. Features reached
      // through a shared file only settle; a group is passed over when none of them owes a piece
      // of its lists, which is the usual case.
      for (let j = 0; j < lists.length; j++) {
        const owing = this.owing.get(lists[j]!);
        if (!owing?.size) continue;
        for (let k = 0; k < features.length; k++) if (owing.has(features[k]!)) this.settle(features[k]!, lists[j]!, owing);
      }
      if (lists.indexOf('code') < 0) continue;
      lookup ??= waiverLookup(parseWaivers([...commit.waivers, ...(this.extra.get(commit.sha) ?? [])]));
      touching = true;
      for (let k = 0; k < features.length; k++) {
        const n = features[k]!;
        const s = this.statsOf(n);
        s.touched++;
        let left = 0;
        // In the feature's criterion order, so each change's pieces read as the file declares them.
        forEachMissing(this.model.features[n]!, lists, lookup, (criterion, reason) => {
          left++;
          if (reason === undefined) gaps = true;
          const counts = reason === undefined ? s.gaps : s.waived;
          counts[criterion] = (counts[criterion] ?? 0) + 1;
          if (!reverted.length) this.owe(n, s, criterion, reason, commit);
        });
        if (left === 0) s.complete++;
        else complete = false;
      }
    }
    if (!touching) return;
    this.summary.touching++;
    if (complete) this.summary.complete++;
    if (gaps) this.summary.withGaps++;
  }

  /** Feature `n` owes `criterion` from `commit`: waived when a waiver gives a reason ('' included). */
  private owe(n: number, s: FeatureStats, criterion: string, reason: string | undefined, commit: HistoryCommit): void {
    s.owed.push({ criterion, commit: commit.sha, subject: commit.subject, author: commit.author, date: commit.date, waived: reason !== undefined, reason: reason ?? '' });
    this.markOwing(criterion, n);
  }

  private markOwing(criterion: string, n: number): void {
    let owing = this.owing.get(criterion);
    if (!owing) this.owing.set(criterion, (owing = new Set()));
    owing.add(n);
  }

  /** Feature `n` supplies `criterion`: what it owed of it is settled. */
  private settle(n: number, criterion: string, owing: Set<number>): void {
    const s = this.stats[n]!;
    s.owed = s.owed.filter((p) => p.criterion !== criterion);
    owing.delete(n);
  }

  /** A revert takes back what the reverted changes left owed. */
  private takeBack(reverted: string[]): void {
    this.owing.clear();
    this.stats.forEach((s, n) => {
      if (!s) return;
      s.owed = s.owed.filter((p) => !reverted.includes(p.commit));
      for (const p of s.owed) this.markOwing(p.criterion, n);
    });
  }

  finish(head: string): Report {
    const summary = { ...this.summary, owed: 0 };
    const features = this.model.features.map((f, n) => {
      const s = this.statsOf(n);
      summary.owed += s.owed.length;
      return { id: f.id, name: f.name, owners: f.owners, ...s };
    });
    return { schemaVersion: 1, range: { head, commits: this.chain.length }, features, summary };
  }
}

/** An owed piece with the feature it belongs to. */
export interface FeaturePiece extends OwedPiece {
  feature: string;
  name: string;
  owners: string[];
}

/** What a branch does to the owed pieces: settles some owed before it, leaves some of its own. */
export interface OwedDelta {
  settles: FeaturePiece[];
  leaves: FeaturePiece[];
}

function pieces(r: Report): FeaturePiece[] {
  return r.features.flatMap((f) => f.owed.map((p) => ({ ...p, feature: f.id, name: f.name, owners: f.owners })));
}

/**
 * The owed pieces a branch settles and leaves. `chain` is the first-parent history of its head,
 * newest first; its first `branchLength` changes are the branch's own (those a base lacks).
 */
export function owedDelta(model: Model, chain: HistoryCommit[], branchLength: number, brought: BroughtCommit[] = []): OwedDelta {
  const key = (p: FeaturePiece) => `${p.feature}\0${p.criterion}\0${p.commit}`;
  const atHead = pieces(buildReport(model, chain[0]?.sha ?? '', chain, brought));
  const before = pieces(buildReport(model, chain[branchLength]?.sha ?? '', chain.slice(branchLength), brought));
  const still = new Set(atHead.map(key));
  const mine = new Set(chain.slice(0, branchLength).map((c) => c.sha));
  return { settles: before.filter((p) => !still.has(key(p))), leaves: atHead.filter((p) => mine.has(p.commit)) };
}
