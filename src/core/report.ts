// `ownership report`: how the rules of the working tree's OWNERSHIP.yml judge a stretch of
// first-parent history, and which pieces are still owed at its head. Pure: history arrives as
// data (src/node/history.ts reads it), each change is judged by `analyze`, as `check` judges one.
import { analyze, changedPaths, classify, compileModel, parseWaivers, type Model } from './model';
import type { Change, FeatureVerdict, Waiver } from './types';

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
 * Per merge on the chain, the waiver trailers of the commits it brings in: those reachable from
 * its other parents and from no older change of the chain. `chain` is newest first; `brought`
 * holds every commit of the range that is not on the chain.
 */
export function broughtWaivers(chain: HistoryCommit[], brought: BroughtCommit[]): Map<string, string[]> {
  const bySha = new Map(brought.map((c) => [c.sha, c]));
  const claimed = new Set(chain.map((c) => c.sha));
  const out = new Map<string, string[]>();
  // Oldest merge first: what an older merge brought in is reachable from every later first parent.
  for (let i = chain.length - 1; i >= 0; i--) {
    const merge = chain[i]!;
    if (merge.parents.length < 2) continue;
    const values: string[] = [];
    const stack = merge.parents.slice(1);
    while (stack.length) {
      const sha = stack.pop()!;
      if (claimed.has(sha)) continue;
      const c = bySha.get(sha);
      if (!c) continue; // below the range: reachable from the chain's oldest first parent
      claimed.add(sha);
      values.push(...c.waivers);
      stack.push(...c.parents);
    }
    out.set(merge.sha, values);
  }
  return out;
}

/**
 * The verdicts of the features that `changes` reach, by `analyze` itself, but over a model
 * compiled from just those features: a change reaches a handful of a repository's features, and
 * judging all of them for each of a thousand changes would cost a thousand times the features.
 * A feature's verdict depends only on its own globs, so it is the same in either model. The
 * small models are kept by feature set, as the same features change together again and again.
 */
export class Judge {
  private readonly small = new Map<string, Model>();

  constructor(private readonly model: Model) {}

  verdicts(changes: Change[], waivers: Waiver[]): FeatureVerdict[] {
    const reached = new Set<string>();
    for (const path of changedPaths(changes)) for (const m of classify(this.model, path).memberships) reached.add(m.feature);
    if (!reached.size) return [];
    const key = [...reached].sort().join('\0');
    let small = this.small.get(key);
    if (!small) {
      small = compileModel(this.model.files.map((f) => ({ ...f, features: f.features.filter((x) => reached.has(x.id)) }))).model;
      if (this.small.size > 10_000) this.small.clear();
      this.small.set(key, small);
    }
    return analyze(small, changes, waivers).features;
  }
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
export function buildReport(model: Model, head: string, chain: HistoryCommit[], brought: BroughtCommit[] = []): Report {
  const extra = broughtWaivers(chain, brought);
  const stats = model.features.map((f) => {
    const required = f.criteria.filter((c) => c.required).map((c) => c.name);
    return {
      touched: 0,
      complete: 0,
      gaps: Object.fromEntries(required.map((c) => [c, 0])) as Record<string, number>,
      waived: Object.fromEntries(required.map((c) => [c, 0])) as Record<string, number>,
      owed: [] as OwedPiece[],
    };
  });
  const summary = { commits: chain.length, touching: 0, complete: 0, withGaps: 0, owed: 0 };
  const shas = chain.map((c) => c.sha);
  const index = new Map(model.features.map((f, n) => [f.id, n]));
  const judge = new Judge(model);
  for (let i = chain.length - 1; i >= 0; i--) {
    const commit = chain[i]!;
    const reverted = revertedBy(commit, shas);
    if (reverted.length) for (const s of stats) s.owed = s.owed.filter((p) => !reverted.includes(p.commit));
    let touching = false;
    let complete = true;
    let gaps = false;
    for (const f of judge.verdicts(commit.changes, parseWaivers([...commit.waivers, ...(extra.get(commit.sha) ?? [])]))) {
      const n = index.get(f.id)!;
      const s = stats[n]!;
      // Settle before owing: a change never settles what it leaves out itself.
      for (const criterion of Object.keys(f.changed)) {
        if (criterion !== 'code') s.owed = s.owed.filter((p) => p.criterion !== criterion);
      }
      if (!f.touched) continue;
      touching = true;
      s.touched++;
      if (!f.gaps.length && !f.waived.length) s.complete++;
      else complete = false;
      if (f.gaps.length) gaps = true;
      for (const g of f.gaps) s.gaps[g] = (s.gaps[g] ?? 0) + 1;
      for (const w of f.waived) s.waived[w.criterion] = (s.waived[w.criterion] ?? 0) + 1;
      if (reverted.length) continue;
      const piece = (criterion: string, waived: boolean, reason: string): OwedPiece => ({ criterion, commit: commit.sha, subject: commit.subject, author: commit.author, date: commit.date, waived, reason });
      // In the feature's criterion order, so each change's pieces read as the file declares them.
      for (const c of model.features[n]!.criteria) {
        if (f.gaps.includes(c.name)) s.owed.push(piece(c.name, false, ''));
        const w = f.waived.find((x) => x.criterion === c.name);
        if (w) s.owed.push(piece(c.name, true, w.reason));
      }
    }
    if (!touching) continue;
    summary.touching++;
    if (complete) summary.complete++;
    if (gaps) summary.withGaps++;
  }
  const features = model.features.map((f, n) => {
    const s = stats[n]!;
    summary.owed += s.owed.length;
    return { id: f.id, name: f.name, owners: f.owners, ...s };
  });
  return { schemaVersion: 1, range: { head, commits: chain.length }, features, summary };
}
