// The glob matcher of OWNERSHIP.yml: linear in (pattern length × path length) for every glob.
//
// Why not a library. Globs arrive in pull requests, so no glob may make matching slow. picomatch,
// micromatch and minimatch compile to JavaScript regular expressions, which backtrack: a run of
// stars and letters (`a*a*a*a*a*a*a*a*a*a*a*b`) against a long name takes exponential time, and
// V8's linear-time engine is behind a flag. The linear-time engines on npm (re2js, re2-wasm, re2)
// run regular expressions, not globs: we would still need our own glob-to-regex translation (the
// picomatch output leans on look-arounds, which RE2 refuses), and `re2` needs a native build the
// VSIX would have to ship per platform. Glob matching needs no regex engine at all: a glob
// segment is a row of one-character tokens and stars, which a position-set simulation matches in
// (segment pattern × segment) steps without backtracking, and `**` is the same simulation one
// level up, over whole segments. That is what this file does, in about 300 lines.
//
// Syntax (README "Semantics"): `*` any run of characters within a segment (dotfiles included),
// `**` as a whole segment any number of folders, `?` one character, `[abc]`/`[a-z]`/`[!a]`/`[^a]`
// and POSIX classes like `[[:digit:]]` one character of a class (never `/`), `{a,b}` alternatives
// (nested, may hold `/`), `{1..10}`/`{a..e}` ranges, `\x` the character x. A class of plain
// characters, like `[id]`, also matches its own text, as picomatch did (Next.js folders named
// `[id]`). Everything else is literal; the extglob forms `@(`, `!(`, `+(`, `*(`, `?(` are refused
// rather than silently read as something else.
import { LIMITS } from './limits';

/** A glob that cannot be used; the message names the problem in the user's terms. */
class GlobSyntaxError extends Error {}

interface CharClass {
  negated: boolean;
  /** Inclusive code-unit ranges. */
  ranges: [number, number][];
}

type Token =
  | { k: 'char'; c: string }
  | { k: 'any' }
  | { k: 'star' }
  | { k: 'class'; cls: CharClass; literal?: string }
  | { k: 'slash' }
  | { k: 'open' }
  | { k: 'comma' }
  | { k: 'close' }
  /** A brace range or list, resolved: each alternative is a token row. */
  | { k: 'alts'; alts: Token[][] };

const POSIX: Record<string, [number, number][]> = {
  alnum: [[48, 57], [65, 90], [97, 122]],
  alpha: [[65, 90], [97, 122]],
  ascii: [[0, 127]],
  blank: [[9, 9], [32, 32]],
  cntrl: [[0, 31], [127, 127]],
  digit: [[48, 57]],
  graph: [[33, 126]],
  lower: [[97, 122]],
  print: [[32, 126]],
  punct: [[33, 47], [58, 64], [91, 96], [123, 126]],
  space: [[9, 13], [32, 32]],
  upper: [[65, 90]],
  word: [[48, 57], [65, 90], [95, 95], [97, 122]],
  xdigit: [[48, 57], [65, 70], [97, 102]],
};

/** picomatch's test for a class that is also matched as its own text (`[id]`, not `[a-z]`). */
const REGEX_SPECIAL = /[-*+?.^${}(|)[\]\\]/;

/** Reads a `[...]` class starting at `glob[start] === '['`; undefined when it does not close. */
function readClass(glob: string, start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  let negated = false;
  if (glob[i] === '!' || glob[i] === '^') { negated = true; i++; }
  const ranges: [number, number][] = [];
  let first = true;
  for (; i < glob.length; first = false) {
    let c = glob[i]!;
    if (c === ']' && !first) {
      const body = glob.slice(start + 1, i);
      const token: Token = { k: 'class', cls: { negated, ranges } };
      if (!REGEX_SPECIAL.test(body) && !negated) token.literal = `[${body}]`;
      return { token, end: i + 1 };
    }
    if (c === '/') throw new GlobSyntaxError('a class "[...]" cannot contain "/"');
    if (c === '[' && glob[i + 1] === ':') {
      const close = glob.indexOf(':]', i + 2);
      const name = close < 0 ? undefined : glob.slice(i + 2, close);
      if (name !== undefined && /^[a-z]+$/.test(name)) {
        const r = POSIX[name];
        if (!r) throw new GlobSyntaxError(`unknown character class "[:${name}:]"`);
        ranges.push(...r);
        i = close + 2;
        continue;
      }
    }
    if (c === '\\' && i + 1 < glob.length) c = glob[++i]!;
    let lo = c.charCodeAt(0);
    let hi = lo;
    i++;
    if (glob[i] === '-' && i + 1 < glob.length && glob[i + 1] !== ']') {
      let d = glob[i + 1]!;
      i += 2;
      if (d === '\\' && i < glob.length) d = glob[i++]!;
      if (d === '/') throw new GlobSyntaxError('a class "[...]" cannot contain "/"');
      hi = d.charCodeAt(0);
      if (hi < lo) [lo, hi] = [hi, lo];
    }
    ranges.push([lo, hi]);
  }
  return undefined;
}

/** Splits a glob into tokens; braces stay as open/comma/close for `resolveBraces`. */
function tokenize(glob: string): Token[] {
  const out: Token[] = [];
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\') {
      // A trailing backslash stands for itself.
      out.push({ k: 'char', c: i + 1 < glob.length ? glob[++i]! : '\\' });
    } else if ('@!+*?'.includes(c) && glob[i + 1] === '(') {
      throw new GlobSyntaxError(`extglob "${c}(...)" is not supported: write alternatives as {a,b}, or escape the parenthesis as "\\("`);
    } else if (c === '*') {
      out.push({ k: 'star' });
    } else if (c === '?') {
      out.push({ k: 'any' });
    } else if (c === '[') {
      const cls = readClass(glob, i);
      if (!cls) throw new GlobSyntaxError('unclosed "["');
      out.push(cls.token);
      i = cls.end - 1;
    } else if (c === '/') {
      out.push({ k: 'slash' });
    } else if (c === '{') {
      depth++;
      out.push({ k: 'open' });
    } else if (c === '}' && depth > 0) {
      depth--;
      out.push({ k: 'close' });
    } else if (c === ',' && depth > 0) {
      out.push({ k: 'comma' });
    } else {
      out.push({ k: 'char', c });
    }
  }
  if (depth > 0) throw new GlobSyntaxError('unclosed "{"');
  return out;
}

const RANGE = /^(?:(-?\d+)\.\.(-?\d+)|([A-Za-z])\.\.([A-Za-z]))(?:\.\.(-?\d+))?$/;

/** The alternatives of a brace body without a comma: a range, or undefined (then it is literal). */
function range(body: Token[]): Token[][] | undefined {
  if (!body.every((t) => t.k === 'char')) return undefined;
  const m = RANGE.exec(body.map((t) => (t as { c: string }).c).join(''));
  if (!m) return undefined;
  const step = Math.abs(Number(m[5] ?? 1)) || 1;
  const numeric = m[1] !== undefined;
  const from = numeric ? Number(m[1]) : m[3]!.charCodeAt(0);
  const to = numeric ? Number(m[2]) : m[4]!.charCodeAt(0);
  const count = Math.floor(Math.abs(to - from) / step) + 1;
  if (count > LIMITS.globAlternatives) throw new GlobSyntaxError(`range "{${m[0]}}" has ${count} values; the limit is ${LIMITS.globAlternatives}`);
  // Zero-padded when either end is (`{01..10}`), as in bash.
  const width = numeric && /^-?0\d/.test(m[1]!) || numeric && /^-?0\d/.test(m[2]!) ? Math.max(m[1]!.length, m[2]!.length) : 0;
  const out: Token[][] = [];
  for (let k = 0, v = from; k < count; k++, v += from <= to ? step : -step) {
    const text = numeric ? (v < 0 ? '-' + String(-v).padStart(width - 1, '0') : String(v).padStart(width, '0')) : String.fromCharCode(v);
    out.push([...text].map((c) => ({ k: 'char', c })));
  }
  return out;
}

/** Turns open/comma/close into `alts` tokens (a brace without a comma nor a range is literal). */
function resolveBraces(tokens: Token[]): Token[] {
  let i = 0;
  const seq = (inBrace: boolean): Token[] => {
    const out: Token[] = [];
    while (i < tokens.length) {
      const t = tokens[i]!;
      if (inBrace && (t.k === 'comma' || t.k === 'close')) return out;
      i++;
      if (t.k !== 'open') { out.push(t); continue; }
      const alts: Token[][] = [seq(true)];
      while (tokens[i]?.k === 'comma') { i++; alts.push(seq(true)); }
      i++; // the close; tokenize guarantees it
      if (alts.length > 1) { out.push({ k: 'alts', alts }); continue; }
      const r = range(alts[0]!);
      if (r) out.push({ k: 'alts', alts: r });
      else out.push({ k: 'char', c: '{' }, ...alts[0]!, { k: 'char', c: '}' });
    }
    return out;
  };
  return seq(false);
}

/** Every token row a resolved glob stands for, at most LIMITS.globAlternatives of them. */
function expand(tokens: Token[]): Token[][] {
  let rows: Token[][] = [[]];
  for (const t of tokens) {
    if (t.k !== 'alts') {
      for (const r of rows) r.push(t);
      continue;
    }
    const options = t.alts.flatMap((a) => expand(a));
    if (options.length > LIMITS.globAlternatives || rows.length * options.length > LIMITS.globAlternatives) {
      throw new GlobSyntaxError(`its braces expand to more than ${LIMITS.globAlternatives} alternatives`);
    }
    rows = rows.flatMap((r) => options.map((o) => [...r, ...o]));
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Matching one segment, in (tokens × characters) steps at most, with no backtracking.

type SegToken =
  | { k: 'char'; c: string }
  | { k: 'any' }
  | { k: 'star' }
  | { k: 'class'; cls: CharClass; literal?: string };

function inClass(cls: CharClass, code: number): boolean {
  let hit = false;
  for (const [lo, hi] of cls.ranges) if (code >= lo && code <= hi) { hit = true; break; }
  return hit !== cls.negated;
}

type SegmentMatcher = (seg: string) => boolean;

/** Counts the steps of every match of one compiled glob: tests hold the work bound with it. */
export interface Meter {
  steps: number;
}

/** A matcher of one path segment (no `/`) against a token row. */
function segmentMatcher(tokens: SegToken[], meter: Meter): SegmentMatcher {
  if (tokens.every((t) => t.k === 'char')) {
    const lit = tokens.map((t) => (t as { c: string }).c).join('');
    return (seg) => seg === lit;
  }
  // A star as the whole segment matches any (non-empty) name; picomatch's `*` never matches ''.
  if (tokens.length > 0 && tokens.every((t) => t.k === 'star')) return (seg) => seg.length > 0;
  // Literal head and tail: most failing names are refused by these without the simulation.
  let head = '';
  for (const t of tokens) { if (t.k !== 'char') break; head += t.c; }
  let tail = '';
  for (let j = tokens.length - 1; j >= 0; j--) { const t = tokens[j]!; if (t.k !== 'char') break; tail = t.c + tail; }
  let minLength = 0;
  for (const t of tokens) if (t.k !== 'star') minLength++;
  const prefilter = (seg: string) => seg.length >= minLength && seg.length > 0 && seg.startsWith(head) && seg.endsWith(tail);
  if (!tokens.some((t) => t.k === 'class' && t.literal)) {
    const one = (t: SegToken, seg: string, i: number): boolean =>
      t.k === 'any' || (t.k === 'char' ? t.c === seg[i] : t.k === 'class' && inClass(t.cls, seg.charCodeAt(i)));
    // Every token but `*` reads one character: the walk that returns only to the last star is
    // exact, and makes at most (tokens × characters) steps.
    return (seg) => {
      if (!prefilter(seg)) return false;
      let pi = 0;
      let si = 0;
      let starP = -1;
      let starS = 0;
      while (si < seg.length) {
        meter.steps++;
        const t = tokens[pi];
        if (t?.k === 'star') { starP = pi++; starS = si; continue; }
        if (t && one(t, seg, si)) { pi++; si++; continue; }
        if (starP < 0) return false;
        pi = starP + 1;
        si = ++starS;
      }
      while (tokens[pi]?.k === 'star') pi++;
      return pi === tokens.length;
    };
  }
  const n = tokens.length;
  // Positions: 0..n-1 are "before token j", n is "done". A class with its own text has extra
  // positions, one per character of that text after the first, numbered from n+1.
  const litBase: number[] = [];
  let extra = n + 1;
  for (const t of tokens) {
    litBase.push(extra);
    if (t.k === 'class' && t.literal) extra += t.literal.length - 1;
  }
  // For an extra position: which token and which character of its literal text comes next.
  const extraTok = new Int32Array(extra);
  const extraOff = new Int32Array(extra);
  tokens.forEach((t, j) => {
    if (t.k === 'class' && t.literal) {
      for (let o = 1; o < t.literal.length; o++) { extraTok[litBase[j]! + o - 1] = j; extraOff[litBase[j]! + o - 1] = o; }
    }
  });
  const mark = new Int32Array(extra);
  let cur = new Int32Array(extra);
  let next = new Int32Array(extra);
  let generation = 0;
  let curLen = 0;
  let nextLen = 0;
  // Adds position p and what it reaches without reading (past stars), to `next`.
  const add = (p: number) => {
    for (;;) {
      if (mark[p] === generation) return;
      mark[p] = generation;
      next[nextLen++] = p;
      if (p < n && tokens[p]!.k === 'star') { p++; continue; }
      return;
    }
  };
  // Classes that also match their own text read several characters: a position-set simulation
  // (Thompson's construction without the graph) advances every live position at once.
  return (seg) => {
    if (!prefilter(seg)) return false;
    generation++;
    nextLen = 0;
    add(0);
    [cur, next] = [next, cur];
    curLen = nextLen;
    for (let i = 0; i < seg.length && curLen > 0; i++) {
      const ch = seg[i]!;
      const code = seg.charCodeAt(i);
      generation++;
      nextLen = 0;
      meter.steps += curLen;
      for (let s = 0; s < curLen; s++) {
        const p = cur[s]!;
        if (p > n) {
          const j = extraTok[p]!;
          const lit = (tokens[j] as { literal: string }).literal;
          const o = extraOff[p]!;
          if (lit[o] === ch) add(o + 1 === lit.length ? j + 1 : p + 1);
          continue;
        }
        if (p === n) continue;
        const t = tokens[p]!;
        switch (t.k) {
          case 'char': if (t.c === ch) add(p + 1); break;
          case 'any': add(p + 1); break;
          case 'star': add(p); break;
          case 'class':
            if (inClass(t.cls, code)) add(p + 1);
            if (t.literal && t.literal[0] === ch) add(t.literal.length === 1 ? p + 1 : litBase[p]!);
            break;
        }
      }
      [cur, next] = [next, cur];
      curLen = nextLen;
    }
    for (let s = 0; s < curLen; s++) if (cur[s] === n) return true;
    return false;
  };
}

// ---------------------------------------------------------------------------------------------
// Matching a path: the same idea one level up. A `**` segment matches any number of folders; any
// other pattern segment matches exactly one path segment, so the greedy walk that remembers only
// the last `**` is exact and makes at most (pattern segments × path segments) segment matches.

const GLOBSTAR = 'globstar';
type PathPart = SegmentMatcher | typeof GLOBSTAR;

function pathMatcher(row: Token[], meter: Meter): (segs: string[]) => boolean {
  const parts: PathPart[] = [];
  let seg: SegToken[] = [];
  const flush = () => {
    const globstar = seg.length === 2 && seg[0]!.k === 'star' && seg[1]!.k === 'star';
    if (globstar) {
      if (parts[parts.length - 1] !== GLOBSTAR) parts.push(GLOBSTAR);
    } else {
      // `a**b` is `a*b`: two stars inside a segment are one.
      parts.push(segmentMatcher(seg.filter((t, j) => !(t.k === 'star' && seg[j - 1]?.k === 'star')), meter));
    }
    seg = [];
  };
  for (const t of row) {
    if (t.k === 'slash') flush();
    else seg.push(t as SegToken);
  }
  flush();
  // A trailing `**` needs at least one segment (`dir/**` is below `dir`, not `dir` itself):
  // it is `*` followed by `**`.
  if (parts[parts.length - 1] === GLOBSTAR) parts.splice(parts.length - 1, 0, (s: string) => s.length > 0);
  const m = parts.length;
  const globstars = parts.includes(GLOBSTAR);
  return (segs) => {
    let pi = 0;
    let si = 0;
    let starP = -1;
    let starS = 0;
    // After a `**`, the walk may try the same pattern segment on the same path segment again:
    // remembering each answer keeps the total work within (pattern × path).
    const memo = globstars ? new Int8Array(m * segs.length) : undefined;
    const test = (part: SegmentMatcher, at: number): boolean => {
      if (!memo) return part(segs[si]!);
      const k = at * segs.length + si;
      if (memo[k] === 0) memo[k] = part(segs[si]!) ? 1 : 2;
      return memo[k] === 1;
    };
    while (si < segs.length) {
      meter.steps++;
      const part = pi < m ? parts[pi]! : undefined;
      if (part === GLOBSTAR) { starP = pi++; starS = si; continue; }
      if (part && test(part, pi)) { pi++; si++; continue; }
      if (starP < 0) return false;
      pi = starP + 1;
      si = ++starS;
    }
    while (pi < m && parts[pi] === GLOBSTAR) pi++;
    return pi === m;
  };
}

/** Checks a glob and returns its token rows; throws GlobSyntaxError when it cannot be used. */
function parse(glob: string): Token[][] {
  const rows = expand(resolveBraces(tokenize(glob)));
  let size = 0;
  for (const r of rows) size += r.length;
  if (size > LIMITS.globExpandedLength) {
    throw new GlobSyntaxError(`its ${rows.length} alternatives add up to ${size} characters; the limit is ${LIMITS.globExpandedLength}`);
  }
  return rows;
}

/** Characters of all alternatives of `glob` together (what a match costs per path character). */
export function expandedLength(glob: string): number {
  let size = 0;
  for (const r of parse(glob)) size += r.length;
  return size;
}

/** Why `glob` cannot be compiled (syntax or limits), or undefined. */
export function globSyntaxError(glob: string): string | undefined {
  try {
    parse(glob);
    return undefined;
  } catch (e) {
    if (e instanceof GlobSyntaxError) return e.message;
    throw e;
  }
}

/** Compiles a repository-relative glob into a predicate on repository-relative POSIX paths. */
export function compile(glob: string, meter: Meter = { steps: 0 }): (path: string) => boolean {
  const rows = parse(glob);
  const seen = new Set<string>();
  const matchers: ((segs: string[]) => boolean)[] = [];
  for (const r of rows) {
    const key = JSON.stringify(r);
    if (seen.has(key)) continue;
    seen.add(key);
    matchers.push(pathMatcher(r, meter));
  }
  return (path) => {
    const segs = path.split('/');
    return matchers.some((m) => m(segs));
  };
}
