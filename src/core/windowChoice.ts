// Which editor window the commit hook asks, when several windows have the repository open. Each
// window's extension host publishes an endpoint with its process id and its focus; the hook knows
// its own ancestor processes. The window whose extension host started the commit (an ancestor:
// its Git extension ran `git commit`) is the one the person is looking at; without one, the
// focused window; without that, the window most recently focused, then the newest.

/** What the choice needs to know of one window's endpoint. */
export interface WindowCandidate {
  /** The extension host's process id. */
  pid: number;
  /** Whether the window said it had focus when it last wrote its endpoint. */
  focused: boolean;
  /** When the window last gained focus (ms since the epoch; 0: never). */
  focusedAt: number;
  /** When the endpoint was first published (ms since the epoch; 0: unknown). */
  startedAt: number;
}

/** Why a window comes where it does in the order. */
type WindowReason = 'ancestor' | 'focused' | 'other';

const GROUP: Record<WindowReason, number> = { ancestor: 0, focused: 1, other: 2 };

/**
 * The order in which to try the windows: those whose extension host is an ancestor of the hook
 * (nearest first), then the focused ones, then the rest; within a group, the most recently
 * focused first, then the newest. `ancestors` lists the hook's ancestor pids, nearest first.
 */
export function rankWindows<T extends WindowCandidate>(windows: readonly T[], ancestors: readonly number[]): { window: T; reason: WindowReason }[] {
  const depth = new Map<number, number>();
  ancestors.forEach((pid, i) => { if (!depth.has(pid)) depth.set(pid, i); });
  const reason = (w: T): WindowReason => (depth.has(w.pid) ? 'ancestor' : w.focused ? 'focused' : 'other');
  const group = (w: T): number => GROUP[reason(w)];
  return windows
    .map((window, index) => ({ window, index }))
    .sort((a, b) =>
      group(a.window) - group(b.window)
      || (depth.get(a.window.pid) ?? 0) - (depth.get(b.window.pid) ?? 0)
      || b.window.focusedAt - a.window.focusedAt
      || b.window.startedAt - a.window.startedAt
      || a.index - b.index)
    .map(({ window }) => ({ window, reason: reason(window) }));
}
