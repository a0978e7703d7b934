// Starts and stops the sandboxed code-server from Node: install on demand, a short per-run
// folder, start-code-server.sh, and a process-group kill that also runs on Ctrl-C and on errors.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(HERE, '..', '..');

/** Installs code-server if needed (see install-code-server.sh) and returns its entry.js path. */
export async function ensureCodeServer() {
  const { stdout } = await run('bash', [join(HERE, 'install-code-server.sh')], {
    maxBuffer: 16 << 20,
    env: process.env,
  }).catch((e) => {
    process.stderr.write(e.stderr ?? '');
    throw new Error('installing code-server failed');
  });
  return stdout.trim().split('\n').pop();
}

/**
 * Installs a packaged extension into `extensionsDir` with code-server's own CLI (what
 * `code --install-extension` does: it unpacks the VSIX; no server needs to run) and returns the
 * folder it was unpacked to, e.g. `<extensionsDir>/feature-ownership.feature-ownership-0.1.0`.
 */
export async function installVsix(entry, vsix, extensionsDir) {
  mkdirSync(extensionsDir, { recursive: true });
  // Bounded: a stalled install fails the run with what it printed, instead of the tier's timeout.
  await run('node', [entry, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    env: { ...process.env, XDG_CONFIG_HOME: join(extensionsDir, '..', 'xdg') },
    timeout: 180_000,
    killSignal: 'SIGKILL',
  }).catch((e) => {
    throw new Error(`installing ${vsix} failed${e.killed ? ' (no exit within 180 s)' : ''}: ${e.stderr || e.stdout || e.message}`);
  });
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const prefix = `${pkg.publisher}.${pkg.name}-`.toLowerCase();
  const folder = readdirSync(extensionsDir).find((f) => f.toLowerCase().startsWith(prefix));
  if (!folder) throw new Error(`installing ${vsix} left no ${prefix}* folder in ${extensionsDir}`);
  return join(extensionsDir, folder);
}

/**
 * A per-run folder under /tmp (not the repository: unix socket paths inside must stay below 107
 * bytes). Removed by `dispose()` unless FO_KEEP_RUN=1.
 */
export function makeRunDir(prefix = 'fo-') {
  const dir = mkdtempSync(join('/tmp', prefix));
  return {
    dir,
    dispose() {
      if (process.env.FO_KEEP_RUN === '1') console.log(`[harness] kept run folder ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}

const running = new Set();
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
function killAll() {
  for (const pid of running) killGroup(pid, 'SIGKILL');
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * Starts code-server on 127.0.0.1:<free port> with state in `stateDir` and extensions in
 * `extensionsDir`. `env` is added to the server's environment and so reaches its extension hosts.
 * @returns {Promise<{ port: number, pid: number, stateDir: string, stop(): Promise<void> }>}
 */
export async function startCodeServer({ stateDir, extensionsDir, entry, env = {}, args = [] }) {
  mkdirSync(stateDir, { recursive: true });
  // Two attempts: a start that fails (it printed why) is retried once on a new port before the run fails.
  for (let attempt = 1; ; attempt++) {
    try {
      await run('bash', [join(HERE, 'start-code-server.sh'), stateDir, extensionsDir, ...args], {
        env: { ...process.env, ...env, ...(entry ? { CS_ENTRY: entry } : {}) },
      });
      break;
    } catch (e) {
      process.stderr.write(e.stderr ?? String(e));
      const pid = readPid(stateDir);
      if (pid) killGroup(pid, 'SIGKILL');
      if (attempt >= 2) throw new Error(`code-server did not start (${attempt} attempts)`, { cause: e });
      console.log(`[harness] code-server did not start (attempt ${attempt}); trying again`);
    }
  }
  const pid = readPid(stateDir);
  const port = Number(readFileSync(join(stateDir, 'port'), 'utf8'));
  running.add(pid);
  return {
    port,
    pid,
    stateDir,
    async stop() {
      if (!running.delete(pid)) return;
      killGroup(pid, 'SIGTERM');
      for (let i = 0; i < 30 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      killGroup(pid, 'SIGKILL');
    },
  };
}

function readPid(stateDir) {
  try {
    return Number(readFileSync(join(stateDir, 'pid'), 'utf8')) || 0;
  } catch {
    return 0;
  }
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds since `t0`, formatted as seconds for log lines. */
export function since(t0) {
  return `${((Date.now() - t0) / 1000).toFixed(1)}s`;
}
