// Helpers for the extension-host suites that came after features.test.ts: reading
// `ownership._testState`, polling it until a condition holds (never a fixed sleep), printing
// measurements, and asking the harness to act in the workbench's DOM (run-ext-tests.mjs, "bridge").
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'feature-ownership.feature-ownership';

export interface Row {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  contextValue?: string;
  collapsible: boolean;
  command?: string;
  children?: Row[];
}

export interface FolderState {
  name: string;
  path: string;
  state: string;
  restricted: boolean;
  generation: number;
  durationMs: number;
  gaps: number | null;
  /** Features in the folder's model (null: none loaded). */
  features: number | null;
  error: string | null;
  analysisErrors: number;
  inventory: { files: number; chunks: number; inWorker: boolean } | null;
}

export interface State {
  activationMs: number;
  folders: FolderState[];
  tree: Row[];
  status: { text: string; tooltip: string; visible: boolean; warning: boolean };
  context: Record<string, unknown>;
  scmWarning: string | null;
  /** The Features view's message above the tree (errors, restricted mode). */
  viewMessage: string | null;
  /** Live listeners, watchers and stores: must not grow with refreshes or folder churn. */
  resources: Record<string, number>;
  /** OWNERSHIP.yml parses so far in the extension host. */
  parses: number;
  /** What the extension's probe counted: git processes by subcommand ("git ls-files"), parses… */
  probe: Record<string, number>;
}

export const state = (depth = 3) => vscode.commands.executeCommand<State>('ownership._testState', { depth, idle: true });

/** Prints a measurement; the harness shows extension-host console lines only when tagged. */
export const note = (m: string) => console.log(process.env.FO_TEST_TAG ? `[fo-test]       ${m}` : `      ${m}`);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the extension's state until `ok` holds; fails with the last state when it never does. */
export async function until(what: string, ok: (s: State) => boolean, timeoutMs = 20000, depth = 3): Promise<State> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const last = await state(depth);
    try {
      if (ok(last)) return last;
    } catch {
      // a row the predicate looks for is not there yet
    }
    if (Date.now() > end) {
      const rows = last.tree.map((r) => `${r.label} [${r.description ?? ''}]`).join(', ');
      assert.fail(`timed out waiting for: ${what}\n  folders: ${JSON.stringify(last.folders)}\n  rows: ${rows}\n  status: ${last.status.text}`);
    }
    await sleep(100);
  }
}

/**
 * Waits until the folder's analysis count has not moved for `quietMs` (longer than the refresh
 * debounce), so that every analysis a burst of events causes has run.
 */
export async function settle(folder: string, quietMs = 1500, timeoutMs = 60000): Promise<State> {
  const end = Date.now() + timeoutMs;
  let last = await state(1);
  let since = Date.now();
  for (;;) {
    await sleep(100);
    const s = await state(1);
    const gen = (x: State) => x.folders.find((f) => f.name === folder)?.generation;
    if (gen(s) !== gen(last)) since = Date.now();
    last = s;
    if (Date.now() - since >= quietMs) return s;
    if (Date.now() > end) assert.fail(`${folder} kept analysing for ${timeoutMs} ms`);
  }
}

export const row = (rows: Row[] | undefined, label: string): Row => {
  const r = rows?.find((x) => x.label === label);
  assert.ok(r, `no row "${label}" among [${rows?.map((x) => x.label).join(', ')}]`);
  return r;
};

export const folderOf = (s: State, name: string): FolderState => {
  const f = s.folders.find((x) => x.name === name);
  assert.ok(f, `no folder "${name}" among [${s.folders.map((x) => x.name).join(', ')}]`);
  return f;
};

export async function activate(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  await ext.activate();
}

type BridgeRequest =
  | { action: 'click'; name: string; dialog?: boolean }
  | { action: 'type'; text: string }
  | { action: 'press'; key: string }
  | { action: 'dialogText' }
  | { action: 'findText'; text: string }
  | { action: 'openWindow' }
  | { action: 'focus' };

/**
 * Asks the harness to act in the workbench page (click a dialog button, type into the quick
 * input) and waits for it to report back; `window` picks a second window opened with
 * `openWindow` (default 0, this one). Only under run-ext-tests.mjs (FO_TEST_RUN_DIR).
 */
export async function harness(req: BridgeRequest & { timeoutMs?: number; window?: number }): Promise<{ ok: boolean; error?: string; text?: string; window?: number }> {
  const dir = process.env.FO_TEST_RUN_DIR;
  assert.ok(dir, 'FO_TEST_RUN_DIR is not set: the DOM bridge needs run-ext-tests.mjs');
  const id = randomBytes(6).toString('hex');
  const reply = join(dir, 'bridge', `${id}.json`);
  console.log(`[fo-harness] ${JSON.stringify({ id, ...req })}`);
  const end = Date.now() + (req.timeoutMs ?? 15000) + 10000;
  while (!existsSync(reply)) {
    if (Date.now() > end) assert.fail(`the harness did not answer ${JSON.stringify(req)}`);
    await sleep(50);
  }
  const r = JSON.parse(readFileSync(reply, 'utf8')) as { ok: boolean; error?: string; text?: string; window?: number };
  rmSync(reply, { force: true });
  return r;
}

/** A commit-prompt endpoint one window published for a repository (src/node/ipc.ts). */
export interface WindowEndpoint {
  file: string;
  pid: number;
  socket: string;
  focused?: boolean;
  focusedAt?: number;
}

/** The endpoints the windows published in `<root>/.git/ownership/windows/`. */
export function windowEndpoints(root: string): WindowEndpoint[] {
  const dir = join(root, '.git', 'ownership', 'windows');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    try {
      return [{ ...(JSON.parse(readFileSync(join(dir, n), 'utf8')) as Omit<WindowEndpoint, 'file'>), file: join(dir, n) }];
    } catch {
      return []; // removed between the listing and the read
    }
  });
}

/** Waits until this extension host has published its endpoint for `root`, and returns it. */
export async function ownEndpoint(root: string, timeoutMs = 20000): Promise<WindowEndpoint> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const mine = windowEndpoints(root).find((e) => e.pid === process.pid);
    if (mine) return mine;
    assert.ok(Date.now() < end, `this window published no endpoint for the hook in ${root}`);
    await sleep(100);
  }
}
