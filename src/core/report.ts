// `ownership report`: how the rules of the working tree's OWNERSHIP.yml judge a stretch of
// first-parent history, and which pieces are still owed at its head. Pure: history arrives as
// data (src/node/history.ts reads it), each change is judged by `analyze`, as `check` judges one.
import { analyze, classify, compileModel, parseWaivers, type Model } from './model';
import type { Change, FeatureDef, OwnershipFile, Waiver } from './types';

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
 * The verdicts of the features that `changes` reach, by `analyze` itself, each over a model of
 * that one feature: a change reaches a handful of a repository's features, and judging all of
 * them for each of a thousand changes costs a thousand times the features. A feature's verdict
 * depends only on which of its own lists each changed path matches (and the entry's status), so
 * one path per such shape gives the same verdict, and a verdict is kept per set of shapes and
 * waivers: most changes repeat a shape seen before. A property test holds this to analyze over
 * the whole model.
 */
export class Judge {
  private readonly single = new Map<string, Model>();
  private readonly fileOf = new Map<string, OwnershipFile>();
  private readonly byId: Map<string, { def: FeatureDef; n: number }>;
  private readonly memo = new Map<string, Judged>();

  constructor(private readonly model: Model) {
    this.byId = new Map(model.features.map((def, n) => [def.id, { def, n }]));
    for (const file of model.files) for (const f of file.features) if (!this.fileOf.has(f.id)) this.fileOf.set(f.id, file);
  }

  verdicts(changes: Change[], waivers: Waiver[]): Judged[] {
    // Per reached feature: shape of a path ("status:lists it matches") -> one entry showing it.
    const reached = new Map<string, Map<string, Change>>();
    const per = new Map<string, string[]>();
    for (const c of changes) {
      for (const path of c.oldPath && c.status === 'R' ? [c.path, c.oldPath] : [c.path]) {
        per.clear();
        for (const m of classify(this.model, path).memberships) {
          const l = per.get(m.feature);
          if (l) l.push(m.criterion);
          else per.set(m.feature, [m.criterion]);
        }
        for (const [id, lists] of per) {
          const shape = `${c.status}:${lists.join('/')}`;
          const shapes = reached.get(id);
          if (!shapes) reached.set(id, new Map([[shape, c]]));
          else if (!shapes.has(shape)) shapes.set(shape, c);
        }
      }
    }
    const out: Judged[] = [];
    for (const [id, shapes] of reached) {
      const f = this.byId.get(id)!;
      const mine = waivers.filter((w) => w.feature === id);
      const key = `${id}\0${[...shapes.keys()].sort().join('\0')}\0${mine.map((w) => `${w.criterion} ${w.reason}`).join('\0')}`;
      let j = this.memo.get(key);
      if (!j && ![...shapes.keys()].some((sh) => sh.slice(sh.indexOf(':') + 1).split('/').includes('code'))) {
        // No path matches its code, so the change cannot touch it (carving criteria out of code
        // only ever removes code): it only changed those criteria.
        const lists = new Set([...shapes.keys()].flatMap((sh) => sh.slice(sh.indexOf(':') + 1).split('/')));
        j = { n: f.n, id, touched: false, changed: f.def.criteria.map((c) => c.name).filter((c) => lists.has(c)), gaps: [], waived: [] };
      }
      if (!j) {
        const v = analyze(this.modelOf(f.def), [...new Set(shapes.values())], mine).features[0]!;
        j = { n: f.n, id, touched: v.touched, changed: Object.keys(v.changed), gaps: v.gaps, waived: v.waived };
        if (this.memo.size > 100_000) this.memo.clear();
        this.memo.set(key, j);
      }
      out.push(j);
    }
    // In declaration order, as analyze lists them.
    return out.sort((a, b) => a.n - b.n);
  }

  private modelOf(f: FeatureDef): Model {
    let m = this.single.get(f.id);
    if (!m) {
      const file = this.fileOf.get(f.id)!;
      m = compileModel([{ ...file, features: [f] }]).model;
      this.single.set(f.id, m);
    }
    return m;
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
  const judge = new Judge(model);
  for (let i = chain.length - 1; i >= 0; i--) {
    const commit = chain[i]!;
    const reverted = revertedBy(commit, shas);
    if (reverted.length) for (const s of stats) s.owed = s.owed.filter((p) => !reverted.includes(p.commit));
    let touching = false;
    let complete = true;
    let gaps = false;
    for (const f of judge.verdicts(commit.changes, parseWaivers([...commit.waivers, ...(extra.get(commit.sha) ?? [])]))) {
      const s = stats[f.n]!;
      // Settle before owing: a change never settles what it leaves out itself.
      for (const criterion of f.changed) {
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
      for (const c of model.features[f.n]!.criteria) {
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
