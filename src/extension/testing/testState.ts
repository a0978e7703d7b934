// `ownership._testState`: a plain-JSON picture of what the user would see (tree rows, status bar,
// context keys, commit-box warning, per-folder analysis counters), so the extension-host tests can
// assert on the real views without scraping the DOM. Hidden from the palette.
import * as vscode from 'vscode';
import type { ContextKeys } from '../views/contextKeys';
import type { FeatureTreeProvider, Node } from '../views/featureTree';
import type { OwnershipStore } from '../analysis/ownershipStore';
import type { CountingProbe } from '../../node/probe';
import { scmWarningText } from '../views/scmInputWarning';
import type { StatusBar } from '../views/statusBar';

export interface TreeRow {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  color?: string;
  contextValue?: string;
  collapsible: boolean;
  command?: string;
  children?: TreeRow[];
}

const themeId = (x: unknown): string | undefined => (x && typeof x === 'object' && 'id' in x ? String((x as { id: unknown }).id) : undefined);

async function rows(tree: FeatureTreeProvider, parent: Node | undefined, depth: number): Promise<TreeRow[]> {
  const out: TreeRow[] = [];
  for (const n of await tree.getChildren(parent)) {
    const item = await tree.getTreeItem(n);
    const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
    const tip = item.tooltip;
    const collapsible = item.collapsibleState !== undefined && item.collapsibleState !== vscode.TreeItemCollapsibleState.None;
    out.push({
      label,
      description: typeof item.description === 'string' ? item.description : undefined,
      tooltip: typeof tip === 'string' ? tip : tip?.value,
      icon: themeId(item.iconPath),
      color: themeId((item.iconPath as { color?: unknown } | undefined)?.color),
      contextValue: item.contextValue,
      collapsible,
      command: item.command?.command,
      children: collapsible && depth > 1 ? await rows(tree, n, depth - 1) : undefined,
    });
  }
  return out;
}

interface TestStateDeps {
  store: OwnershipStore;
  tree: FeatureTreeProvider;
  statusBar: StatusBar;
  keys: ContextKeys;
  probe: CountingProbe;
  activationMs: () => number;
  /** Evaluating the bundle, included in activationMs. */
  bundleLoadMs: () => number;
  /** Live listeners, watchers and stores by kind. */
  resources: () => Record<string, number>;
  /** OWNERSHIP.yml files the stat fallback compares with at its next look. */
  statted: () => number;
  /** The Features view's message (errors, restricted mode), as the user reads it above the tree. */
  viewMessage: () => string | undefined;
}

/**
 * Options: `idle` waits for pending analyses; `inventory` computes the per-criterion file lists;
 * `refresh`: first run that many analyses of every folder, one after another, as a save or a
 * staging event would (`full`: as the Refresh command does) — the memory test needs a thousand.
 */
export function testState({ store, tree, statusBar, keys, probe, activationMs, bundleLoadMs, resources, statted, viewMessage }: TestStateDeps) {
  return async (options: { depth?: number; idle?: boolean; refresh?: number; full?: boolean; inventory?: boolean } = {}) => {
    for (let i = 0; i < (options.refresh ?? 0); i++) await Promise.all(store.folders.map((s) => s.refreshNow(options.full ? undefined : {})));
    if (options.idle) await Promise.all(store.folders.map(async (s) => { await s.idle(); await s.owedIdle(); }));
    // What an expanded feature row asks for; without rendering every row of a large tree.
    if (options.inventory) await Promise.all(store.folders.map((s) => s.inventory()));
    // The rows are rendered first (awaits in between), the rest read at once after them: rendered
    // again if an analysis finished meanwhile, so rows, context keys and counters are of one moment.
    const depth = options.depth ?? 3;
    const generations = () => store.folders.map((s) => s.snapshot.generation).join();
    let rendered: TreeRow[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = generations();
      // depth -1: no rows (the bench polls while it profiles; listing 5,000 rows would be measured too).
      rendered = depth < 0 ? [] : await rows(tree, undefined, depth);
      if (generations() === before) break;
    }
    return {
      activationMs: activationMs(),
      bundleLoadMs: bundleLoadMs(),
      filter: store.filter,
      sourceChoice: store.sourceChoice ?? null,
      folders: store.folders.map((s) => {
        const snap = s.snapshot;
        return {
          name: s.folder.name,
          path: s.folder.uri.fsPath,
          state: snap.state,
          restricted: snap.restricted,
          generation: snap.generation,
          durationMs: snap.durationMs,
          source: snap.source,
          error: snap.error ?? null,
          gaps: snap.verdict?.summary.gaps ?? null,
          features: snap.model?.features.length ?? null,
          problems: snap.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`),
          analysisErrors: s.stats.analysisErrors,
          inventory: s.stats.lastInventory ?? null,
          /** The owed computation: its HEAD, generation, pieces, duration and steps (yields between them). */
          owed: snap.owed ? { head: snap.owed.head, generation: snap.owed.generation, pieces: snap.owed.report.summary.owed, commits: snap.owed.report.summary.commits, durationMs: snap.owed.durationMs, steps: snap.owed.steps } : null,
        };
      }),
      tree: rendered,
      status: statusBar.state,
      viewMessage: viewMessage() ?? null,
      context: keys.snapshot(),
      scmWarning: scmWarningText(store, undefined) ?? null,
      resources: { folderStores: store.size, ...resources() },
      /** OWNERSHIP.yml parses so far: an unchanged text is never parsed again. */
      parses: probe.get('parse'),
      /** Glob-site computations so far: an unchanged OWNERSHIP.yml is never re-read for its globs. */
      globSiteComputations: probe.get('globSites'),
      /** Refresh requests per live trigger (git-directory watch, its fallback, vscode.git). */
      triggers: { gitDirWatch: probe.get('trigger.gitDirWatch'), gitDirFallback: probe.get('trigger.gitDirFallback'), gitExtension: probe.get('trigger.gitExtension'), ownershipStat: probe.get('trigger.ownershipStat') },
      /** OWNERSHIP.yml files the stat fallback has looked at (see ownershipFileStat.ts). */
      ownershipFilesStatted: statted(),
      /** OWNERSHIP.yml diagnostics runs started and finished. */
      diagnosticRuns: { started: probe.get('diagnostics.started'), finished: probe.get('diagnostics.finished') },
      /** Everything the probe counted: git processes by subcommand ("git ls-files"), parses, inventories… */
      probe: probe.snapshot(),
    };
  };
}
