// What keeps the analysis live without a manual refresh. Every trigger only *requests* a refresh of
// the folder it concerns; the folder store debounces and coalesces them into one run at a time.
//  - files created/deleted/changed in the workspace (FileSystemWatcher), and saves;
//  - staging, unstaging, commits and branch switches: vscode.git's `repository.state.onDidChange`,
//    plus watchers on the repository's `index` and `HEAD` for when vscode.git is disabled;
//  - OWNERSHIP.yml edits before they are saved;
//  - `ownership.*` settings; workspace trust being granted; folders added or removed.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { FILE_NAME } from '../core/parse';
import { changed } from './config';
import { SETTING_KEYS } from './ids';
import type { FolderStore } from './folderStore';
import { getGitApi, type GitApi, type GitRepository } from './gitExtension';
import type { OwnershipStore } from './ownershipStore';

const isOwnershipFile = (uri: vscode.Uri) => basename(uri.fsPath) === FILE_NAME;
const inGitDir = (uri: vscode.Uri) => /[\\/]\.git([\\/]|$)/.test(uri.fsPath);


/** The live triggers; `resources()` counts what they hold, so tests can see nothing accumulates. */
export interface LiveTriggers extends vscode.Disposable {
  resources(): { triggerSubscriptions: number; folderWatches: number; gitDirWatchers: number; repositorySubscriptions: number; gitExtensionRepositories: number };
}

export function registerLiveTriggers(store: OwnershipStore): LiveTriggers {
  const disposables: vscode.Disposable[] = [];
  // Per folder and per repository, and disposed with them: folders come and go in a multi-root
  // workspace, and vscode.git opens and closes repositories with them.
  const folderWatches = new Map<FolderStore, { onOpen: vscode.Disposable; gitDir?: vscode.Disposable }>();
  // By root: vscode.git hands out a new wrapper object for the same repository in each event.
  const repositories = new Map<string, vscode.Disposable>();
  let disposed = false;
  let gitApi: GitApi | undefined;

  const onFile = (uri: vscode.Uri, created: boolean) => {
    // A .git appearing or disappearing makes or unmakes a repository.
    if (/[\\/]\.git$/.test(uri.fsPath)) return void store.storeFor(uri)?.reset();
    if (inGitDir(uri)) return; // the index/HEAD watchers below cover the git directory
    store.storeFor(uri)?.request({ model: isOwnershipFile(uri), ownershipFiles: created && isOwnershipFile(uri), files: created });
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*');
  disposables.push(
    watcher,
    watcher.onDidCreate((u) => onFile(u, true)),
    watcher.onDidDelete((u) => onFile(u, true)),
    watcher.onDidChange((u) => onFile(u, false)),
  );

  // The git directory may lie outside the folder (worktrees, submodules), so watch it by path.
  const watchFolder = (s: FolderStore) => {
    const entry: { onOpen: vscode.Disposable; gitDir?: vscode.Disposable } = {
      onOpen: s.onDidOpenGit((git) => {
        entry.gitDir?.dispose();
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(git.gitDir), '{index,HEAD}'));
        const fire = () => s.request({ files: true });
        entry.gitDir = vscode.Disposable.from(w, w.onDidChange(fire), w.onDidCreate(fire), w.onDidDelete(fire));
      }),
    };
    folderWatches.set(s, entry);
  };
  const unwatchFolder = (s: FolderStore) => {
    const entry = folderWatches.get(s);
    entry?.onOpen.dispose();
    entry?.gitDir?.dispose();
    folderWatches.delete(s);
  };
  for (const s of store.folders) watchFolder(s);
  disposables.push(store.onDidAddFolder(watchFolder), store.onDidRemoveFolder(unwatchFolder));

  // vscode.git, when present: it already watches the repository and refreshes its state after
  // every git operation, including ones run outside VS Code.
  void getGitApi().then((api) => {
    if (!api || disposed) return;
    gitApi = api;
    const follow = (repo: GitRepository) => {
      const key = repo.rootUri.toString();
      if (repositories.has(key)) return;
      for (const s of store.storesInRoot(repo.rootUri)) s.request({ files: true });
      repositories.set(key, repo.state.onDidChange(() => {
        for (const s of store.storesInRoot(repo.rootUri)) s.request({ files: true });
      }));
    };
    api.repositories.forEach(follow);
    disposables.push(
      api.onDidOpenRepository((repo) => {
        // A repository that appears (git init, clone) turns a "not a git repository" folder live.
        for (const s of store.storesInRoot(repo.rootUri)) if (s.snapshot.state === 'notGit') void s.reset();
        follow(repo);
      }),
      api.onDidCloseRepository((repo) => {
        repositories.get(repo.rootUri.toString())?.dispose();
        repositories.delete(repo.rootUri.toString());
      }),
    );
  });

  disposables.push(
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && isOwnershipFile(e.document.uri)) store.storeFor(e.document.uri)?.request({ model: true });
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => store.storeFor(doc.uri)?.request({ model: isOwnershipFile(doc.uri) })),
    // Closing a dirty OWNERSHIP.yml without saving drops its unsaved text.
    vscode.workspace.onDidCloseTextDocument((doc) => isOwnershipFile(doc.uri) && store.storeFor(doc.uri)?.request({ model: true })),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (changed(e, 'changes') && store.sourceChoice) void store.setSourceChoice(undefined); // the setting wins again
      for (const s of store.folders) {
        // tree.maxFiles only needs the views to redraw, which any completed run does.
        if (SETTING_KEYS.some((k) => k !== 'statusBar.enabled' && k !== 'scmInputWarning.enabled' && changed(e, k, s.folder))) s.request();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => store.folders.forEach((s) => void s.reset())),
    vscode.workspace.onDidChangeWorkspaceFolders(() => store.syncFolders()),
  );

  return {
    resources: () => ({
      triggerSubscriptions: disposables.length,
      folderWatches: folderWatches.size,
      gitDirWatchers: [...folderWatches.values()].filter((e) => e.gitDir).length,
      repositorySubscriptions: repositories.size,
      gitExtensionRepositories: gitApi?.repositories.length ?? 0,
    }),
    dispose() {
      disposed = true;
      for (const d of disposables) d.dispose();
      for (const s of [...folderWatches.keys()]) unwatchFolder(s);
      for (const d of repositories.values()) d.dispose();
      repositories.clear();
    },
  };
}
