// Debounced, coalesced refresh: requests within `delay` of each other collapse into one run; one
// run at a time; any number of requests during a run collapse into exactly one more run.
// No vscode import, so the rules are unit-tested in plain mocha (test/unit/refreshScheduler.test.ts).

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class RefreshScheduler {
  private timer: unknown;
  private running: Promise<void> | undefined;
  private pending = false;
  private disposed = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly run: () => Promise<void>,
    private readonly delay: () => number,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Asks for a refresh after the debounce delay. */
  request(): void {
    if (this.disposed) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.start();
    }, this.delay());
  }

  /** Asks for a refresh without waiting for the debounce delay; resolves when the store is idle. */
  now(): Promise<void> {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.start();
    return this.idle();
  }

  /** Resolves once no run is in progress, pending or scheduled. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get busy(): boolean {
    return this.running !== undefined || this.pending || this.timer !== undefined;
  }

  private start(): void {
    if (this.disposed) return;
    if (this.running) {
      this.pending = true;
      return;
    }
    this.running = this.run()
      .catch(() => undefined) // a run reports its own errors; the loop must go on
      .then(() => {
        this.running = undefined;
        if (this.pending) {
          this.pending = false;
          this.start();
        } else if (!this.busy) {
          const waiters = this.waiters;
          this.waiters = [];
          for (const w of waiters) w();
        }
      });
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
