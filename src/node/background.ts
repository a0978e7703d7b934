// Work started without waiting for it (pruning a cache after a write), which a short-lived
// process must still let finish: the CLI exits as soon as its command is done (src/cli/main.ts)
// and waits for this first.
const pending = new Set<Promise<unknown>>();

/** Registers `work`, and gives it back. */
export function inBackground<T>(work: Promise<T>): Promise<T> {
  pending.add(work);
  work.then(() => pending.delete(work), () => pending.delete(work));
  return work;
}

/** Resolves once no registered work is pending (work may register more while it runs). */
export async function backgroundSettled(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}
