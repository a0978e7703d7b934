// Work that grows with the repository (every tracked file against every glob) runs in chunks and
// yields to the event loop between them: the extension host is shared by every extension and the
// editor's own features, and one long synchronous loop over 100k paths would freeze them all.
import { inventory, type Model } from '../core/model';

/** Paths per chunk: a few milliseconds of matching on a slow machine. */
export const CHUNK_PATHS = 2000;

/** Lets timers, I/O and other extensions run before the next chunk. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * `inventory()` over `paths`, CHUNK_PATHS at a time with a yield between chunks; the same result
 * as one call (each list keeps the order of `paths`). `chunks` says how many ran, for the tests.
 */
export async function inventoryInChunks(model: Model, paths: readonly string[], size = CHUNK_PATHS): Promise<{ value: Map<string, Map<string, string[]>>; chunks: number }> {
  let value: Map<string, Map<string, string[]>> | undefined;
  let chunks = 0;
  for (let i = 0; i < paths.length || chunks === 0; i += size) {
    if (chunks > 0) await yieldToEventLoop();
    const part = inventory(model, paths.slice(i, i + size));
    chunks++;
    if (!value) {
      value = part;
      continue;
    }
    for (const [feature, criteria] of part) {
      const into = value.get(feature)!;
      for (const [criterion, list] of criteria) if (list.length) into.get(criterion)!.push(...list);
    }
  }
  return { value: value!, chunks };
}
