// An index of globs by their literal folder prefix: a trie of path segments. Looking a path up
// walks its folders and tests only the globs rooted on that walk, so matching thousands of features
// costs about as much as matching a handful (see the performance issue: trying every glob on every
// path takes seconds on a 1,000-feature monorepo; this takes milliseconds).
import { compileGlob, literalPrefix, type Matcher } from './glob';

export interface IndexEntry {
  /** Caller-defined list id (a feature's code, one criterion, an ignore list...). */
  list: number;
  negated: boolean;
}

interface GlobEntry extends IndexEntry {
  test: Matcher;
}

interface TrieNode {
  children: Map<string, TrieNode>;
  /** `dir/**`: every path below this node matches. */
  subtree: IndexEntry[];
  /** Globs whose literal prefix ends at this node: each is tested. */
  globs: GlobEntry[];
}

function node(): TrieNode {
  return { children: new Map(), subtree: [], globs: [] };
}

export class GlobIndex {
  private readonly exact = new Map<string, IndexEntry[]>();
  private readonly root = node();
  private readonly matcherCache = new Map<string, Matcher>();
  private size = 0;

  /** Adds a repository-relative glob (as produced by `normalizeGlob`) under a list id. */
  add(glob: string, list: number, negated: boolean): void {
    this.size++;
    const entry: IndexEntry = { list, negated };
    const { dirs, kind } = literalPrefix(glob);
    if (kind === 'exact') {
      const key = dirs.join('/');
      const at = this.exact.get(key);
      if (at) at.push(entry);
      else this.exact.set(key, [entry]);
      return;
    }
    let n = this.root;
    for (const d of dirs) {
      let c = n.children.get(d);
      if (!c) { c = node(); n.children.set(d, c); }
      n = c;
    }
    if (kind === 'subtree') {
      n.subtree.push(entry);
    } else {
      let test = this.matcherCache.get(glob);
      if (!test) { test = compileGlob(glob); this.matcherCache.set(glob, test); }
      n.globs.push({ ...entry, test });
    }
  }

  get globCount(): number {
    return this.size;
  }

  /** Calls `hit` for every indexed glob that matches `path` (a repository-relative POSIX path). */
  query(path: string, hit: (entry: IndexEntry) => void): void {
    const exact = this.exact.get(path);
    if (exact) for (const e of exact) hit(e);
    let n: TrieNode | undefined = this.root;
    let start = 0;
    for (;;) {
      for (const g of n.globs) if (g.test(path)) hit(g);
      const slash = path.indexOf('/', start);
      if (slash < 0) break;
      n = n.children.get(path.slice(start, slash));
      if (!n) break;
      start = slash + 1;
      // A path strictly below this node's folder: every `folder/**` here matches.
      for (const e of n.subtree) hit(e);
    }
  }
}
