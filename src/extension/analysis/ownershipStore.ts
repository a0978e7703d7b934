// The one store: a FolderStore per workspace folder (each analysed on its own), the tree filter and
// the change-source choice. The tree, status bar, SCM input warning and context keys listen to
// `onDidChange`; none of them reads files or runs git.
import { sep } from 'node:path';
import * as vscode from 'vscode';
import { waiverValues } from '../../core/commitMessage';
import type { Git } from '../../node/git';
import type { Probe } from '../../node/probe';
import { readConfig } from '../config';
import { EngineClient, hostBudgetMs } from '../../node/engineClient';
import { FolderStore, workingTreeUri, type FolderEnv, type RefreshRequest, type SourceChoice } from './folderStore';
import { getGitApi } from './gitExtension';

export type Filter = 'all' | 'touched' | 'incomplete' | 'mine' | 'owed';
export const FILTERS: readonly Filter[] = ['all', 'touched', 'incomplete', 'mine', 'owed'];

const FILTER_KEY = 'ownership.filter';
const SOURCE_KEY = 'ownership.sourceChoice';

export class OwnershipStore implements vscode.Disposable {
  private readonly stores = new Map<string, { store: FolderStore; listener: vscode.Disposable }>();
  private readonly _onDidChange = new vscode.EventEmitter<FolderStore | undefined>();
  /** Fires with the folder whose analysis changed, or undefined when the filter or folders changed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidChangeTrackedFiles = new vscode.EventEmitter<FolderStore>();
  /** Fires with a folder whose file list may have changed (see FolderStore.onDidChangeTrackedFiles). */
  readonly onDidChangeTrackedFiles = this._onDidChangeTrackedFiles.event;
  private readonly _onDidClassify = new vscode.EventEmitter<FolderStore>();
  /** Fires with a folder whose engine worker has classified a file (see FolderStore.classify). */
  readonly onDidClassify = this._onDidClassify.event;
  private readonly _onDidAddFolder = new vscode.EventEmitter<FolderStore>();
  readonly onDidAddFolder = this._onDidAddFolder.event;
  private readonly _onDidRemoveFolder = new vscode.EventEmitter<FolderStore>();
  /** Fires with a folder's store just before it is disposed (its folder left the workspace). */
  readonly onDidRemoveFolder = this._onDidRemoveFolder.event;
  private readonly _onDidChangeRepositories = new vscode.EventEmitter<void>();
  /** Fires when the list of repositories changes (a folder found one, lost one, or left). */
  readonly onDidChangeRepositories = this._onDidChangeRepositories.event;
  private repositoriesKey = '';
  private readonly env: FolderEnv;
  private readonly startTimers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly state: vscode.Memento,
    log: vscode.LogOutputChannel,
    probe: Probe,
  ) {
    this.env = {
      isTrusted: () => vscode.workspace.isTrusted,
      config: (folder) => readConfig(folder),
      sourceChoice: () => this.sourceChoice,
      messageWaivers: async (root) => {
        // Only when vscode.git is up: an analysis never waits for it to activate.
        if (!vscode.extensions.getExtension('vscode.git')?.isActive) return [];
        const repo = (await getGitApi())?.repositories.find((r) => r.rootUri.fsPath === root.fsPath);
        return repo ? waiverValues(repo.inputBox.value) : [];
      },
      log,
      probe,
      // One worker thread for every folder: parsing, compiling and analysing run there, never on
      // the extension host's event loop (issue 12); started on the first analysis.
      engine: this.engine,
    };
  }

  /**
   * The engine's worker thread, shared by every folder and by the OWNERSHIP.yml editor features
   * (glob sites and match counts). Its time budget can be lowered through the environment (tests).
   */
  readonly engine = new EngineClient({ budgetMs: hostBudgetMs });

  /**
   * A second worker that only spawns the extension's git commands (runGitIn): in the engine's
   * worker they waited behind the analysis and the file lists, and the refresh after `git add` on
   * the 100k-file benchmark took 785 ms against 621–661 ms with git spawned on the host. Started on
   * the first git command; it holds no models.
   */
  readonly gitEngine = new EngineClient({ budgetMs: hostBudgetMs, maxHeapMb: 256 });

  /** Creates stores for the current workspace folders and drops those of removed folders. */
  syncFolders(): void {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const keep = new Set(folders.map((f) => f.uri.toString()));
    for (const [key, entry] of this.stores) {
      if (keep.has(key)) continue;
      this._onDidRemoveFolder.fire(entry.store);
      entry.listener.dispose();
      entry.store.dispose();
      this.stores.delete(key);
    }
    for (const folder of folders) {
      const key = folder.uri.toString();
      if (this.stores.has(key)) continue;
      const store = new FolderStore(folder, this.env);
      const listener = vscode.Disposable.from(
        store.onDidChange((s) => {
          this._onDidChange.fire(s);
          this.checkRepositories();
        }),
        store.onDidOpenGit(() => this.checkRepositories()),
        store.onDidChangeTrackedFiles(() => this._onDidChangeTrackedFiles.fire(store)),
        store.onDidClassify(() => this._onDidClassify.fire(store)),
      );
      this.stores.set(key, { store, listener });
      this._onDidAddFolder.fire(store);
      // Off the activation path: spawning git takes milliseconds that activate() need not wait for.
      const timer = setTimeout(() => {
        this.startTimers.delete(timer);
        void store.refreshNow();
      }, 0);
      this.startTimers.add(timer);
    }
    this._onDidChange.fire(undefined);
    this.checkRepositories();
  }

  /**
   * The one list of repositories of the workspace, for the store's folders and the commit prompt:
   * each folder's repository once found (a repository that vscode.git opens later — `git init`,
   * a clone — resets the folders inside it, see liveTriggers.ts, and joins the list).
   */
  get repositories(): Git[] {
    const out = new Map<string, Git>();
    for (const s of this.folders) {
      const git = s.repository;
      if (git && !out.has(git.gitDir)) out.set(git.gitDir, git);
    }
    return [...out.values()];
  }

  private checkRepositories(): void {
    const key = this.repositories.map((g) => g.gitDir).join('\0');
    if (key === this.repositoriesKey) return;
    this.repositoriesKey = key;
    this._onDidChangeRepositories.fire();
  }

  /** How many folder stores are alive (for the tests: folder churn must not leave any behind). */
  get size(): number {
    return this.stores.size;
  }

  /** Folder stores in workspace-folder order. */
  get folders(): FolderStore[] {
    return [...this.stores.values()].map((e) => e.store).sort((a, b) => a.folder.index - b.folder.index);
  }

  /** The store of the innermost workspace folder holding `uri`, else of the repository holding it. */
  storeFor(uri: vscode.Uri): FolderStore | undefined {
    uri = workingTreeUri(uri);
    if (uri.scheme !== 'file') return undefined;
    const inFolder = this.folders
      .filter((s) => isInside(uri.fsPath, s.folder.uri.fsPath))
      .sort((a, b) => b.folder.uri.fsPath.length - a.folder.uri.fsPath.length)[0];
    return inFolder ?? this.folders.find((s) => s.relativePath(uri) !== undefined);
  }

  /** Stores analysing the repository rooted at `root` (or folders inside it, before git ran). */
  storesInRoot(root: vscode.Uri): FolderStore[] {
    return this.folders.filter((s) => s.snapshot.root.fsPath === root.fsPath || isInside(s.folder.uri.fsPath, root.fsPath));
  }

  requestAll(what: RefreshRequest = {}): void {
    for (const s of this.folders) s.request(what);
  }

  async refreshAll(): Promise<void> {
    await Promise.all(this.folders.map((s) => s.refreshNow()));
  }

  get filter(): Filter {
    const f = this.state.get<string>(FILTER_KEY);
    return FILTERS.includes(f as Filter) ? (f as Filter) : 'all';
  }

  async setFilter(filter: Filter): Promise<void> {
    await this.state.update(FILTER_KEY, filter === 'all' ? undefined : filter);
    this._onDidChange.fire(undefined);
  }

  /** The picker's choice of changes; undefined means the `ownership.changes` setting applies. */
  get sourceChoice(): SourceChoice | undefined {
    return this.state.get<SourceChoice>(SOURCE_KEY);
  }

  async setSourceChoice(choice: SourceChoice | undefined): Promise<void> {
    await this.state.update(SOURCE_KEY, choice);
    await this.refreshAll();
  }

  dispose(): void {
    void this.engine.dispose();
    void this.gitEngine.dispose();
    for (const t of this.startTimers) clearTimeout(t);
    for (const e of this.stores.values()) {
      e.listener.dispose();
      e.store.dispose();
    }
    this.stores.clear();
    this._onDidChange.dispose();
    this._onDidAddFolder.dispose();
    this._onDidRemoveFolder.dispose();
    this._onDidChangeTrackedFiles.dispose();
    this._onDidClassify.dispose();
    this._onDidChangeRepositories.dispose();
  }
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}
