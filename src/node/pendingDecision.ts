// What pre-commit decided, kept for commit-msg: the hook that can see the staged change cannot
// see the message, and the one that can see the message runs after it. The file lives in the
// worktree's own git directory, readable by this user only, and is only honoured for the same
// staged change (a commit aborted after pre-commit leaves a file the next pre-commit replaces).
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Git } from './git';
import { readPrivateFile, stateDir, writePrivateFile } from './ipc';

export interface PendingDecision {
  version: 1;
  createdAt: number;
  /** Identifies the staged change the decision was made for. */
  fingerprint: string;
  /** `waive`: the user chose to commit anyway; `enforce`: strict gaps the message must waive. */
  decision: 'waive' | 'enforce';
  reason: string;
  gaps: { feature: string; criterion: string }[];
}

/** A decision older than this is not trusted, even for the same staged change. */
const MAX_AGE_MS = 24 * 3600_000;

function file(gitDir: string): string {
  return join(gitDir, 'ownership', 'pending.json');
}

/** HEAD and the staged change, hashed: the same value in pre-commit and commit-msg of one commit. */
export async function stagedFingerprint(git: Git): Promise<string> {
  const head = (await git.hasHead()) ? (await git.raw(['rev-parse', 'HEAD'])).trim() : '';
  const changes = await git.stagedChanges();
  return createHash('sha256').update(head).update('\0').update(JSON.stringify(changes)).digest('hex');
}

export function writePending(gitDir: string, d: Omit<PendingDecision, 'version' | 'createdAt'>): void {
  stateDir(gitDir);
  writePrivateFile(file(gitDir), JSON.stringify({ version: 1, createdAt: Date.now(), ...d } satisfies PendingDecision) + '\n');
}

export function clearPending(gitDir: string): void {
  rmSync(file(gitDir), { force: true });
}

/** Reads and removes the pending decision; undefined when there is none or it is not for `fingerprint`. */
export function takePending(gitDir: string, fingerprint: string): PendingDecision | undefined {
  const text = readPrivateFile(file(gitDir));
  clearPending(gitDir);
  if (text === undefined) return undefined;
  try {
    const d = JSON.parse(text) as PendingDecision;
    if (d.version !== 1 || d.fingerprint !== fingerprint || !(Date.now() - d.createdAt < MAX_AGE_MS) || !Array.isArray(d.gaps)) return undefined;
    return d;
  } catch {
    return undefined;
  }
}
