// Test instrumentation, injected: production code counts what it does (git processes by
// subcommand, parses, inventories…) through a Probe it was given, instead of module-level counters
// or public mutable fields. The default probe does nothing; the extension hands every service one
// CountingProbe that `ownership._testState` reports, and node tests make their own.
// Stable module name: other helpers' code may count through it (`probe.count('event')`).

export interface Probe {
  /** Counts one occurrence of `event` (e.g. "git ls-files", "parse", "inventory"). */
  count(event: string, by?: number): void;
  /** Records the last value of a measurement (e.g. the last inventory's size). */
  record?(name: string, value: unknown): void;
}

export const NO_PROBE: Probe = { count() {} };

/** A probe that keeps every count, for `_testState` and the tests. */
export class CountingProbe implements Probe {
  private readonly counts = new Map<string, number>();
  private readonly values = new Map<string, unknown>();

  count(event: string, by = 1): void {
    this.counts.set(event, (this.counts.get(event) ?? 0) + by);
  }

  record(name: string, value: unknown): void {
    this.values.set(name, value);
  }

  get(event: string): number {
    return this.counts.get(event) ?? 0;
  }

  value(name: string): unknown {
    return this.values.get(name);
  }

  /** Every count, as plain JSON. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
