// How many files each glob matches, for "matches no file" warnings and hovers. One GlobIndex walk
// per file answers every glob at once, so a 100k-file repository costs one pass, not one per glob.
import { normalizeGlob } from './glob';
import { GlobIndex } from './globIndex';
import type { FeatureDef } from './types';

export interface GlobMatches {
  count: number;
  /** The first matching files, in the order given. */
  examples: string[];
}

/** For each repository-relative glob (as `normalizeGlob` makes them), the files among `files` it matches. */
export function matchGlobs(globs: Iterable<string>, files: Iterable<string>, maxExamples = 0): Map<string, GlobMatches> {
  const list = [...new Set(globs)];
  const out = new Map<string, GlobMatches>();
  const index = new GlobIndex();
  // By list id (the glob's position in `list`), sharing the objects `out` holds.
  const byList: GlobMatches[] = [];
  list.forEach((g, i) => {
    const m: GlobMatches = { count: 0, examples: [] };
    byList.push(m);
    out.set(g, m);
    index.add(g, i, false);
  });
  if (list.length === 0) return out;
  for (const file of files) {
    index.query(file, (e) => {
      const m = byList[e.list];
      if (!m) return;
      m.count++;
      if (m.examples.length < maxExamples) m.examples.push(file);
    });
  }
  return out;
}

export interface CodeGlobMatches extends GlobMatches {
  /** The glob's matches that the feature's criteria carve out of its code (model.ts `matchLists`). */
  carved: number;
  /** Which criteria carved them: name and count, in the feature's order; a file in two counts for both. */
  carvedBy: [string, number][];
}

/**
 * A feature's `code` glob over `files`, as the model counts code: `count` and `examples` are the
 * matches that stay the feature's code, `carved` those its criteria (tests, docs, release notes,
 * custom; required or not) take, so a hover agrees with `which`, `list` and the Features view.
 * `glob` is repository-relative (as `normalizeGlob` makes it).
 */
export function matchCodeGlob(glob: string, feature: Pick<FeatureDef, 'base' | 'criteria'>, files: Iterable<string>, maxExamples = 0): CodeGlobMatches {
  const index = new GlobIndex();
  index.add(glob, 0, false);
  feature.criteria.forEach((c, i) => {
    for (const p of c.patterns) {
      const n = normalizeGlob(p, feature.base);
      index.add(n.glob, i + 1, n.negated);
    }
  });
  const out: CodeGlobMatches = { count: 0, examples: [], carved: 0, carvedBy: [] };
  const by = feature.criteria.map(() => 0);
  const hit = new Set<number>();
  const neg = new Set<number>();
  for (const file of files) {
    hit.clear();
    neg.clear();
    index.query(file, (e) => (e.negated ? neg : hit).add(e.list));
    if (!hit.has(0)) continue;
    let carved = false;
    for (const l of hit) {
      if (l === 0 || neg.has(l)) continue;
      carved = true;
      by[l - 1]!++;
    }
    if (carved) out.carved++;
    else {
      out.count++;
      if (out.examples.length < maxExamples) out.examples.push(file);
    }
  }
  feature.criteria.forEach((c, i) => { if (by[i]) out.carvedBy.push([c.name, by[i]!]); });
  return out;
}
