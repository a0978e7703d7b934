// Timing and peak memory of child processes. Timed runs are spawned directly (no wrapper, so the
// floor and the tool pay the same spawn cost); memory runs go through GNU time (`/usr/bin/time -f
// %M`), whose wait4() reports the peak resident set of the process it ran.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cmd {
  cmd: string;
  args: string[];
  cwd: string;
}

export interface Stats {
  runs: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
}

const GNU_TIME = '/usr/bin/time';

export function hasGnuTime(): boolean {
  if (!existsSync(GNU_TIME)) return false;
  const r = spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /^\d+\s*$/.test(r.stderr);
}

function run(c: Cmd, wrapFile?: string): { ms: number; stdout: Buffer; status: number | null; stderr: string } {
  const [cmd, args] = wrapFile ? [GNU_TIME, ['-f', '%M', '-o', wrapFile, c.cmd, ...c.args]] : [c.cmd, c.args];
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: c.cwd, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.error) throw r.error;
  return { ms, stdout: r.stdout, status: r.status, stderr: r.stderr.toString() };
}

/** Runs `cmds` one after the other (as a shell would run `a && b`); total wall time in ms. */
export function timeSequence(cmds: Cmd[], okStatus: number[] = [0]): { ms: number; stdout: Buffer } {
  let ms = 0;
  let stdout: Buffer = Buffer.alloc(0);
  for (const c of cmds) {
    const r = run(c);
    if (!okStatus.includes(r.status ?? -1)) throw new Error(`${c.cmd} ${c.args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
    ms += r.ms;
    stdout = r.stdout;
  }
  return { ms, stdout };
}

/** Peak resident set size (MB) of the largest process among `cmds`. */
export function peakMemory(cmds: Cmd[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-mem-'));
  try {
    let peak = 0;
    for (const [i, c] of cmds.entries()) {
      const file = join(dir, `m${i}`);
      run(c, file);
      const kb = Number(readFileSync(file, 'utf8').trim().split('\n').pop());
      peak = Math.max(peak, kb / 1024);
    }
    return peak;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo];
  const b = sorted[hi];
  if (a === undefined || b === undefined) return NaN; // no samples
  return a + (b - a) * (pos - lo);
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  return { runs: s.length, median: quantile(s, 0.5), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN, q1: quantile(s, 0.25), q3: quantile(s, 0.75) };
}
