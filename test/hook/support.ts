// Shared by the hook specs: real temporary repositories, the built CLI (dist/cli.js, what the
// installed hooks run), and real `git commit` runs. Commits run under `setsid`, so they have no
// controlling terminal and take the non-interactive path even when the suite runs in a terminal;
// they are spawned asynchronously so an IPC server in this process can answer them.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const CLI = join(ROOT, 'dist/cli.js');
/** Resolved once, so a test may run git with a PATH that lacks it. */
const SETSID = execFileSync('which', ['setsid'], { encoding: 'utf8' }).trim();

let built = false;
export function buildCli(): void {
  if (built) return;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'pipe' });
  built = true;
}

const temps: string[] = [];
export function tempDir(prefix = 'own-hook-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}
export function cleanup(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

const home = mkdtempSync(join(tmpdir(), 'own-hook-home-'));
temps.push(home);

/** The environment of a person's shell, minus anything that would leak this machine's git setup or VS Code's. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(GIT_|VSCODE_|ELECTRON_)/.test(k)) env[k] = v;
  return { ...env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), GIT_CONFIG_NOSYSTEM: '1', ...extra };
}

export function git(cwd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], env: env ?? cleanEnv() });
}

export function initRepo(dir = tempDir()): string {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.name', 'Hook Test']);
  git(dir, ['config', 'user.email', 'hook@example.invalid']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  return dir;
}

export function write(dir: string, files: Record<string, string>): void {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
}

export const OWNERSHIP = (mode: 'warn' | 'strict' = 'warn') =>
  `version: 1\nmode: ${mode}\nfeatures:\n  - id: checkout\n    name: Checkout flow\n    owners: ["@payments"]\n    code: [src/checkout/]\n    tests: [test/checkout/]\n`;

/** A repository with OWNERSHIP.yml and one feature file committed (hooks not yet installed). */
export function featureRepo(mode: 'warn' | 'strict' = 'warn', dir?: string): string {
  const repo = initRepo(dir);
  write(repo, { 'OWNERSHIP.yml': OWNERSHIP(mode), 'src/checkout/pay.ts': 'pay\n', 'README.md': 'hi\n' });
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '--no-verify', '-m', 'init']);
  return repo;
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without a controlling terminal; resolves when it exits. */
export function run(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(SETSID, ['-w', cmd, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

export function ownership(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  return run(cwd, process.execPath, [CLI, ...args], env);
}

export function commit(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  return run(cwd, 'git', ['commit', ...args], env);
}

/** Stages a change to the feature's code only: a gap in `tests`. */
export function stageGap(repo: string, name = 'cart.ts'): void {
  write(repo, { [`src/checkout/${name}`]: `${name}\n` });
  git(repo, ['add', '--', `src/checkout/${name}`]);
}

export function head(repo: string): string {
  return git(repo, ['rev-parse', 'HEAD']).trim();
}

export function lastMessage(repo: string): string {
  // The raw message: everything after the header's blank line.
  const raw = git(repo, ['cat-file', 'commit', 'HEAD']);
  return raw.slice(raw.indexOf('\n\n') + 2);
}

export function staged(repo: string): string[] {
  return git(repo, ['diff', '--cached', '--name-only']).split('\n').filter(Boolean);
}

/** Every file under `dir` with its bytes and mode: to prove that something changed nothing. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out[p.slice(dir.length)] = `${(st.mode & 0o7777).toString(8)} ${readFileSync(p, 'base64')}`;
    }
  };
  walk(dir);
  return out;
}
