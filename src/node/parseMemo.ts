// One parse per OWNERSHIP.yml text for the whole process. Re-parsing unchanged text on every
// `git add` blocked the extension host for hundreds of milliseconds on a 500-feature file. A text
// not seen in this process is looked up in the repository's on-disk parse cache
// (src/node/modelCache.ts, shared by the CLI, the hook and the editor) before it is parsed.
// Plain data in and out (text, path → ParseResult), so it can run behind a worker boundary.
import { parseOwnership } from '../core/parse';
import type { ParseResult } from '../core/types';
import type { ParseCache } from './modelCache';
import { NO_PROBE, type Probe } from './probe';

/** Texts remembered: enough for the OWNERSHIP.yml files of a few folders and their edits. */
const MAX = 64;
// Keyed by path and text: folders of a multi-root workspace all have an `OWNERSHIP.yml`.
const memo = new Map<string, ParseResult>();
const keyOf = (path: string, text: string) => `${path}\0${text}`;

/**
 * Parses `text` as the OWNERSHIP.yml at `path`, reusing the last parse of the same text; with
 * `disk`, a text new to this process is first looked up there, and stored there after parsing.
 * Every real parse counts "parse" on the probe.
 */
export async function parseMemo(text: string, path: string, disk?: ParseCache, probe: Probe = NO_PROBE): Promise<ParseResult> {
  const hit = recall(path, text);
  if (hit) return hit;
  const cached = await disk?.get(path, text);
  if (cached) {
    remember(path, text, cached);
    return cached;
  }
  probe.count('parse');
  const result = parseOwnership(text, path);
  remember(path, text, result);
  await disk?.set(path, text, result);
  return result;
}

function recall(path: string, text: string): ParseResult | undefined {
  const key = keyOf(path, text);
  const hit = memo.get(key);
  if (hit) {
    // Most recently used last, so the oldest is dropped first.
    memo.delete(key);
    memo.set(key, hit);
  }
  return hit;
}

function remember(path: string, text: string, result: ParseResult): void {
  memo.set(keyOf(path, text), result);
  if (memo.size > MAX) memo.delete(memo.keys().next().value!);
}
