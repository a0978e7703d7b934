// The `ownership` command (dist/cli.js): loads the CLI bundle (dist/cliMain.js) with V8's code
// cache, so the commit hook does not compile half a megabyte of JavaScript on every commit
// (≈20 ms of a ≈150 ms floor; measured in `npm run bench`).
//
// Why not a library: v8-compile-cache (the usual choice, unmaintained since 2022) and Node 22's
// own module.enableCompileCache() keep their caches in a directory under the shared temporary
// folder without checking who owns it. Code cache is compiled code: another user who can plant a
// file there runs code as whoever commits next. So the cache lives in this user's cache folder, in
// directories created 0700, and a cache file is read only when this user owns it and nobody else
// can write it (Windows: under %LOCALAPPDATA%, which is per user). V8 itself rejects a cache made
// for other source text, another V8 or other flags, and the cache is then written again.
// OWNERSHIP_CODE_CACHE=off runs without it; OWNERSHIP_CODE_CACHE=<dir> puts it elsewhere.
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

const isWindows = process.platform === 'win32';

/** True when only this user can write to `path` (a directory or a file, never a link). */
function mine(st: { uid: number; mode: number; isSymbolicLink(): boolean }): boolean {
  return !st.isSymbolicLink() && (isWindows || (st.uid === process.getuid?.() && (st.mode & 0o022) === 0));
}

/** The folder for code caches, created 0700, or undefined when there is none we can trust. */
function cacheDir(): string | undefined {
  const setting = process.env.OWNERSHIP_CODE_CACHE;
  if (setting === 'off') return undefined;
  const base = setting || (isWindows ? process.env.LOCALAPPDATA && join(process.env.LOCALAPPDATA, 'feature-ownership') : join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'feature-ownership'));
  if (!base) return undefined;
  const dir = join(base, 'v8');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return mine(lstatSync(base)) && mine(lstatSync(dir)) ? dir : undefined;
}

/**
 * 64 bits of FNV-1a, as hex: names a cache file, nothing more (V8 checks that a cache fits the
 * source), and loading node:crypto for it would cost more than the cache saves on a short run.
 */
function hash(s: string): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000197) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/**
 * The cache file for this bundle under this runtime (V8 checks the rest): named after the
 * bundle's path and the runtime (node, or an editor's Electron, may both run it), then its build,
 * so a new build replaces its predecessor's.
 */
function cacheFile(dir: string, bundle: string): string {
  const st = statSync(bundle);
  return join(dir, `cli-${hash(`${bundle}\0${process.version}\0${process.versions.v8}\0${process.arch}`)}-${hash(`${st.size}\0${st.mtimeMs}`)}.bin`);
}

function readCache(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    return st.isFile() && mine(st) ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Cache files of other bundles older than this are removed when a cache is written. */
const STALE_MS = 30 * 24 * 3600 * 1000;

function writeCache(file: string, data: Buffer): void {
  // Atomically, so a concurrent run never reads half a cache.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
  renameSync(tmp, file);
  // Earlier builds of this bundle (same path and runtime) are never read again. Bundles at other
  // paths (each installed extension version has its own) leave theirs behind: a file not
  // rewritten for STALE_MS goes too; if its bundle still runs, its next run writes it again.
  const dir = dirname(file);
  const name = basename(file);
  const prefix = name.slice(0, name.lastIndexOf('-') + 1);
  const stale = Date.now() - STALE_MS;
  for (const other of readdirSync(dir)) {
    if (!other.startsWith('cli-') || !other.endsWith('.bin') || other === name) continue;
    try {
      if (other.startsWith(prefix) || lstatSync(join(dir, other)).mtimeMs < stale) unlinkSync(join(dir, other));
    } catch {
      // removed by a concurrent run
    }
  }
}

function launch(): void {
  const bundle = join(__dirname, 'cliMain.js');
  const source = readFileSync(bundle, 'utf8');
  let file: string | undefined;
  let cachedData: Buffer | undefined;
  try {
    const dir = cacheDir();
    file = dir && cacheFile(dir, bundle);
    cachedData = file ? readCache(file) : undefined;
  } catch {
    file = undefined; // no cache folder we can use: run without one
  }
  const script = new Script(wrap(source), { filename: bundle, cachedData });
  const mod = { exports: {} as { main?: () => void; ranColdPath?: () => boolean } };
  if (file && (!cachedData || script.cachedDataRejected)) {
    const target = file;
    // At exit, so the cache also holds the functions this run compiled; not from a run that
    // parsed or scaffolded an OWNERSHIP.yml (src/core/coldPath.ts): the next run writes it.
    process.once('exit', () => {
      if (mod.exports.ranColdPath?.()) return;
      try {
        writeCache(target, script.createCachedData());
      } catch {
        // another run wrote it first, or the folder went away: the next run tries again
      }
    });
  }
  (script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, createRequire(bundle), mod, bundle, __dirname);
  mod.exports.main!();
}

launch();
