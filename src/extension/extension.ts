// Activation stays short: build a handful of services, register them, start the first analysis
// without waiting for it, and return. Everything is disposed through context.subscriptions.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerCommitPrompt } from './commitPrompt';
import { ContextKeys } from './contextKeys';
import { FeatureTreeProvider, type Node } from './featureTree';
import { registerGapActions } from './gapActions';
import { Commands, FEATURES_VIEW } from './ids';
import { registerLiveTriggers } from './liveTriggers';
import { registerOwnershipFileFeatures } from './ownershipFileFeatures';
import { OwnershipStore } from './ownershipStore';
import { registerScmInputWarning } from './scmInputWarning';
import { StatusBar } from './statusBar';
import { testState } from './testState';
import { registerViewState } from './viewState';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  let activationMs = 0;
  const log = vscode.window.createOutputChannel('Feature Ownership', { log: true });
  const store = new OwnershipStore(context.workspaceState, log);
  const tree = new FeatureTreeProvider(store);
  const view = vscode.window.createTreeView<Node>(FEATURES_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const keys = new ContextKeys();
  const statusBar = new StatusBar(store);
  const live = registerLiveTriggers(store);
  context.subscriptions.push(
    log,
    store,
    tree,
    view,
    statusBar,
    registerViewState(store, view, keys),
    registerScmInputWarning(store),
    registerGapActions(store),
    live,
    registerCommands({ store, tree, view }, testState({ store, tree, statusBar, keys, activationMs: () => activationMs, resources: () => live.resources() })),
    // OWNERSHIP.yml diagnostics, hover and the create command read the file lists the store keeps.
    registerOwnershipFileFeatures({
      trackedFiles: async (folder) => store.storeFor(folder)?.folderFiles(),
      onDidChangeTrackedFiles: store.onDidChangeTrackedFiles,
    }),
    registerCommitPrompt({
      extensionPath: context.extensionPath,
      workspaceState: context.workspaceState,
      isTrusted: () => vscode.workspace.isTrusted,
      completeChange: () => void vscode.commands.executeCommand(Commands.completeChange),
      // "Show Details": reveal the first feature with gaps in whichever folder knows it.
      showFeatures: async (ids) => {
        const [id] = ids;
        if (id === undefined) return;
        const node = store.folders.map((s) => tree.featureNode(s, id)).find((n) => n);
        if (node) await view.reveal(node, { select: true, focus: true, expand: true }).then(undefined, () => undefined);
      },
    }),
  );
  store.syncFolders(); // starts each folder's first analysis; activation does not wait for it
  activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
}

export function deactivate(): void {}
