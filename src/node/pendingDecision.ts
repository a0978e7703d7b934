// What pre-commit decided, kept for commit-msg: the hook that can see the staged change cannot
// see the message, and the one that can see the message runs after it. The file lives in the
// worktree's own git directory, readable by this user only, and is only honoured for the same
// staged change.
//
// One file per `git commit` process (`pending-<pid>.json`, the pid of the git that runs both
// hooks). A plain `git commit` holds no index.lock while its hooks run, so two commits of the same
// staged change can be in their hooks at once: with one shared file, the second commit's
// pre-commit would delete or overwrite the first one's decision, and one commit would carry a
// waiver the user gave for the other. Files of commits that ended without commit-msg (aborted in
// the editor, killed) are swept by the next pre-commit.
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Git } from './git';
import { readPrivateFile, stateDir, writePrivateFile } from './ipc';
import { ancestors, isRunning } from './processTree';

export interface PendingDecision {
  version: 1;
  createdAt: number;
  /** Identifies the staged change the decision was made for. */
  fingerprint: string;
  /** `waive`: the user chose to commit anyway; `enforce`: strict gaps the message must waive. */
  decision: 'waive' | 'enforce';
  reason: string;
  /** The gaps; a gap's own `reason`, when it has one, replaces `reason` in its trailer. */
  gaps: { feature: string; criterion: string; reason?: string }[];
  /** `enforce`: the gap report commit-msg prints if it blocks (pre-commit stays quiet). */
  details?: string;
}

/** A decision older than this is not trusted, even for the same staged change. */
const MAX_AGE_MS = 24 * 3600_000;
const FILE_RE = /^pending(?:-(\d+))?\.json$/;

/** The file of the commit run by git process `commit` (undefined: no git process found). */
export function pendingFile(gitDir: string, commit: number | undefined): string {
  return join(gitDir, 'ownership', commit ? `pending-${commit}.json` : 'pending.json');
}

/**
 * The `git` process that runs this hook: the nearest ancestor named git. pre-commit and
 * commit-msg of one commit share it (whatever runs in between: husky, a chained hook, sh).
 */
export function commitProcess(): number | undefined {
  return ancestors(16).find(([, name]) => /^git(\.exe)?$/.test(name))?.[0];
}

/** HEAD and the staged change, hashed: the same value in pre-commit and commit-msg of one commit. */
export async function stagedFingerprint(git: Git): Promise<string> {
  const head = (await git.hasHead()) ? (await git.raw(['rev-parse', 'HEAD'])).trim() : '';
  const changes = await git.stagedChanges();
  return createHash('sha256').update(head).update('\0').update(JSON.stringify(changes)).digest('hex');
}

/** Records a decision for commit `commit`; throws when the git directory cannot be written. */
export function writePending(gitDir: string, d: Omit<PendingDecision, 'version' | 'createdAt'>, commit?: number): void {
  stateDir(gitDir);
  writePrivateFile(pendingFile(gitDir, commit), JSON.stringify({ version: 1, createdAt: Date.now(), ...d } satisfies PendingDecision) + '\n');
}

/**
 * Removes the decision of commit `commit`, and those of commits that are over (their git has
 * exited, or they are too old). Best effort: a read-only git directory leaves them, and they are
 * still ignored, as each commit reads only its own.
 */
export function clearPending(gitDir: string, commit?: number): void {
  const dir = join(gitDir, 'ownership');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = FILE_RE.exec(name);
    if (!m) continue;
    const file = join(dir, name);
    const pid = m[1] ? Number(m[1]) : undefined;
    let stale = pid === commit || (pid !== undefined && !isRunning(pid));
    if (!stale) {
      try {
        stale = !(Date.now() - statSync(file).mtimeMs < MAX_AGE_MS);
      } catch {
        continue;
      }
    }
    if (stale) {
      try {
        rmSync(file, { force: true });
      } catch {
        // Read-only: left in place, and harmless (see above).
      }
    }
  }
}

/** Reads and removes the decision of commit `commit`; undefined when there is none or it is not for `fingerprint`. */
export function takePending(gitDir: string, fingerprint: string, commit?: number): PendingDecision | undefined {
  const file = pendingFile(gitDir, commit);
  const text = readPrivateFile(file);
  if (text === undefined) return undefined;
  try {
    rmSync(file, { force: true });
  } catch {
    // A read-only git directory: the decision still applies to this commit, once.
  }
  try {
    const d = JSON.parse(text) as PendingDecision;
    if (d.version !== 1 || d.fingerprint !== fingerprint || !(Date.now() - d.createdAt < MAX_AGE_MS) || !Array.isArray(d.gaps)) return undefined;
    return d;
  } catch {
    return undefined;
  }
}
