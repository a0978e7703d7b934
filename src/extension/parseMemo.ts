// One parse per OWNERSHIP.yml text for the whole extension. The store and the diagnostics both
// need the parse of the same files, and re-parsing unchanged text on every `git add` blocked the
// extension host for hundreds of milliseconds on a 500-feature file. A text not seen in this
// session is looked up in the repository's on-disk parse cache (src/node/modelCache.ts, shared
// with the CLI and the hook) before it is parsed, so opening a large repository again is cheap.
import { parseOwnership } from '../core/parse';
import type { ParseResult } from '../core/types';
import type { ParseCache } from '../node/modelCache';

/** Texts remembered: enough for the OWNERSHIP.yml files of a few folders and their edits. */
const MAX = 64;
// Keyed by path and text: folders of a multi-root workspace all have an `OWNERSHIP.yml`.
const memo = new Map<string, ParseResult>();
const keyOf = (path: string, text: string) => `${path}\0${text}`;
let parses = 0;

/** Parses `text` as the OWNERSHIP.yml at `path`, reusing the last parse of the same text. */
export function parseMemo(text: string, path: string): ParseResult {
  const hit = recall(path, text);
  if (hit) return hit;
  parses++;
  const result = parseOwnership(text, path);
  remember(path, text, result);
  return result;
}

/** Like parseMemo, but a text new to this session is first looked up in `disk`, and stored there after parsing. */
export async function parseMemoDisk(text: string, path: string, disk: ParseCache): Promise<ParseResult> {
  const hit = recall(path, text);
  if (hit) return hit;
  const cached = await disk.get(path, text);
  if (cached) {
    remember(path, text, cached);
    return cached;
  }
  const result = parseMemo(text, path);
  await disk.set(path, text, result);
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

/** How many real parses ran (for the tests: an unchanged text is never parsed twice). */
export function parseCount(): number {
  return parses;
}
