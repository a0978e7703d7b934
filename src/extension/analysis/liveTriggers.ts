// What keeps the analysis live without a manual refresh. Every trigger only *requests* a refresh of
// the folder it concerns; the folder store debounces and coalesces them into one run at a time.
//  - files created/deleted/changed in the workspace (FileSystemWatcher), and saves;
//  - staging, unstaging, commits and branch switches: vscode.git's `repository.state.onDidChange`,
//    plus a watch on the repository's git directory for `index` and `HEAD` (vscode.git refreshes
//    only after its own `git status`, seconds late in a large repository, and not at all when disabled);
//  - OWNERSHIP.yml edits before they are saved, and a periodic stat of the known OWNERSHIP.yml
//    files for the changes VS Code's watcher misses (ownershipFileStat.ts);
//  - `ownership.*` settings; workspace trust being granted; folders added or removed.
import { existsSync, watch } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { FILE_NAME } from '../../core/parse';
import { changed } from '../config';
import { SETTING_KEYS } from '../ids';
import type { FolderStore } from './folderStore';
import { getGitApi, type GitApi, type GitRepository } from './gitExtension';
import type { OwnershipStore } from './ownershipStore';
import { registerOwnershipFileStat } from './ownershipFileStat';
import type { Probe } from '../../node/probe';

const isOwnershipFile = (uri: vscode.Uri) => basename(uri.fsPath) === FILE_NAME;
const inGitDir = (uri: vscode.Uri) => /[\\/]\.git([\\/]|$)/.test(uri.fsPath);


/**
 * Watches `gitDir` itself for `index` and `HEAD` (git writes `index.lock` and renames it to `index`):
 * one non-recursive inotify watch, where VS Code's watcher on a 100k-file repository missed the
 * first `git add` and fired seconds late on later ones. A linked worktree's git directory holds its
 * own index and HEAD, so the worktree's `--absolute-git-dir` is the one to watch. Undefined when the
 * directory cannot be watched; `onGone` runs once if the watch errors or the directory goes away.
 */
function watchGitDir(gitDir: string, fire: () => void, onGone: () => void): vscode.Disposable | undefined {
  let w: ReturnType<typeof watch>;
  try {
    w = watch(gitDir, { persistent: false });
  } catch {
    return undefined;
  }
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    w.close();
  };
  const gone = () => {
    if (closed) return;
    close();
    onGone();
  };
  w.on('change', (_event, name) => {
    const file = String(name ?? '');
    if (file === 'index' || file === 'HEAD') fire();
    // The directory itself removed (reported under its own name, or none): the watch is dead.
    else if ((!file || file === basename(gitDir)) && !existsSync(gitDir)) gone();
  });
  w.on('error', gone);
  w.on('close', gone);
  return new vscode.Disposable(close);
}


/** The live triggers; `resources()` counts what they hold, so tests can see nothing accumulates. */
interface LiveTriggers extends vscode.Disposable {
  resources(): { triggerSubscriptions: number; folderWatches: number; gitDirWatchers: number; repositorySubscriptions: number; gitExtensionRepositories: number };
  /** OWNERSHIP.yml files the stat fallback has looked at (and compares with at its next look). */
  statted(): number;
}

/** Refresh requests are counted per trigger on `probe` ("trigger.gitDirWatch"…): the tests check the git-directory watch fires on its own. */
export function registerLiveTriggers(store: OwnershipStore, probe: Probe): LiveTriggers {
  const disposables: vscode.Disposable[] = [];
  // Per folder and per repository, and disposed with them: folders come and go in a multi-root
  // workspace, and vscode.git opens and closes repositories with them.
  const folderWatches = new Map<FolderStore, { onOpen: vscode.Disposable; gitDir?: vscode.Disposable }>();
  // By root: vscode.git hands out a new wrapper object for the same repository in each event.
  const repositories = new Map<string, vscode.Disposable>();
  let disposed = false;
  let gitApi: GitApi | undefined;

  // What VS Code's watcher misses (a rewrite by another program in a large folder, a folder in
  // files.watcherExclude): the known OWNERSHIP.yml files are stat'ed now and then.
  const stat = registerOwnershipFileStat(store, probe);
  disposables.push(stat);
  const onFile = (uri: vscode.Uri, created: boolean) => {
    // A .git appearing or disappearing makes or unmakes a repository.
    if (/[\\/]\.git$/.test(uri.fsPath)) return void store.storeFor(uri)?.reset();
    if (inGitDir(uri)) return; // the index/HEAD watchers below cover the git directory
    if (isOwnershipFile(uri)) stat.seen(uri);
    const s = store.storeFor(uri);
    if (!s) return;
    // Deleting a folder reports the folder only: the OWNERSHIP.yml files in it go with it.
    const rel = created ? s.relativePath(uri) : undefined;
    const holdsRules = rel !== undefined && s.snapshot.ownershipPaths.some((p) => p.startsWith(`${rel}/`));
    s.request({ model: isOwnershipFile(uri) || holdsRules, ownershipFiles: (created && isOwnershipFile(uri)) || holdsRules, files: created });
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
        entry.gitDir = undefined;
        const fallback = () => {
          // VS Code's watcher: slower, but it outlives the directory disappearing and reappearing.
          const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(git.gitDir), '{index,HEAD}'));
          const fire = () => { probe.count('trigger.gitDirFallback'); s.request({ files: true }); };
          return vscode.Disposable.from(w, w.onDidChange(fire), w.onDidCreate(fire), w.onDidDelete(fire));
        };
        const direct = watchGitDir(git.gitDir, () => { probe.count('trigger.gitDirWatch'); s.request({ files: true }); }, () => {
          // Only if this watch is still the folder's current one (not disposed or replaced).
          if (entry.gitDir !== direct || !folderWatches.has(s)) return;
          entry.gitDir = fallback();
          // The directory went away: the store finds out at its next run whether the repository is gone.
          s.request({ files: true });
        });
        entry.gitDir = direct ?? fallback();
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
        probe.count('trigger.gitExtension');
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
    statted: () => stat.watched(),
    dispose() {
      disposed = true;
      for (const d of disposables) d.dispose();
      for (const s of [...folderWatches.keys()]) unwatchFolder(s);
      for (const d of repositories.values()) d.dispose();
      repositories.clear();
    },
  };
}
