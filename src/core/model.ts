// The compiled form of every OWNERSHIP.yml in a repository, and the questions asked of it:
// which features and criteria a path belongs to, what a change leaves behind, what each criterion
// covers. One glob index serves them all, so each path costs one walk of its folders.
import { normalizeGlob } from './glob';
import { GlobIndex } from './globIndex';
import { FILE_NAME } from './parse';
import type { Change, FeatureDef, FeatureVerdict, Membership, OwnershipFile, Problem, Verdict, Waiver } from './types';

/** What a list of globs stands for. */
interface ListInfo {
  /** Index into `features`, or -1 for an `ignore` list. */
  feature: number;
  /** `code`, a criterion name, or `ignore`. */
  criterion: string;
}

export interface Model {
  files: OwnershipFile[];
  features: FeatureDef[];
  lists: ListInfo[];
  index: GlobIndex;
}

/** Compiles parsed files into one model; reports ids declared in more than one file. */
export function compileModel(files: OwnershipFile[]): { model: Model; problems: Problem[] } {
  const problems: Problem[] = [];
  const features: FeatureDef[] = [];
  const lists: ListInfo[] = [];
  const index = new GlobIndex();
  const seen = new Map<string, FeatureDef>();
  const globs: [list: number, patterns: string[], base: string][] = [];
  const addList = (feature: number, criterion: string, patterns: string[], base: string) => {
    globs.push([lists.length, patterns, base]);
    lists.push({ feature, criterion });
  };
  index.addLater(() => {
    for (const [list, patterns, base] of globs) {
      for (const p of patterns) {
        const { glob, negated } = normalizeGlob(p, base);
        index.add(glob, list, negated);
      }
    }
  });
  // Parents first, so a feature declared in a nested file is the duplicate, not its parent.
  const ordered = [...files].sort((a, b) => a.base.split('/').length - b.base.split('/').length || a.path.localeCompare(b.path));
  for (const file of ordered) {
    if (file.ignore.length) addList(-1, 'ignore', file.ignore, file.base);
    for (const f of file.features) {
      const first = seen.get(f.id);
      if (first) {
        problems.push({ file: f.file, ...f.range, severity: 'error', code: 'duplicate-id', message: `duplicate feature id "${f.id}": already declared in ${first.file}:${first.range.line}; ids must be unique across the repository` });
        continue;
      }
      seen.set(f.id, f);
      const n = features.length;
      features.push(f);
      addList(n, 'code', f.code, f.base);
      for (const c of f.criteria) addList(n, c.name, c.patterns, f.base);
    }
  }
  return { model: { files: ordered, features, lists, index }, problems };
}

function isOwnershipFile(path: string): boolean {
  return path === FILE_NAME || path.endsWith('/' + FILE_NAME);
}

/**
 * The lists a path belongs to. A list matches when one of its positive globs matches and none
 * of its `!` globs does, wherever they stand in the list.
 *
 * Criteria carve out of code: a path in any criterion of a feature (tests, docs, release notes or
 * a custom one, required or not) is not that feature's code, so `src/cart.test.ts` under
 * `code: [src/]` and `tests: ['**\/*.test.*']` is a test only. Another feature's criteria do not
 * carve anything out of this one.
 */
export function matchLists(model: Model, path: string, out: number[]): void {
  out.length = 0;
  let neg: Set<number> | undefined;
  model.index.query(path, (e) => {
    if (e.negated) (neg ??= new Set()).add(e.list);
    else if (!out.includes(e.list)) out.push(e.list);
  });
  let w = 0;
  for (const l of out) if (!neg?.has(l) && !carvedOut(model, l, out, neg)) out[w++] = l;
  out.length = w;
}

/** True when list `l` is a feature's code and the path is also in one of that feature's criteria. */
function carvedOut(model: Model, l: number, hits: readonly number[], neg: Set<number> | undefined): boolean {
  const info = model.lists[l];
  if (!info || info.feature < 0 || info.criterion !== 'code') return false;
  return hits.some((h) => {
    const other = model.lists[h];
    return h !== l && !neg?.has(h) && other !== undefined && other.feature === info.feature && other.criterion !== 'code';
  });
}

/** The features and criteria a repository-relative path belongs to, and whether it is ignored. */
export function classify(model: Model, path: string): { memberships: Membership[]; ignored: boolean } {
  const hits: number[] = [];
  matchLists(model, path, hits);
  const memberships: Membership[] = [];
  let ignored = false;
  for (const l of hits.sort((a, b) => a - b)) {
    const info = model.lists[l];
    if (!info) continue;
    if (info.feature < 0) ignored = true;
    else {
      const feature = model.features[info.feature];
      if (feature) memberships.push({ feature: feature.id, criterion: info.criterion });
    }
  }
  return { memberships, ignored };
}

/** The paths a change set covers: both sides of a rename or copy. Sorted, unique. */
export function changedPaths(changes: Change[]): string[] {
  const set = new Set<string>();
  for (const c of changes) {
    set.add(c.path);
    if (c.oldPath && c.status === 'R') set.add(c.oldPath);
  }
  return [...set].sort();
}

/** Parses `Ownership-Waived` values (`<feature>/<criterion> [reason]`) as read from trailers. */
export function parseWaivers(values: string[]): Waiver[] {
  const out: Waiver[] = [];
  for (const raw of values) {
    const v = raw.trim();
    const m = /^([a-z0-9][a-z0-9._-]*)\/([a-z0-9][a-z0-9._-]*)(?:\s+(.*))?$/.exec(v);
    if (m) out.push({ feature: m[1]!, criterion: m[2]!, reason: (m[3] ?? '').trim() }); // groups 1 and 2 are not optional
  }
  return out;
}

/** The verdict on a change: touched features, their gaps and waivers, and unowned paths. */
export function analyze(model: Model, changes: Change[], waivers: Waiver[] = []): Verdict {
  const paths = changedPaths(changes);
  const changed: Map<string, string[]>[] = model.features.map(() => new Map());
  const unowned: string[] = [];
  const hits: number[] = [];
  for (const path of paths) {
    matchLists(model, path, hits);
    let owned = false;
    for (const l of hits) {
      const info = model.lists[l];
      owned = true;
      if (!info || info.feature < 0) continue;
      const m = changed[info.feature];
      if (!m) continue;
      const at = m.get(info.criterion);
      if (at) at.push(path);
      else m.set(info.criterion, [path]);
    }
    if (!owned && !isOwnershipFile(path)) unowned.push(path);
  }
  const waived = new Map<string, string>();
  for (const w of waivers) if (!waived.has(`${w.feature}/${w.criterion}`) || w.reason) waived.set(`${w.feature}/${w.criterion}`, w.reason);

  let touchedCount = 0;
  let incomplete = 0;
  let gapCount = 0;
  const features: FeatureVerdict[] = model.features.map((f, i) => {
    const m = changed[i] ?? new Map<string, string[]>();
    const touched = m.has('code');
    const out: Record<string, string[]> = {};
    for (const name of ['code', ...f.criteria.map((c) => c.name)]) {
      const p = m.get(name);
      if (p) out[name] = p;
    }
    const gaps: string[] = [];
    const waivedList: { criterion: string; reason: string }[] = [];
    if (touched) {
      touchedCount++;
      for (const c of f.criteria) {
        if (!c.required || m.has(c.name)) continue;
        const reason = waived.get(`${f.id}/${c.name}`);
        if (reason !== undefined) waivedList.push({ criterion: c.name, reason });
        else gaps.push(c.name);
      }
      if (gaps.length) { incomplete++; gapCount += gaps.length; }
    }
    return { id: f.id, name: f.name, owners: f.owners, file: f.file, line: f.range.line, mode: f.mode, touched, changed: out, gaps, waived: waivedList };
  });
  return { schemaVersion: 1, features, unowned, summary: { touched: touchedCount, incomplete, gaps: gapCount } };
}

/** True when the verdict should fail: gaps remain in a strict file, or `strict` is forced. */
export function isStrictFailure(verdict: Verdict, forceStrict = false): boolean {
  return verdict.features.some((f) => f.gaps.length > 0 && (forceStrict || f.mode === 'strict'));
}

/** Per feature and criterion (including `code`), the paths among `paths` that it covers. */
export function inventory(model: Model, paths: Iterable<string>): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const f of model.features) {
    const m = new Map<string, string[]>([['code', []]]);
    for (const c of f.criteria) m.set(c.name, []);
    out.set(f.id, m);
  }
  const hits: number[] = [];
  for (const path of paths) {
    matchLists(model, path, hits);
    for (const l of hits) {
      const info = model.lists[l];
      if (!info || info.feature < 0) continue;
      const feature = model.features[info.feature];
      if (feature) out.get(feature.id)!.get(info.criterion)!.push(path);
    }
  }
  return out;
}
