// How many files each glob matches, for "matches no file" warnings and hovers. One GlobIndex walk
// per file answers every glob at once, so a 100k-file repository costs one pass, not one per glob.
import { GlobIndex } from './globIndex';

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
