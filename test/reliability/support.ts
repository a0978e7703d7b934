// Shared by the reliability specs: they run the built CLI (dist/cli.js, exactly what hooks and CI
// run) against real temporary repositories made with real git.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const CLI = join(ROOT, 'dist/cli.js');

let built = false;
/** Builds dist/cli.js once per test run (call from a `before` hook). */
export function buildCli(): void {
  if (built) return;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'pipe' });
  built = true;
}

const HANG_GUARD_MS = 120_000;

/**
 * The environment for git and the CLI, without GIT_* variables: run from inside a git hook (where
 * GIT_DIR and GIT_INDEX_FILE are set) the tests would otherwise act on the outer repository.
 */
export const ENV: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js <args>` in `cwd`; `env` replaces the environment when given. */
export function cli(cwd: string, args: string[], env?: NodeJS.ProcessEnv): CliResult {
  // spawnSync blocks mocha's own timeout, so a hang would stall the run instead of failing it:
  // a generous guard turns a hang into a failure (it is not a speed assertion).
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: env ?? ENV, maxBuffer: 256 * 1024 * 1024, timeout: HANG_GUARD_MS, killSignal: 'SIGKILL' });
  if (r.error) throw (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? new Error(`ownership ${args.join(' ')} hung: no exit after ${HANG_GUARD_MS / 1000} s`) : r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A crash is never acceptable: no stack trace, no "internal error". */
export function assertNoCrash(r: CliResult): void {
  const all = r.stdout + r.stderr;
  if (/internal error|\n\s+at .+:\d+:\d+\)?/.test(all)) throw new Error(`the CLI crashed:\n${all}`);
}

const temps: string[] = [];
/** A fresh temporary directory, removed by `cleanup()`. */
export function tempDir(prefix = 'own-rel-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

export function cleanup(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', input, env: ENV, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/** `git init` with a local identity, so commits work whatever the machine's config. */
export function initRepo(dir = tempDir(), args: string[] = []): string {
  git(dir, ['init', '-q', '-b', 'main', ...args]);
  git(dir, ['config', 'user.name', 'Reliability Test']);
  git(dir, ['config', 'user.email', 'reliability@example.invalid']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  return dir;
}

/** Writes files (paths relative to `dir`; string or raw bytes), creating folders. */
export function write(dir: string, files: Record<string, string | Buffer>): void {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
}

export function commitAll(dir: string, message = 'commit'): void {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--no-verify', '-m', message]);
}

/** The smallest valid configuration: feature `app` owns src/ and wants tests/ touched. */
export const BASIC = 'version: 1\nfeatures:\n  - id: app\n    name: App\n    code: [src/]\n    tests: [test/]\n';

/** A repository with BASIC committed and src/a.ts. */
export function basicRepo(): string {
  const dir = initRepo();
  write(dir, { 'OWNERSHIP.yml': BASIC, 'src/a.ts': 'a\n' });
  commitAll(dir, 'init');
  return dir;
}
