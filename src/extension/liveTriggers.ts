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
import { getGitApi, type GitRepository } from './gitExtension';
import type { OwnershipStore } from './ownershipStore';

const isOwnershipFile = (uri: vscode.Uri) => basename(uri.fsPath) === FILE_NAME;
const inGitDir = (uri: vscode.Uri) => /[\\/]\.git([\\/]|$)/.test(uri.fsPath);


export function registerLiveTriggers(store: OwnershipStore): vscode.Disposable {
  const disposables: vscode.Disposable[] = [];
  const gitDirWatchers = new Map<FolderStore, vscode.Disposable>();

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
  const watchGitDir = (s: FolderStore) =>
    s.onDidOpenGit((git) => {
      gitDirWatchers.get(s)?.dispose();
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(git.gitDir), '{index,HEAD}'));
      const fire = () => s.request({ files: true });
      gitDirWatchers.set(s, vscode.Disposable.from(w, w.onDidChange(fire), w.onDidCreate(fire), w.onDidDelete(fire)));
    });
  for (const s of store.folders) disposables.push(watchGitDir(s));
  disposables.push(store.onDidAddFolder((s) => disposables.push(watchGitDir(s))));

  // vscode.git, when present: it already watches the repository and refreshes its state after
  // every git operation, including ones run outside VS Code.
  void getGitApi().then((api) => {
    if (!api) return;
    const follow = (repo: GitRepository) => {
      for (const s of store.storesInRoot(repo.rootUri)) s.request({ files: true });
      disposables.push(repo.state.onDidChange(() => {
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

  return new vscode.Disposable(() => {
    for (const d of disposables) d.dispose();
    for (const d of gitDirWatchers.values()) d.dispose();
  });
}
