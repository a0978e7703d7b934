// Glob semantics of OWNERSHIP.yml, on top of picomatch (the matcher behind micromatch, chokidar and
// fast-glob: well kept, fast, and exact about `*` versus `**` and dotfiles).
import picomatch from 'picomatch';

export type Matcher = (path: string) => boolean;

const GLOB_OPTIONS: picomatch.PicomatchOptions = { dot: true, strictSlashes: true };

/** Characters that make a picomatch pattern a glob rather than a literal path. */
const GLOB_CHARS = /[*?[\]{}()!+@\\]/;

/** Escapes a literal path (e.g. the folder of an OWNERSHIP.yml) for use inside a glob. */
function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]{}()!+@\\]/g, '\\$&');
}

/** Why a glob as written in OWNERSHIP.yml cannot be used, or undefined when it can. */
export function globError(pattern: string): string | undefined {
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  if (body.trim() === '') return `empty glob "${pattern}"`;
  // picomatch would read a second `!` as its own negation and match everything else.
  if (body.startsWith('!')) return `glob "${pattern}" starts with "!!": one "!" removes matches from the list; escape a literal "!" as "\\!"`;
  if (body.startsWith('/') || /^[A-Za-z]:[\\/]/.test(body)) {
    return `absolute path "${pattern}": globs are relative to the folder of this OWNERSHIP.yml; drop the leading "/"`;
  }
  if (body.split('/').includes('..')) {
    return `glob "${pattern}" leaves the folder of this OWNERSHIP.yml; move the feature to an OWNERSHIP.yml higher up instead of using ".."`;
  }
  if (body.includes('\0')) return `glob "${pattern}" contains a NUL character`;
  try {
    picomatch.makeRe(body, GLOB_OPTIONS);
  } catch (e) {
    return `invalid glob "${pattern}": ${(e as Error).message}`;
  }
  let square = 0;
  let curly = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') { i++; continue; }
    if (c === '[') square++;
    else if (c === ']' && square > 0) square--;
    else if (c === '{') curly++;
    else if (c === '}' && curly > 0) curly--;
  }
  if (square > 0) return `invalid glob "${pattern}": unclosed "["`;
  if (curly > 0) return `invalid glob "${pattern}": unclosed "{"`;
  return undefined;
}

interface NormalizedGlob {
  /** Repository-relative glob, without the leading `!`. */
  glob: string;
  negated: boolean;
}

/**
 * Turns a glob as written (relative to `base`, the repository-relative folder of its OWNERSHIP.yml)
 * into a repository-relative glob: `./` is dropped, a trailing `/` means everything below.
 */
export function normalizeGlob(pattern: string, base: string): NormalizedGlob {
  let negated = false;
  let p = pattern;
  if (p.startsWith('!')) { negated = true; p = p.slice(1); }
  while (p.startsWith('./')) p = p.slice(2);
  if (p.endsWith('/')) p += '**';
  if (p === '' || p === '.') p = '**';
  const glob = base ? `${escapeGlob(base)}/${p}` : p;
  return { glob, negated };
}

/** A compiled single glob: the reference semantics the index must agree with. */
export function compileGlob(glob: string): Matcher {
  return picomatch(glob, GLOB_OPTIONS);
}

/** Splits a repository-relative glob into its literal folder prefix and the rest. */
export function literalPrefix(glob: string): { dirs: string[]; kind: 'exact' | 'subtree' | 'glob' } {
  const segments = glob.split('/');
  const dirs: string[] = [];
  for (const [i, s] of segments.entries()) {
    if (GLOB_CHARS.test(s)) {
      // `dir/**` is the commonest pattern by far: everything below a literal folder.
      if (s === '**' && i === segments.length - 1 && i > 0) return { dirs, kind: 'subtree' };
      return { dirs, kind: 'glob' };
    }
    if (i === segments.length - 1) return { dirs: segments, kind: 'exact' };
    dirs.push(s);
  }
  return { dirs, kind: 'glob' };
}
