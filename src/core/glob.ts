// Glob semantics of OWNERSHIP.yml, on our own linear-time matcher (globEngine.ts says why not a
// library): exact about `*` versus `**` and dotfiles, and no glob can make matching slow.
import { compile, globSyntaxError } from './globEngine';
import { LIMITS } from './limits';

export type Matcher = (path: string) => boolean;


/**
 * Escapes a literal path (e.g. the folder of an OWNERSHIP.yml) for use inside a glob: the glob
 * characters, and `@`, `!`, `+` before `(`, which would read as an extglob.
 */
function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]{}\\]|[@!+](?=\()/g, '\\$&');
}

/** Answers of globError: a file repeats its globs (defaults, the same folders), and parsing asks twice. */
const errors = new Map<string, string | undefined>();

/** Why a glob as written in OWNERSHIP.yml cannot be used, or undefined when it can. */
export function globError(pattern: string): string | undefined {
  if (errors.has(pattern)) return errors.get(pattern);
  const err = checkGlob(pattern);
  if (errors.size >= 10_000) errors.clear();
  errors.set(pattern, err);
  return err;
}

function checkGlob(pattern: string): string | undefined {
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  if (body.trim() === '') return `empty glob "${pattern}"`;
  // A second `!` reads as a negation of the negation to most glob tools: ambiguous, so refused.
  if (body.startsWith('!')) return `glob "${pattern}" starts with "!!": one "!" removes matches from the list; escape a literal "!" as "\\!"`;
  if (body.startsWith('/') || /^[A-Za-z]:[\\/]/.test(body)) {
    return `absolute path "${pattern}": globs are relative to the folder of this OWNERSHIP.yml; drop the leading "/"`;
  }
  if (body.split('/').includes('..')) {
    return `glob "${pattern}" leaves the folder of this OWNERSHIP.yml; move the feature to an OWNERSHIP.yml higher up instead of using ".."`;
  }
  if (body.includes('\0')) return `glob "${pattern}" contains a NUL character`;
  if (pattern.length > LIMITS.globLength) {
    return `glob of ${pattern.length} characters; the limit is ${LIMITS.globLength}: match a folder ("dir/") or split the glob`;
  }
  const depth = body.split('/').length;
  if (depth > LIMITS.globDepth) return `glob with ${depth} folder levels; the limit is ${LIMITS.globDepth}`;
  const err = globSyntaxError(body);
  return err === undefined ? undefined : `invalid glob "${pattern}": ${err}`;
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

/**
 * A compiled single glob: the reference semantics the index must agree with. Linear in
 * (glob length × path length) whatever the glob.
 */
export function compileGlob(glob: string): Matcher {
  // Callers check globs with globError first; one that slipped through matches nothing rather
  // than failing the whole analysis.
  return globSyntaxError(glob) === undefined ? compile(glob) : () => false;
}
