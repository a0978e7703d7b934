// Which editor window the commit hook asks when several have the repository open (issue 15.6):
// the one whose extension host started the commit, else the focused one, else any — the most
// recently focused first, then the newest.
import { strict as assert } from 'node:assert';
import { rankWindows, type WindowCandidate } from '../../src/core/windowChoice';

const win = (pid: number, o: Partial<WindowCandidate> = {}): WindowCandidate => ({ pid, focused: false, focusedAt: 0, startedAt: 0, ...o });
const order = (windows: WindowCandidate[], ancestors: number[]) => rankWindows(windows, ancestors).map((r) => `${r.window.pid}:${r.reason}`);

describe('which window the commit hook asks', () => {
  it('the window whose extension host is an ancestor of the hook, even when another is focused and newer', () => {
    const a = win(100, { startedAt: 1 });
    const b = win(200, { focused: true, focusedAt: 50, startedAt: 2 });
    assert.deepEqual(order([a, b], [4000, 3000, 100, 1]), ['100:ancestor', '200:focused']);
  });

  it('the nearest ancestor first, when two windows are in the lineage (a host started from another)', () => {
    assert.deepEqual(order([win(10), win(20)], [7, 20, 10]), ['20:ancestor', '10:ancestor']);
  });

  it('no ancestor: the focused window, the most recently focused when several say so', () => {
    const windows = [win(1, { focused: true, focusedAt: 5 }), win(2, { focusedAt: 90, startedAt: 9 }), win(3, { focused: true, focusedAt: 7 })];
    assert.deepEqual(order(windows, [500, 600]), ['3:focused', '1:focused', '2:other']);
  });

  it('nobody focused: the most recently focused, then the newest, then as listed', () => {
    const windows = [win(1, { startedAt: 3 }), win(2, { focusedAt: 4 }), win(3, { startedAt: 8 }), win(4, { startedAt: 8 })];
    assert.deepEqual(order(windows, []), ['2:other', '3:other', '4:other', '1:other']);
  });

  it('a pid repeated in the lineage counts at its nearest place; no windows, no order', () => {
    assert.deepEqual(order([win(10), win(20)], [20, 10, 20]), ['20:ancestor', '10:ancestor']);
    assert.deepEqual(rankWindows([], [1, 2]), []);
  });
});
