// The reference the glob index is held to: every glob compiled by picomatch and tried on the path.
import { compileGlob, normalizeGlob } from '../../src/core/glob';
import { GlobIndex } from '../../src/core/globIndex';

/** Globs as written in one OWNERSHIP.yml list, with the folder of that file. */
export interface GlobList {
  base: string;
  patterns: string[];
}

/** The lists matching `path`: a positive glob matches and no `!` glob of the same list does. */
export function bruteForce(lists: GlobList[], path: string): number[] {
  const out: number[] = [];
  lists.forEach((l, id) => {
    const globs = l.patterns.map((x) => normalizeGlob(x, l.base));
    const pos = globs.some((g) => !g.negated && compileGlob(g.glob)(path));
    const neg = globs.some((g) => g.negated && compileGlob(g.glob)(path));
    if (pos && !neg) out.push(id);
  });
  return out;
}

/** An index of `lists`, each under its position as list id. */
export function indexOf(lists: GlobList[]): GlobIndex {
  const index = new GlobIndex();
  lists.forEach((l, id) => {
    for (const x of l.patterns) {
      const { glob, negated } = normalizeGlob(x, l.base);
      index.add(glob, id, negated);
    }
  });
  return index;
}

/** The same question asked of the index, negation applied per list. */
export function viaIndex(index: GlobIndex, path: string): number[] {
  const pos = new Set<number>();
  const neg = new Set<number>();
  index.query(path, (e) => (e.negated ? neg : pos).add(e.list));
  return [...pos].filter((l) => !neg.has(l)).sort((a, b) => a - b);
}
