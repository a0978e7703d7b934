// The refresh rules: debounced, one run at a time, requests during a run collapse into one more.
// A manual clock drives the debounce, and runs end only when the test says so, so nothing here
// depends on timing.
import * as assert from 'node:assert/strict';
import { RefreshScheduler, type Timers } from '../../src/node/refreshScheduler';

class ManualClock implements Timers {
  private next = 0;
  readonly pending = new Map<number, () => void>();
  setTimeout(fn: () => void): unknown {
    const id = this.next++;
    this.pending.set(id, fn);
    return id;
  }
  clearTimeout(h: unknown): void {
    this.pending.delete(h as number);
  }
  fire(): void {
    const fns = [...this.pending.values()];
    this.pending.clear();
    for (const f of fns) f();
  }
}

function harness() {
  const clock = new ManualClock();
  const runs: { done: () => void }[] = [];
  const scheduler = new RefreshScheduler(
    () => new Promise<void>((resolve) => runs.push({ done: resolve })),
    () => 300,
    clock,
  );
  return { clock, runs, scheduler };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('RefreshScheduler', () => {
  it('collapses a burst of requests within the debounce delay into one run', async () => {
    const { clock, runs, scheduler } = harness();
    for (let i = 0; i < 10; i++) scheduler.request();
    assert.equal(clock.pending.size, 1, 'each request replaces the pending timer');
    assert.equal(runs.length, 0, 'nothing runs before the delay');
    clock.fire();
    assert.equal(runs.length, 1);
  });

  it('runs one analysis at a time and collapses requests during a run into exactly one more', async () => {
    const { clock, runs, scheduler } = harness();
    scheduler.request();
    clock.fire();
    assert.equal(runs.length, 1);
    for (let i = 0; i < 5; i++) {
      scheduler.request();
      clock.fire();
    }
    assert.equal(runs.length, 1, 'no second run starts while one is in progress');
    runs[0]!.done();
    await tick();
    assert.equal(runs.length, 2, 'the requests made during the run produce one more run');
    runs[1]!.done();
    await tick();
    assert.equal(runs.length, 2);
    assert.equal(scheduler.busy, false);
  });

  it('now() skips the delay and idle() resolves after the last run', async () => {
    const { clock, runs, scheduler } = harness();
    scheduler.request();
    let idle = false;
    const p = scheduler.now().then(() => (idle = true));
    assert.equal(clock.pending.size, 0, 'the pending debounce is cancelled');
    assert.equal(runs.length, 1);
    await tick();
    assert.equal(idle, false);
    runs[0]!.done();
    await p;
    assert.equal(idle, true);
  });

  it('keeps going after a failed run', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const scheduler = new RefreshScheduler(async () => {
      calls++;
      if (calls === 1) throw new Error('git failed');
    }, () => 0, clock);
    await scheduler.now();
    await scheduler.now();
    assert.equal(calls, 2);
  });
});
