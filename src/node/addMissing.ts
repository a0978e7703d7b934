// "Add Missing Piece" against a real repository: gathers what the planner needs (the working
// tree's files, their text, the branch), carries out its step without ever replacing a file, and
// stages what it created when the user has staged the feature's code.
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { planAddMissing, type GapInput, type Position, type Step } from '../core/addMissing';
import { parsePathsZ } from '../core/gitParse';
import type { Read } from '../core/repoLayout';
import type { FeatureDef } from '../core/types';
import type { Git } from './git';

/** Files larger than this are not read for planning (a package.json or changelog never is). */
const MAX_READ_BYTES = 4 * 1024 * 1024;

type StageSetting = 'auto' | 'never';

/** Every file of the working tree git knows or would add: tracked, and untracked but not ignored. */
async function workingTreeFiles(git: Git): Promise<string[]> {
  const out = parsePathsZ(await git.raw(['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--full-name']));
  return [...new Set(out)].sort();
}

/** Reads repository files as text for the planner; undefined when missing, too large or outside the repository. */
function repoReader(root: string): Read {
  return (path) => {
    const full = inside(root, path);
    if (!full) return undefined;
    try {
      if (statSync(full).size > MAX_READ_BYTES) return undefined;
      return readFileSync(full, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** The absolute path of a repository-relative one, or undefined when it would leave the repository. */
function inside(root: string, path: string): string | undefined {
  if (isAbsolute(path)) return undefined;
  const full = resolve(root, path);
  const rel = relative(root, full);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? undefined : full;
}

/** The short name of the checked-out branch; undefined when HEAD is detached. */
async function currentBranch(git: Git): Promise<string | undefined> {
  try {
    return (await git.raw(['symbolic-ref', '--short', '-q', 'HEAD'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface GapRequest {
  feature: FeatureDef;
  criterion: string;
  /** The feature's changed code paths (from the verdict). */
  changedCode: readonly string[];
  message?: string;
  choice?: string;
  random?: () => number;
  now?: Date;
}

/** Plans the step for one gap from the repository as it is now. */
export async function planGap(git: Git, req: GapRequest): Promise<Step> {
  const [files, branch] = await Promise.all([workingTreeFiles(git), currentBranch(git)]);
  const set = new Set(files);
  const input: GapInput = {
    ...req,
    files,
    // A deleted file is still in the index until the deletion is staged: only existing code counts.
    changedCode: req.changedCode.filter((p) => set.has(p) && inside(git.root, p) !== undefined),
    read: repoReader(git.root),
    branch,
  };
  return planAddMissing(input);
}

export class StepError extends Error {}

/** What a carried-out step left to show: the file and where the cursor goes. */
interface Applied {
  /** Repository-relative path. */
  path: string;
  created: boolean;
  cursor?: Position;
}

/**
 * Carries out a file step: `create` writes a new file exclusively (a file that appeared since the
 * plan is never replaced: the step fails and can be planned again), `insert` adds to a file only
 * when it still reads as planned, `open` just returns the path.
 */
export function applyStep(root: string, step: Extract<Step, { path: string }>): Applied {
  const full = inside(root, step.path);
  if (!full) throw new StepError(`${step.path} is outside the repository`);
  // A folder on the way (or the file) may be a symbolic link: never write where it leads outside.
  const realRoot = realpathSync(root);
  const stayInside = (existing: string) => {
    const rel = relative(realRoot, realpathSync(existing));
    if (rel.startsWith('..') || isAbsolute(rel)) throw new StepError(`${step.path} leads outside the repository through a symbolic link; nothing was written`);
  };
  switch (step.kind) {
    case 'open':
      return { path: step.path, created: false, cursor: step.cursor };
    case 'create':
      {
        // Checked before creating folders too: mkdir would follow a link on the way.
        let existing = dirname(full);
        while (!existsSync(existing)) existing = dirname(existing);
        stayInside(existing);
      }
      mkdirSync(dirname(full), { recursive: true });
      stayInside(dirname(full));
      try {
        writeFileSync(full, step.text, { flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new StepError(`${step.path} appeared in the meantime; it was left as it is`);
        throw e;
      }
      return { path: step.path, created: true, cursor: step.cursor };
    case 'insert': {
      stayInside(full);
      const now = readFileSync(full, 'utf8');
      if (now !== step.before) throw new StepError(`${step.path} changed in the meantime; nothing was added`);
      writeFileSync(full, now.slice(0, step.offset) + step.text + now.slice(step.offset));
      return { path: step.path, created: false, cursor: step.cursor };
    }
  }
}

/** True when some of `paths` have staged changes. */
async function hasStaged(git: Git, paths: readonly string[]): Promise<boolean> {
  if (!paths.length) return false;
  const out = await git.raw(['diff', '--cached', '--name-only', '-z', '--no-ext-diff', '--', ...paths.map((p) => `:(literal)${p}`)]);
  return out.length > 0;
}

/**
 * Stages `path` (a file the action created or changed) when the setting is `auto` and the user
 * has staged the feature's code: the new piece joins the commit being prepared, and nothing is
 * staged behind the back of someone who stages by hand. Returns whether it staged.
 */
export async function stageIfCodeStaged(git: Git, path: string, codePaths: readonly string[], setting: StageSetting): Promise<boolean> {
  if (setting === 'never' || !(await hasStaged(git, codePaths))) return false;
  await git.raw(['add', '--', `:(literal)${path}`]);
  return true;
}

