// Activation stays short: build a handful of services, register them, start the first analysis
// without waiting for it, and return. Everything is disposed through context.subscriptions.
import * as vscode from 'vscode';
import { runGitIn } from '../node/git';
import { CountingProbe } from '../node/probe';
import { registerCommands } from './commands';
import { registerCommitPrompt } from './commitPrompt/commitPrompt';
import { ContextKeys } from './views/contextKeys';
import { FeatureTreeProvider, type Node } from './views/featureTree';
import { registerGapActions } from './gapActions';
import { Commands, FEATURES_VIEW } from './ids';
import { registerLiveTriggers } from './analysis/liveTriggers';
import { registerOwnershipFileFeatures } from './ownershipFile/ownershipFileFeatures';
import { OwnershipStore } from './analysis/ownershipStore';
import { registerScmInputWarning } from './views/scmInputWarning';
import { StatusBar } from './views/statusBar';
import { testState } from './testing/testState';
import { registerViewState } from './views/viewState';

/** Set by the bundle's first statement (esbuild.mjs banner); absent when not bundled (tests under tsx). */
declare const __foBundleStart: number | undefined;
const bundleStart = typeof __foBundleStart === 'number' ? __foBundleStart : performance.now();
/** How long evaluating the bundle took, up to this module's body: yaml and Ajv must not be in it. */
const bundleLoadMs = performance.now() - bundleStart;

export function activate(context: vscode.ExtensionContext): void {
  // From the bundle's first statement: activation includes loading the bundle.
  const started = bundleStart;
  let activationMs = 0;
  const log = vscode.window.createOutputChannel('Feature Ownership', { log: true });
  // One probe for the whole extension: `_testState` reports what it counted (git processes, parses…).
  const probe = new CountingProbe();
  const store = new OwnershipStore(context.workspaceState, log, probe);
  // Every git command of the extension is spawned by a worker of its own, never by the host's
  // thread (a spawn blocks the thread that makes it; see runGitIn), nor behind the engine's analysis.
  runGitIn((dir, args) => {
    probe.count('git in worker');
    return store.gitEngine.git(dir, args);
  });
  const tree = new FeatureTreeProvider(store);
  const view = vscode.window.createTreeView<Node>(FEATURES_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const keys = new ContextKeys();
  const statusBar = new StatusBar(store);
  const live = registerLiveTriggers(store, probe);
  context.subscriptions.push(
    { dispose: () => runGitIn(undefined) },
    log,
    store,
    tree,
    view,
    statusBar,
    registerViewState(store, view, keys),
    registerScmInputWarning(store),
    registerGapActions(store, log),
    live,
    registerCommands({ log, store, tree, view }, testState({ store, tree, statusBar, keys, probe, activationMs: () => activationMs, bundleLoadMs: () => bundleLoadMs, resources: () => live.resources(), statted: () => live.statted(), viewMessage: () => view.message })),
    // OWNERSHIP.yml diagnostics (a view of the store's results), hover and the create command.
    registerOwnershipFileFeatures(store, probe, log),
    registerCommitPrompt({
      extensionPath: context.extensionPath,
      log,
      workspaceState: context.workspaceState,
      isTrusted: () => vscode.workspace.isTrusted,
      repositories: { list: () => store.repositories, onDidChange: store.onDidChangeRepositories },
      ownershipFiles: (git) => store.engine.retrying('ownershipFiles', { root: git.root }, 'the working tree'),
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
  log.info(`activated in ${activationMs.toFixed(1)} ms (bundle load ${bundleLoadMs.toFixed(1)} ms)`);
}

export function deactivate(): void {}
