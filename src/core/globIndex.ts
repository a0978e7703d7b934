// An index of globs by their literal folder prefix: a trie of path segments. Looking a path up
// walks its folders and tests only the globs rooted on that walk, so matching thousands of features
// costs about as much as matching a handful (see the performance issue: trying every glob on every
// path takes seconds on a 1,000-feature monorepo; this takes milliseconds).
//
// The trie is built lazily: a glob waits at the deepest node its literal folders reach so far, and
// moves down (or is placed) only when a lookup first enters that node. A check of a hundred paths
// in a monorepo enters a few dozen folders, so it pays for the globs rooted there, not for the
// thousands elsewhere in the file.
//
// Two more things keep a large OWNERSHIP.yml fast. A brace list of plain names in the literal part
// (`pkg/test/{a,b}/**`) is expanded, so each alternative sits deeper in the trie. And what follows
// the literal folders is, in most files, `**/` and one segment with at most one `*`
// (`**/*.test.ts`, `*.md`): such a rest is matched segment by segment without a regular expression,
// because compiling thousands of matchers costs more than the matching itself. Anything else is
// compiled by compileGlob (linear time, see globEngine.ts), lazily.
import { compileGlob, type Matcher } from './glob';

interface IndexEntry {
  /** Caller-defined list id (a feature's code, one criterion, an ignore list...). */
  list: number;
  negated: boolean;
}

/** Matches the segments of a path from `from` on. */
type RestMatcher = (segments: string[], from: number) => boolean;

interface GlobEntry extends IndexEntry {
  glob: string;
  /** Matches the part of the path below the node; undefined when the compiled glob must decide. */
  rest?: RestMatcher;
  /** The compiled matcher of the whole glob, compiled on first use. */
  test?: Matcher;
}

interface TrieNode {
  children: Map<string, TrieNode>;
  /** `dir/**`: every path below this node matches. */
  subtree: IndexEntry[];
  /** Globs whose literal prefix ends at this node: each is tested. */
  globs: GlobEntry[];
  /** True when some glob here needs the path's segments (a fast `rest` matcher). */
  needsSegments: boolean;
  /** Literal paths (from an expanded brace list) of files in this node's folder. */
  files?: Map<string, IndexEntry[]>;
  /** Globs not placed yet whose literal prefix reaches at least this node (see settle). */
  pending?: Pending[];
}

interface Pending {
  glob: string;
  /** Where the part of the glob below this node's folder starts. */
  at: number;
  entry: IndexEntry;
}

function node(): TrieNode {
  return { children: new Map(), subtree: [], globs: [], needsSegments: false };
}

/** Characters that make a segment more than a literal (see escapeGlob). */
const SPECIAL = /[*?[\]{}\\]/;

/**
 * Expands the first brace list of plain names (`pre{a,b}post`) in a glob, or undefined when
 * there is none. Only lists of two or more non-empty literal names without `..` (a range) qualify:
 * for those, the compiled glob's alternation and the expansion match exactly the same paths.
 */
export function expandBraces(glob: string): string[] | undefined {
  const segments = glob.split('/');
  for (const [i, s] of segments.entries()) {
    if (!SPECIAL.test(s)) continue;
    const m = /^([^*?[\]{}()!+@\\]*)\{([^*?[\]{}()!+@\\]*)\}([^*?[\]{}()!+@\\]*)$/.exec(s);
    if (!m) return undefined;
    // All three groups are non-optional: they exist whenever the expression matched.
    const [pre, names, post] = [m[1]!, m[2]!, m[3]!];
    if (names.includes('..')) return undefined;
    const alternatives = names.split(',');
    if (alternatives.length < 2 || alternatives.some((a) => a === '')) return undefined;
    return alternatives.map((a) => [...segments.slice(0, i), `${pre}${a}${post}`, ...segments.slice(i + 1)].join('/'));
  }
  return undefined;
}

/** One segment of a fast rest: a literal, or one `*` between a literal prefix and suffix. */
function segmentMatcher(s: string): ((seg: string) => boolean) | undefined {
  if (!SPECIAL.test(s)) return (seg) => seg === s;
  const star = s.indexOf('*');
  if (star < 0 || s.indexOf('*', star + 1) >= 0 || SPECIAL.test(s.slice(0, star) + s.slice(star + 1))) return undefined;
  const pre = s.slice(0, star);
  const post = s.slice(star + 1);
  // git never lists empty segments, the only ones a `*` segment refuses.
  return (seg) => seg.length >= pre.length + post.length && seg.startsWith(pre) && seg.endsWith(post);
}

/**
 * A matcher for the rest of a glob below its literal folders when the rest is `**` segments
 * followed by one final segment (`**\/*.test.ts`, `*.md`, `**\/x.json`); undefined otherwise.
 */
function restMatcher(rest: string[]): RestMatcher | undefined {
  const last = rest[rest.length - 1];
  if (last === undefined || last === '**' || rest.slice(0, -1).some((s) => s !== '**')) return undefined;
  const final = segmentMatcher(last);
  if (!final) return undefined;
  if (rest.length === 1) {
    return (segs, from) => {
      const seg = segs[from];
      return segs.length === from + 1 && seg !== undefined && final(seg);
    };
  }
  // `**/` before the final segment: any number of folders, including none.
  return (segs, from) => {
    const seg = segs[segs.length - 1];
    return segs.length > from && seg !== undefined && final(seg);
  };
}

export class GlobIndex {
  private readonly exact = new Map<string, IndexEntry[]>();
  private readonly root = node();
  private readonly compiled = new Map<string, Matcher>();
  private size = 0;
  /** Nodes that were given pending globs, for settleSome (may hold settled nodes: skipped). */
  private readonly unsettled: TrieNode[] = [];
  /** Adds the globs given to `addLater`, on first use. */
  private feed: (() => void) | undefined;

  /**
   * `feed` adds the index's globs when it is first used (a lookup, settleSome, globCount), not
   * now: a report whose changes were all judged before (the history cache keeps their reach)
   * never looks a path up, and normalising and adding 16k globs cost it 8 ms at 1,000 features.
   */
  addLater(feed: () => void): void {
    this.fed();
    this.feed = feed;
  }

  private fed(): void {
    const feed = this.feed;
    this.feed = undefined;
    feed?.();
  }

  /**
   * Places the pending globs of up to `nodes` trie nodes ahead of any lookup, and says whether
   * any remain: the CLI does this while git is still computing the change (see folderAnalysis).
   */
  settleSome(nodes: number): boolean {
    this.fed();
    for (let done = 0; done < nodes && this.unsettled.length;) {
      const n = this.unsettled.pop()!;
      if (!n.pending) continue;
      this.settle(n);
      done++;
    }
    return this.unsettled.length > 0;
  }

  private defer(n: TrieNode, p: Pending): void {
    if (n.pending) n.pending.push(p);
    else {
      n.pending = [p];
      this.unsettled.push(n);
    }
  }

  /** Adds a repository-relative glob (as produced by `normalizeGlob`) under a list id. */
  add(glob: string, list: number, negated: boolean): void {
    this.size++;
    const entry = { list, negated };
    if (!SPECIAL.test(glob)) {
      // A literal path, the commonest pattern after `folder/**`: looked up whole.
      const at = this.exact.get(glob);
      if (at) at.push(entry);
      else this.exact.set(glob, [entry]);
      return;
    }
    this.defer(this.root, { glob, at: 0, entry });
  }

  /** Moves the pending globs of `n` one folder down, or places them at `n`. */
  private settle(n: TrieNode): void {
    const pending = n.pending!;
    n.pending = undefined;
    for (const p of pending) this.place(n, p.glob, p.at, p.entry);
  }

  private place(n: TrieNode, glob: string, at: number, entry: IndexEntry): void {
    const slash = glob.indexOf('/', at);
    const seg = slash < 0 ? glob.slice(at) : glob.slice(at, slash);
    if (!SPECIAL.test(seg)) {
      if (slash < 0) {
        // A literal file in this folder (a brace list expanded to plain names).
        const files = (n.files ??= new Map());
        const at = files.get(seg);
        if (at) at.push(entry);
        else files.set(seg, [entry]);
        return;
      }
      let c = n.children.get(seg);
      if (!c) { c = node(); n.children.set(seg, c); }
      // `folder/**`: everything below the child.
      if (glob.length === slash + 3 && glob.endsWith('**')) c.subtree.push(entry);
      else this.defer(c, { glob, at: slash + 1, entry });
      return;
    }
    if (seg.includes('{')) {
      const expanded = expandBraces(glob);
      if (expanded) {
        // The first special segment is this one: its alternatives are placed from here.
        for (const g of expanded) this.place(n, g, at, entry);
        return;
      }
    }
    const rest = restMatcher(glob.slice(at).split('/'));
    if (rest) n.needsSegments = true;
    n.globs.push({ list: entry.list, negated: entry.negated, glob, rest });
  }

  private compile(glob: string): Matcher {
    let m = this.compiled.get(glob);
    if (!m) { m = compileGlob(glob); this.compiled.set(glob, m); }
    return m;
  }

  get globCount(): number {
    this.fed();
    return this.size;
  }

  /** Calls `hit` for every indexed glob that matches `path` (a repository-relative POSIX path). */
  query(path: string, hit: (entry: IndexEntry) => void): void {
    this.fed();
    const exact = this.exact.get(path);
    if (exact) for (const e of exact) hit(e);
    let n: TrieNode | undefined = this.root;
    let start = 0;
    let depth = 0;
    let segments: string[] | undefined;
    for (;;) {
      if (n.pending) this.settle(n);
      if (n.needsSegments) segments ??= path.split('/');
      for (const g of n.globs) {
        if (g.rest ? g.rest(segments!, depth) : (g.test ??= this.compile(g.glob))(path)) hit(g);
      }
      const slash = path.indexOf('/', start);
      if (slash < 0) {
        const files = n.files?.get(path.slice(start));
        if (files) for (const e of files) hit(e);
        break;
      }
      n = n.children.get(path.slice(start, slash));
      if (!n) break;
      start = slash + 1;
      depth++;
      // A path strictly below this node's folder: every `folder/**` here matches.
      for (const e of n.subtree) hit(e);
    }
  }
}
