// Parsers for git's machine-readable (`-z`) output. Pure: the Node adapter runs git and hands the
// text here, so paths with spaces, quotes, newlines and non-ASCII characters arrive verbatim.
import type { Change } from './types';

/** Parses `git diff --name-status -z [-M]` output. */
export function parseNameStatusZ(out: string): Change[] {
  const parts = out.split('\0');
  const changes: Change[] = [];
  for (let i = 0; i < parts.length; ) {
    const status = parts[i++];
    if (!status) continue;
    const letter = status[0] as Change['status'];
    if (letter === 'R' || letter === 'C') {
      const oldPath = parts[i++];
      const path = parts[i++];
      if (path === undefined || oldPath === undefined) break;
      changes.push({ status: letter, path, oldPath });
    } else {
      const path = parts[i++];
      if (path === undefined) break;
      changes.push({ status: 'AMDTU'.includes(letter) ? letter : 'M', path });
    }
  }
  return changes;
}

/** Parses a NUL-separated path list (`git ls-files -z`, `git diff --name-only -z`). */
export function parsePathsZ(out: string): string[] {
  const parts = out.split('\0');
  if (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * Parses `git status --porcelain=v1 -z --untracked-files=all`: `XY path`, and for renames and
 * copies `XY new\0old`. Ignored entries (`!!`) are skipped.
 */
export function parseStatusZ(out: string): Change[] {
  const parts = out.split('\0');
  const changes: Change[] = [];
  for (let i = 0; i < parts.length; ) {
    const entry = parts[i++];
    if (!entry || entry.length < 4) continue;
    const x = entry.charAt(0);
    const y = entry.charAt(1);
    const path = entry.slice(3);
    if (x === '!') continue;
    if (x === '?') { changes.push({ status: '?', path }); continue; }
    if (x === 'R' || x === 'C' || y === 'R' || y === 'C') {
      const oldPath = parts[i++];
      changes.push({ status: x === 'C' || y === 'C' ? 'C' : 'R', path, oldPath });
      continue;
    }
    if (x === 'U' || y === 'U' || (x === 'A' && y === 'A') || (x === 'D' && y === 'D')) { changes.push({ status: 'U', path }); continue; }
    const letter = x !== ' ' ? x : y;
    changes.push({ status: ('AMDT'.includes(letter) ? letter : 'M') as Change['status'], path });
  }
  return changes;
}
