// Asks the commit question on the controlling terminal. Git gives hooks no stdin (it is
// /dev/null), so the question goes to /dev/tty, as `git add -p`-style tools do. Reads are
// blocking and line-buffered by the terminal, so Ctrl-C reaches the whole process group and
// aborts the commit with nothing changed.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import type { CommitAnswer } from '../node/ipc';

/** The terminal, when this process has one; undefined in CI, GUI clients and `setsid`. */
export function openTty(): number | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    return openSync('/dev/tty', 'r+');
  } catch {
    return undefined;
  }
}

function readLine(fd: number): string | undefined {
  const buf = Buffer.alloc(1024);
  let line = '';
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      return undefined;
    }
    if (n === 0) return line || undefined;
    line += buf.toString('utf8', 0, n);
    const nl = line.indexOf('\n');
    if (nl >= 0) return line.slice(0, nl).replace(/\r$/, '');
    if (line.length > 4096) return line;
  }
}

/**
 * Asks "commit anyway?" on the terminal `fd` and then for an optional reason. Anything but a
 * clear yes cancels: a commit without its tests should be a decision, not a stray Enter.
 */
export function askOnTty(fd: number, question: string, details: string): CommitAnswer {
  const say = (s: string) => writeSync(fd, s);
  try {
    say(`\n${question}\n`);
    for (;;) {
      say('Commit anyway? [y]es, [N]o, [d]etails: ');
      const a = readLine(fd);
      if (a === undefined) return { decision: 'cancel' };
      const v = a.trim().toLowerCase();
      if (v === 'd' || v === 'details') {
        say(details);
        continue;
      }
      if (v !== 'y' && v !== 'yes') return { decision: 'cancel' };
      say('Reason, recorded in the commit (optional, Enter to skip): ');
      return { decision: 'commit', reason: readLine(fd) ?? '' };
    }
  } finally {
    closeSync(fd);
  }
}
