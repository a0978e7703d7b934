// A fallback for VS Code's file watcher, which can miss a change: on the 100k-file benchmark
// folder it never reported an OWNERSHIP.yml rewritten by another program (10 minutes, no event),
// and `files.watcherExclude` hides whole folders from it. The OWNERSHIP.yml files the folders
// already know (at most 1,000 per repository: the discovery limit) are stat'ed by the engine's
// worker — the host sends one message and compares a few numbers per file — every
// STAT_INTERVAL_MS and whenever the window regains focus. A file whose size, times or inode
// changed since the last look asks its folder to read the rules again; one that went away, or
// came back, also asks for the OWNERSHIP.yml files to be found again. A watcher event for a file
// takes a fresh look at it first, so a change the watcher reported is not analysed twice.
import * as vscode from 'vscode';
import { BOUNDED_BUDGET_MS } from '../../node/engineClient';
import { fileSignature, GONE } from '../../node/fileSignature';
import type { Probe } from '../../node/probe';
import type { FolderStore } from './folderStore';
import type { OwnershipStore } from './ownershipStore';

/** How often the known OWNERSHIP.yml files are stat'ed while nothing else says they changed. */
const STAT_INTERVAL_MS = 5000;
interface OwnershipFileStat extends vscode.Disposable {
  /** A watcher reported `uri`: look at it afresh, so the next check does not report it again. */
  seen(uri: vscode.Uri): void;
  /** Stats every known OWNERSHIP.yml now; resolves when done (one check at a time). */
  check(): Promise<void>;
  /** Files with a last look to compare with. */
  watched(): number;
}

export function registerOwnershipFileStat(store: OwnershipStore, probe: Probe, intervalMs = STAT_INTERVAL_MS): OwnershipFileStat {
  /** Absolute path → its signature at the last look. */
  const last = new Map<string, string>();
  let running: Promise<void> | undefined;
  let disposed = false;

  const known = (): Map<string, FolderStore> => {
    const files = new Map<string, FolderStore>();
    for (const s of store.folders) {
      for (const p of s.snapshot.ownershipPaths) {
        const file = s.uriOf(p).fsPath;
        if (!files.has(file)) files.set(file, s);
      }
    }
    return files;
  };

  /** Stats `files` (all known ones, or only those never looked at), and asks for refreshes. */
  const look = async (onlyNew: boolean): Promise<void> => {
    const files = known();
    if (!onlyNew) for (const f of last.keys()) if (!files.has(f)) last.delete(f);
    const todo = [...files].filter(([f]) => !onlyNew || !last.has(f));
    if (!todo.length) return;
    // In the engine's worker: a thousand stats' promise callbacks held this loop for 16-60 ms.
    const sigs = await store.engine.call('statFiles', { files: todo.map(([f]) => f) }, 'the OWNERSHIP.yml files', BOUNDED_BUDGET_MS).catch(() => undefined);
    if (!sigs || disposed) return;
    for (const [k, [file, s]] of todo.entries()) {
      const now = sigs[k] ?? GONE;
      const before = last.get(file);
      last.set(file, now);
      if (before === undefined || before === now) continue;
      probe.count('trigger.ownershipStat');
      s.request({ model: true, ownershipFiles: before === GONE || now === GONE });
    }
  };

  const check = (onlyNew = false): Promise<void> => {
    if (running) return running;
    running = look(onlyNew).finally(() => { running = undefined; });
    return running;
  };

  const timer = setInterval(() => void check(), intervalMs);
  const subscriptions = [
    vscode.window.onDidChangeWindowState((w) => { if (w.focused) void check(); }),
    // Files found by an analysis get their first look at once: a change after it is then seen.
    store.onDidChange(() => void check(true)),
  ];

  return {
    seen(uri) {
      const file = uri.fsPath;
      if (!last.has(file)) return;
      void fileSignature(file).then((sig) => { if (last.has(file)) last.set(file, sig); });
    },
    check: () => check(),
    watched: () => last.size,
    dispose() {
      disposed = true;
      clearInterval(timer);
      for (const d of subscriptions) d.dispose();
      last.clear();
    },
  };
}
