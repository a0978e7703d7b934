// A cache of parsed and validated OWNERSHIP.yml files under the git directory
// (`$GIT_DIR/ownership/cache/<key>.json`). Parsing a 1,000-feature file with `yaml`, validating it
// with Ajv and checking every glob takes about half a second; reading the same result as JSON takes
// milliseconds. The key is a SHA-256 of the file's path and exact text and of the build that parsed
// it, so an edited file (or a new version of the tool) is a miss, never a stale hit.
import { createHash, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParseResult } from '../core/types';
import { inBackground } from './background';

declare const PACKAGE_VERSION: string | undefined;

/** Bumped whenever the cached shape changes. */
const FORMAT = 1;
/** Entries kept: enough for several branches' worth of OWNERSHIP.yml files. */
const MAX_ENTRIES = 64;

let buildId: string | undefined;
/** Identifies the code that parsed: the package version and this bundle's size and time. */
export function build(): string {
  if (buildId === undefined) {
    let stamp = '';
    try {
      const s = statSync(__filename);
      stamp = `${s.size}:${s.mtimeMs}`;
    } catch {
      stamp = String(Date.now()); // unknown build: never share entries with another process
    }
    buildId = `${typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : 'dev'}:${stamp}`;
  }
  return buildId;
}

interface Entry {
  key: string;
  path: string;
  result: ParseResult;
}

export interface ParseCache {
  /** The cached result of parsing `text` as the OWNERSHIP.yml at `path`, if any. */
  get(path: string, text: string): Promise<ParseResult | undefined>;
  /** Stores a result; failures (read-only git directory, full disk) are ignored. */
  set(path: string, text: string, result: ParseResult): Promise<void>;
}

function cacheKey(path: string, text: string): string {
  return createHash('sha256').update(`ownership-parse\0${FORMAT}\0${build()}\0${path}\0`).update(text).digest('hex');
}

/** The parse cache of the repository whose git directory is `gitDir`. */
export function parseCache(gitDir: string): ParseCache {
  const dir = join(gitDir, 'ownership', 'cache');
  // The entries this cache read or wrote: never pruned by it, however many files the repository has.
  const used = new Set<string>();
  let pruning: Promise<void> | undefined;
  // One prune after a batch of writes (a repository with a thousand OWNERSHIP.yml files writes a
  // thousand entries at once; pruning after each one listed and stat-ed the folder each time).
  const schedulePrune = () => {
    pruning ??= inBackground(new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => prune(dir, used)).catch(() => undefined).finally(() => { pruning = undefined; }));
  };
  return {
    async get(path, text) {
      const key = cacheKey(path, text);
      used.add(`${key}.json`);
      try {
        const entry = JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8')) as Entry;
        // The name is the key, but a file copied or truncated by hand must not be trusted.
        return entry.key === key && entry.path === path && entry.result && Array.isArray(entry.result.problems) ? entry.result : undefined;
      } catch {
        return undefined;
      }
    },
    async set(path, text, result) {
      const key = cacheKey(path, text);
      used.add(`${key}.json`);
      const file = join(dir, `${key}.json`);
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        // Written whole under a temporary name, then renamed: a reader sees all of it or nothing.
        await writeFile(tmp, JSON.stringify({ key, path, result } satisfies Entry), { mode: 0o600, flag: 'wx' });
        await rename(tmp, file);
        schedulePrune();
      } catch {
        await unlink(tmp).catch(() => undefined);
      }
    },
  };
}

/**
 * Keeps the entries in `used` and the newest MAX_ENTRIES others, so edits do not grow the cache
 * without bound.
 */
async function prune(dir: string, used: ReadonlySet<string>): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !used.has(n));
  if (names.length <= MAX_ENTRIES) return;
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  dated.sort((a, b) => b.t - a.t);
  await Promise.all(dated.slice(MAX_ENTRIES).map(({ n }) => unlink(join(dir, n)).catch(() => undefined)));
}
