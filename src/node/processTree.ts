// Who started this process: its ancestors, read from the operating system. The commit hook uses
// them to find the git that runs it (one pending decision per commit) and the editor window whose
// extension host started the commit. Never through a shell: /proc on Linux, `ps` with an argument
// array elsewhere; on Windows nothing is known and callers fall back.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** [parent pid, command name] of `pid`, or undefined when it cannot be known. */
function processInfo(pid: number): [number, string] | undefined {
  try {
    if (process.platform === 'linux') {
      // "pid (comm) state ppid …"; comm may itself contain ") ".
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      return [Number(stat.slice(close + 2).split(' ')[1]), stat.slice(stat.indexOf('(') + 1, close)];
    }
    if (process.platform === 'win32') return undefined;
    const out = execFileSync('ps', ['-o', 'ppid=', '-o', 'comm=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 });
    const m = /^\s*(\d+)\s+(.*?)\s*$/.exec(out);
    return m ? [Number(m[1]), basename(m[2]!)] : undefined; // group 2 is not optional
  } catch {
    return undefined;
  }
}

/**
 * This process's ancestors, nearest first ([parent pid, name] each), up to `max` of them or the
 * first one that cannot be read; init (pid 1) ends the walk. Empty on Windows.
 */
export function ancestors(max = 32): [number, string][] {
  const out: [number, string][] = [];
  let pid = process.ppid;
  while (out.length < max && pid > 1) {
    const info = processInfo(pid);
    if (!info) break;
    out.push([pid, info[1]]);
    pid = info[0];
  }
  return out;
}

/** Whether process `pid` exists (one of another user counts: it exists, we may not signal it). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
