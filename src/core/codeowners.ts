// Reading a CODEOWNERS file (GitHub / GitLab syntax) so a first OWNERSHIP.yml can start from the
// ownership a repository already declares. Pure: the caller reads the file and lists tracked paths.

/** Where GitHub and GitLab look for CODEOWNERS, in the order GitHub uses (first one found wins). */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'] as const;

interface CodeownersRule {
  /** The pattern as written. */
  pattern: string;
  owners: string[];
  /** 1-based line in CODEOWNERS. */
  line: number;
}

/** Parses CODEOWNERS: one `pattern owner…` rule per line; comments and GitLab section headers are skipped. */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    // GitLab sections (`[Docs] @team`, `^[Optional]`) group rules; they are not paths.
    if (!line || line.startsWith('#') || /^\^?\[/.test(line)) return;
    // `\#` and `\ ` are escapes inside a pattern; everything after an unescaped ` #` is a comment.
    const tokens = line.match(/(?:\\.|[^\s\\])+/g) ?? [];
    const end = tokens.findIndex((t) => t.startsWith('#'));
    const [pattern, ...owners] = end < 0 ? tokens : tokens.slice(0, end);
    if (!pattern) return;
    rules.push({ pattern: pattern.replace(/\\([# ])/g, '$1'), owners, line: i + 1 });
  });
  return rules;
}

/**
 * Turns a CODEOWNERS (gitignore-style) pattern into an OWNERSHIP.yml glob relative to the
 * repository root, or undefined for a catch-all (`*`, `/`, `**`) that names no feature.
 * `isDir` says whether a literal path (for an unanchored name: `**\/name`) is a folder,
 * since `/src/app` owns the folder's contents.
 */
export function codeownersToGlob(pattern: string, isDir: (path: string) => boolean): string | undefined {
  let p = pattern;
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.replace(/\/+$/, '');
  // gitignore rule: a slash at the start or in the middle anchors the pattern to the root;
  // otherwise it matches at any depth.
  const anchored = p.startsWith('/') || p.includes('/');
  p = p.replace(/^\/+/, '');
  if (p === '' || p === '*' || p === '**' || p === '**/*') return undefined;
  const literal = !/[*?[\]{}]/.test(p);
  if (!anchored) p = `**/${p}`;
  if (dirOnly || (literal && isDir(p))) return `${p}/`;
  return p;
}
