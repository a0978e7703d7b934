// The editor's voice for the commit hook. VS Code has no pre-commit API (microsoft/vscode#7576),
// so the git hook asks us over a local channel (src/node/ipc.ts) and we ask the user with a
// modal. One channel per repository of the workspace, only in a trusted workspace: an untrusted
// one runs no git at all. Each window publishes its own channel with its focus, so that with the
// repository open in several windows the hook asks the one that is committing (or the focused
// one). Also: the Install / Remove Commit Check commands, and a one-time offer
// to install for a repository that has an OWNERSHIP.yml and no hook yet.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { waiverValues } from '../../core/commitMessage';
import { parseWaivers } from '../../core/model';
import type { Git } from '../../node/git';
import { hookStatus, installHooks, uninstallHooks, type HookRuntime } from '../../node/hooks';
import { oneQuestionAtATime, startIpcServer, type CommitAnswer, type CommitQuestion, type GapWaiver, type IpcServer } from '../../node/ipc';
import { registerCommand } from '../commandCenter';
import { getGitApi } from '../analysis/gitExtension';

const CommitCheckCommands = {
  install: 'ownership.installCommitCheck',
  remove: 'ownership.removeCommitCheck',
} as const;

interface CommitPromptDeps {
  extensionPath: string;
  log: vscode.LogOutputChannel;
  showFeatures(ids: string[]): Promise<void> | void;
  /** "Complete This Change…" after the commit was cancelled. */
  completeChange(): void;
  isTrusted(): boolean;
  /** The workspace's repositories (the store's one list) and when it changes. */
  repositories: { list(): Git[]; onDidChange: vscode.Event<void> };
  /** Remembers "Don't Ask Again" per repository; without it the offer is remembered for the session. */
  workspaceState?: vscode.Memento;
  /**
   * The OWNERSHIP.yml files of a repository, found off the extension host (the engine's worker:
   * at 100k files the discovery cache's stat of every folder took 180 ms); default: here.
   */
  ownershipFiles?(git: Git): Promise<string[]>;
}

const COMMIT_ANYWAY = 'Commit Anyway';
const SHOW_DETAILS = 'Show Details';
const CANCEL = 'Cancel Commit';
const COMPLETE = 'Complete This Change…';

/** The runtime the hooks record when installed from the editor: the editor's own, running our bundled CLI. */
function editorRuntime(extensionPath: string): HookRuntime {
  return { node: process.execPath, cli: join(extensionPath, 'dist', 'cli.js'), electron: !!process.versions.electron };
}

/** Waivers the user already typed in the Source Control input box of `root`. */
async function typedWaivers(root: string): Promise<{ feature: string; criterion: string }[]> {
  const api = await getGitApi();
  const repo = api?.repositories.find((r) => r.rootUri.fsPath === root);
  return parseWaivers(waiverValues(repo?.inputBox.value ?? ''));
}

interface AskedGap {
  feature: string;
  name: string;
  criterion: string;
  strict: boolean;
}

/**
 * "Commit Anyway": which gaps to waive (all preselected; a strict one cannot be left out) and a
 * reason for each, so every waiver records its own decision. Undefined: the user backed out.
 */
async function chooseWaivers(gaps: AskedGap[], signal: AbortSignal): Promise<GapWaiver[] | undefined> {
  let chosen = gaps;
  if (gaps.length > 1) {
    const picked = await vscode.window.showQuickPick(
      gaps.map((g) => ({ label: `${g.name}: ${g.criterion}`, description: `${g.feature}/${g.criterion}${g.strict ? ' · strict' : ''}`, picked: true, g })),
      { title: 'Commit anyway: waive which gaps?', placeHolder: 'Each waiver is recorded in the commit message with its own reason', canPickMany: true, ignoreFocusOut: true },
    );
    if (!picked || signal.aborted) return undefined;
    chosen = picked.map((p) => p.g);
    const strictLeft = gaps.filter((g) => g.strict && !chosen.includes(g));
    if (strictLeft.length) {
      void vscode.window.showWarningMessage(`Ownership: commit cancelled — ${strictLeft.map((g) => `${g.feature}/${g.criterion}`).join(', ')} ${strictLeft.length === 1 ? 'is' : 'are'} in strict mode and must be added or waived.`);
      return undefined;
    }
  }
  const out: GapWaiver[] = [];
  let last = '';
  for (const [i, g] of chosen.entries()) {
    const reason = await vscode.window.showInputBox({
      title: `Waive ${g.feature}/${g.criterion}${chosen.length > 1 ? ` (${i + 1} of ${chosen.length})` : ''}`,
      prompt: 'Why? Optional; recorded with the waiver in the commit message. Escape cancels the commit.',
      placeHolder: 'e.g. tests follow in the next pull request',
      value: last,
      ignoreFocusOut: true,
    });
    if (signal.aborted || reason === undefined) return undefined;
    last = reason;
    out.push({ feature: g.feature, criterion: g.criterion, reason });
  }
  return out;
}

/** Asks the user about one commit; `signal` fires when the hook went away (Ctrl-C, timeout). */
async function askUser(q: CommitQuestion, signal: AbortSignal, deps: CommitPromptDeps): Promise<CommitAnswer> {
  // The message may already waive gaps (typed by hand, or with Waive…): those are not asked about.
  const typed = await typedWaivers(q.repoRoot);
  const gaps: AskedGap[] = q.features.flatMap((f) => f.gaps.filter((g) => !typed.some((w) => w.feature === f.id && w.criterion === g)).map((criterion) => ({ feature: f.id, name: f.name, criterion, strict: f.mode === 'strict' })));
  if (!gaps.length) return { decision: 'commit', reason: '' };
  const only = q.features.length === 1 ? q.features[0] : undefined;
  const message = only ? `${only.sentence} in this commit.` : `${q.headline} in this commit.`;
  const detail = [
    ...(q.features.length > 1 ? q.features.map((f) => `• ${f.sentence}`) : []),
    'Commit Anyway records an "Ownership-Waived" trailer, with its own reason, for each gap you waive; Complete This Change cancels the commit (your message and staged changes are kept) and lists each gap with what to add.',
  ].join('\n');
  // The dialog focuses the first item: Show Details, so Enter never commits (the terminal's default is No).
  let pick: string | undefined = await vscode.window.showWarningMessage(message, { modal: true, detail }, SHOW_DETAILS, COMPLETE, COMMIT_ANYWAY);
  if (pick === SHOW_DETAILS && !signal.aborted) {
    await deps.showFeatures(q.features.map((f) => f.id));
    // Not modal this time: the user must be able to look at the features before deciding.
    pick = await vscode.window.showWarningMessage(message, COMMIT_ANYWAY, COMPLETE, CANCEL);
  }
  if (pick === COMPLETE) {
    // Answer first, so the commit is cancelled before the pick opens.
    setTimeout(() => deps.completeChange(), 0);
    return { decision: 'cancel' };
  }
  if (signal.aborted || pick !== COMMIT_ANYWAY) return { decision: 'cancel' };
  const waivers = await chooseWaivers(gaps, signal);
  if (signal.aborted || waivers === undefined) return { decision: 'cancel' };
  return { decision: 'commit', reason: '', waivers };
}

/** Starts the commit prompt's channels and commands; dispose stops them and removes the endpoints. */
export function registerCommitPrompt(deps: CommitPromptDeps): vscode.Disposable {
  const servers = new Map<string, { root: string; server: IpcServer }>();
  const offered = new Set<string>();
  let disposed = false;
  let queue = Promise.resolve();
  // One modal at a time for every repository of this window; a second commit is refused at once.
  const answer = oneQuestionAtATime((q, signal) => askUser(q, signal, deps));
  let focused = vscode.window.state.focused;

  const repositories = async (): Promise<Git[]> => Promise.resolve(deps.repositories.list());

  const offerInstall = async (git: Git) => {
    const key = `ownership.commitCheck.offer:${git.root}`;
    if (offered.has(git.root) || deps.workspaceState?.get(key) === 'never') return;
    const status = await hookStatus(git.root);
    if (status.installed) {
      // After an update the extension lives in a new folder: keep the hooks pointing at a runtime that exists.
      const rt = status.runtime;
      if (rt && (!existsSync(rt.node) || !existsSync(rt.cli))) await installHooks(git.root, editorRuntime(deps.extensionPath));
      return;
    }
    if (!(await (deps.ownershipFiles?.(git) ?? git.ownershipFiles())).length) return;
    offered.add(git.root);
    const name = git.root.split(/[\\/]/).pop();
    const pick = await vscode.window.showInformationMessage(
      `Ask before a commit in ${name} leaves a feature's tests, docs or release notes behind? This installs a git commit check.`,
      'Install', 'Not Now', "Don't Ask Again",
    );
    if (pick === 'Install') await install(git.root);
    else if (pick === "Don't Ask Again") await deps.workspaceState?.update(key, 'never');
  };

  const sync = () => {
    queue = queue.then(async () => {
      if (disposed || !deps.isTrusted()) return;
      const repos = await repositories();
      const keep = new Set(repos.map((g) => g.gitDir));
      for (const [gitDir, s] of servers) {
        if (!keep.has(gitDir)) {
          servers.delete(gitDir);
          await s.server.dispose();
        }
      }
      for (const git of repos) {
        if (disposed) return;
        if (!servers.has(git.gitDir)) {
          try {
            const server = await startIpcServer(git.gitDir, answer, { focused });
            if (disposed) await server.dispose();
            else servers.set(git.gitDir, { root: git.root, server });
          } catch (e) {
            console.warn(`ownership: commit prompt unavailable for ${git.root}: ${(e as Error).message}`);
          }
        }
        void offerInstall(git).catch(() => undefined);
      }
    }).catch(() => undefined);
    return queue;
  };

  const pickRepository = async (): Promise<string | undefined> => {
    if (!deps.isTrusted()) {
      void vscode.window.showWarningMessage('Ownership: trust this workspace to install or remove the commit check.');
      return undefined;
    }
    const repos = await repositories();
    if (repos.length <= 1) {
      if (!repos.length) void vscode.window.showWarningMessage('Ownership: no git repository in this workspace.');
      return repos[0]?.root;
    }
    const pick = await vscode.window.showQuickPick(repos.map((g) => ({ label: g.root.split(/[\\/]/).pop() ?? g.root, description: g.root })), { placeHolder: 'Repository' });
    return pick?.description;
  };

  const install = async (root: string) => {
    try {
      const r = await installHooks(root, editorRuntime(deps.extensionPath));
      void vscode.window.showInformationMessage(`Ownership: commit check ${r.actions.length ? 'installed' : 'already installed'} — ${r.actions.join('; ') || 'nothing to change'}.`);
    } catch (e) {
      void vscode.window.showErrorMessage(`Ownership: could not install the commit check: ${(e as Error).message}`);
    }
  };

  const subscriptions: vscode.Disposable[] = [
    registerCommand(deps.log, CommitCheckCommands.install, async () => {
      const root = await pickRepository();
      if (root) await install(root);
    }),
    registerCommand(deps.log, CommitCheckCommands.remove, async () => {
      const root = await pickRepository();
      if (!root) return;
      try {
        const r = await uninstallHooks(root);
        void vscode.window.showInformationMessage(`Ownership: ${r.actions.length ? `commit check removed — ${r.actions.join('; ')}` : 'the commit check was not installed'}.`);
      } catch (e) {
        void vscode.window.showErrorMessage(`Ownership: could not remove the commit check: ${(e as Error).message}`);
      }
    }),
    deps.repositories.onDidChange(() => void sync()),
    vscode.window.onDidChangeWindowState((w) => {
      focused = w.focused;
      for (const s of servers.values()) s.server.setFocused(focused);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void sync()),
  ];
  void sync();

  return new vscode.Disposable(() => {
    disposed = true;
    for (const d of subscriptions) d.dispose();
    const all = [...servers.values()];
    servers.clear();
    for (const s of all) void s.server.dispose();
  });
}
