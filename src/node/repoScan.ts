// What `ownership init` and the editor's "Create OWNERSHIP.yml" read from a repository before
// scaffolding: its files (tracked, and untracked but not ignored), the few of them whose text
// tells its layout (package.json, pyproject.toml, Cargo.toml…), CODEOWNERS, and its recent
// history — one `git log` for all of it, never one process per commit.
import { lstatSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CODEOWNERS_PATHS } from '../core/codeowners';
import { parsePathsZ } from '../core/gitParse';
import type { HistoryCommit, ScaffoldInput } from '../core/scaffold';
import type { Git } from './git';
import { readHistory } from './history';

/** How many recent first-parent changes `init` learns from. */
export const HISTORY_DEPTH = 300;
/** Manifests and configs are small; anything bigger is not one. */
const MAX_READ = 1 << 20;

/** Every file of the working tree git would show: tracked, and untracked unless ignored. */
async function workingTreeFiles(git: Git): Promise<string[]> {
  const paths = parsePathsZ(await git.raw(['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--full-name']));
  return [...new Set(paths)];
}

/**
 * The last `depth` first-parent changes of HEAD, newest first, each with the paths it changed
 * against its first parent (a merge by its whole diff; both paths of a rename). Read as
 * `ownership report` reads history (src/node/history.ts): one `git log`; empty before the first commit.
 */
async function readChangeHistory(git: Git, depth = HISTORY_DEPTH): Promise<HistoryCommit[]> {
  if (depth <= 0 || !(await git.hasHead())) return [];
  const { chain } = await readHistory(git, { head: 'HEAD', maxCount: depth });
  return chain.map((c) => ({ hash: c.sha, files: [...new Set(c.changes.flatMap((x) => (x.oldPath ? [x.oldPath, x.path] : [x.path])))] }));
}

/** A reader for small regular files inside `root` (never through a symbolic link), among `files`. */
export function fileReader(root: string, files: readonly string[]): (path: string) => string | undefined {
  const known = new Set(files);
  return (path) => {
    if (!known.has(path)) return undefined;
    try {
      const full = join(root, path);
      const st = lstatSync(full);
      if (!st.isFile() || st.size > MAX_READ) return undefined;
      return readFileSync(full, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** The repository's CODEOWNERS, from the first place GitHub looks that has one. */
function readCodeowners(read: (path: string) => string | undefined): { path: string; text: string } | undefined {
  for (const path of CODEOWNERS_PATHS) {
    const text = read(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

/**
 * Everything the scaffold reads, for an OWNERSHIP.yml in `dir` (default: the repository root):
 * paths relative to `dir`, history limited to the changes below it.
 */
export async function scanRepository(git: Git, options: { historyDepth?: number; dir?: string } = {}): Promise<ScaffoldInput> {
  const rel = options.dir === undefined ? '' : relative(git.root, options.dir).split(sep).join('/');
  const inside = (paths: readonly string[]) => (rel ? paths.filter((p) => p.startsWith(`${rel}/`)).map((p) => p.slice(rel.length + 1)) : [...paths]);
  const files = inside(await workingTreeFiles(git));
  const read = fileReader(options.dir ?? git.root, files);
  const history = (await readChangeHistory(git, options.historyDepth ?? HISTORY_DEPTH)).map((c) => ({ hash: c.hash, files: inside(c.files) }));
  // CODEOWNERS sits at the repository root (or .github/, docs/): read it from there.
  return { files, read, codeowners: readCodeowners(rel ? fileReader(git.root, [...CODEOWNERS_PATHS]) : read), history };
}
