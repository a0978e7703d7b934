// Shared by the hook specs: real temporary repositories, the built CLI (dist/cli.js, what the
// installed hooks run), and real `git commit` runs. Commits run under `setsid`, so they have no
// controlling terminal and take the non-interactive path even when the suite runs in a terminal;
// they are spawned asynchronously so an IPC server in this process can answer them.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
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

/** A run that has not ended by then is a hang: its process group is killed and the run fails. */
export const HANG_GUARD_MS = 50_000;

/** Runs a command without a controlling terminal; resolves when it exits. */
export function run(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    // setsid (not itself a group leader, so it does not fork) makes the command the leader of
    // a new process group: a hang kills all of it, git and hooks.
    const child = spawn(SETSID, ['-w', cmd, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    const guard = setTimeout(() => {
      hung = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    }, HANG_GUARD_MS);
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', (e) => { clearTimeout(guard); reject(e); });
    child.on('close', (status) => {
      clearTimeout(guard);
      if (hung) reject(new Error(`${cmd} ${args.join(' ')} hung: killed after ${HANG_GUARD_MS / 1000} s\n${stderr}`));
      else resolvePromise({ status, stdout, stderr });
    });
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

/** The extension stand-in of extensionProcess.ts, running in a process of its own. */
export interface ExtensionProcess {
  child: ChildProcess;
  endpoint: { socket: string; token: string; pid: number };
  /** Its endpoint file in `$GIT_DIR/ownership/windows/`. */
  file: string;
  /** Headlines of the questions it was asked, as it reports them. */
  asked: string[];
  /** Records whether its window has focus; resolves once the endpoint says so. */
  focus(focused: boolean): Promise<void>;
  /** Runs `git <args>` as its own child (so the stand-in is an ancestor of the hooks). */
  git(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run>;
}

const extensionProcesses: ChildProcess[] = [];

/** Starts the stand-in for `gitDir`; resolves once it listens. */
export function startExtensionProcess(gitDir: string, answer: 'commit' | 'cancel', opts: { focused?: boolean } = {}): Promise<ExtensionProcess> {
  const args = [gitDir, answer, ...(opts.focused ? ['focused'] : [])];
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'extensionProcess.ts'), ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  extensionProcesses.push(child);
  const asked: string[] = [];
  // Replies of one kind come in the order their requests were sent.
  const waiting: { kind: string; resolve: (payload: string) => void }[] = [];
  const request = (kind: string, cmd: object) => new Promise<string>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`the extension stand-in did not answer ${kind}`)), HANG_GUARD_MS);
    waiting.push({ kind, resolve: (payload) => { clearTimeout(guard); resolve(payload); } });
    child.stdin!.write(`${JSON.stringify(cmd)}\n`);
  });
  return new Promise((resolvePromise, reject) => {
    const guard = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('the extension stand-in did not start')); }, HANG_GUARD_MS);
    let buf = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      buf += s;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const space = line.indexOf(' ');
        const [kind, payload] = [line.slice(0, space), line.slice(space + 1)];
        if (kind === 'asked') asked.push(payload);
        else if (kind === 'ready') {
          clearTimeout(guard);
          const ready = JSON.parse(payload) as Pick<ExtensionProcess, 'endpoint' | 'file'>;
          resolvePromise({
            child,
            ...ready,
            asked,
            focus: async (focused) => { await request('focus', { focus: focused }); },
            git: async (cwd, gitArgs, env) => {
              const r = JSON.parse(await request('committed', { commit: { cwd, args: gitArgs, env } })) as { status: number | null; stderr: string };
              return { status: r.status, stdout: '', stderr: r.stderr };
            },
          });
        } else {
          const i = waiting.findIndex((w) => w.kind === kind);
          if (i >= 0) waiting.splice(i, 1)[0]!.resolve(payload);
        }
      }
    });
    child.on('exit', () => { clearTimeout(guard); reject(new Error('the extension stand-in exited')); });
  });
}

/** Ends every stand-in still running (continuing a stopped one first). */
export function stopExtensionProcesses(): void {
  for (const c of extensionProcesses.splice(0)) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    try { c.kill('SIGCONT'); c.kill('SIGKILL'); } catch { /* gone */ }
  }
}

/** A sh script in a fresh folder (for GIT_EDITOR and the like); `body` is fixed test text. */
export function script(body: string, name = 'editor.sh'): string {
  const file = join(tempDir('own-script-'), name);
  writeFileSync(file, `#!/bin/sh\n${body}`, { mode: 0o755 });
  return file;
}
