// The analysis of one workspace folder, as the views see it: events, scheduling and Uri mapping
// around the one analysis pipeline (src/node/folderAnalysis.ts, shared with the CLI and the
// hook). The views read `snapshot` and listen to `onDidChange`; none of them runs git or reads
// files. Work is split by what invalidates it, so a staging event re-runs one `git diff` and
// `analyze()` over the changed paths only, while the rules (re-read on OWNERSHIP.yml edits) and
// the tracked-file inventory (computed only when the tree asks) are cached by the service.
import { existsSync, realpathSync } from 'node:fs';
import { basename, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { classify, type Model } from '../../core/model';
import { FILE_NAME } from '../../core/parse';
import type { Change, Membership, Problem, Verdict } from '../../core/types';
import { classifyPaths, FolderAnalysis, inventoryOf, inWorker, readRules, usable, verdictOf, type OwnershipFileEntry } from '../../node/folderAnalysis';
import { WatchdogError, type EngineClient } from '../../node/engineClient';
import { Git, GitFailure, type ChangeSource } from '../../node/git';
import type { Probe } from '../../node/probe';
import type { OwnershipConfig } from '../config';
import { identityHandles } from '../../core/ownerMatch';
import { Disposable } from '../disposable';
import { RefreshScheduler } from '../../node/refreshScheduler';
import type { Report } from '../../core/report';

/** The owed pieces at a HEAD. */
interface OwedState {
  /** The HEAD commit ('' before the first commit). */
  readonly head: string;
  readonly report: Report;
  /** Owed computations completed so far; tests wait for it to move. */
  readonly generation: number;
  /** How long it took, and in how many steps (yields to the event loop between them). */
  readonly durationMs: number;
  readonly steps: number;
}

/** The features and criteria a file belongs to, by its repository-relative path. */
type Classified = { path: string; memberships: Membership[]; ignored: boolean };

/** The last inventory: paths matched, pieces of work between yields on the host, and whether the worker matched them. */
interface InventoryStats {
  files: number;
  chunks: number;
  inWorker: boolean;
}

/** `gone`: the folder itself was deleted (or moved) under the editor. */
type FolderState = 'loading' | 'noFile' | 'invalid' | 'notGit' | 'gone' | 'ready';
type ChangesKind = OwnershipConfig['changes'];

/** The change source chosen with "Choose Changes to Analyse…", overriding the setting. */
export interface SourceChoice {
  kind: ChangesKind;
  base?: string;
}

interface SourceInfo {
  kind: ChangesKind;
  /** The base ref in `branch` mode. */
  base?: string;
  /** In `branch` mode, the merge base the change starts from. */
  from?: string;
  /** "staged changes", "working tree changes", "changes since main". */
  label: string;
}

interface SnapshotBase {
  /** Restricted mode: features are read from OWNERSHIP.yml, git is never run. */
  readonly restricted: boolean;
  /** Repository root (the folder itself when git is off); paths below are relative to it. */
  readonly root: vscode.Uri;
  /** Every OWNERSHIP.yml read, with its text and its own problems (the Problems panel shows these). */
  readonly files: readonly OwnershipFileEntry[];
  readonly problems: readonly Problem[];
  readonly ownershipPaths: readonly string[];
  readonly source: SourceInfo;
  readonly changes: readonly Change[];
  readonly changeByPath: ReadonlyMap<string, Change>;
  /** Normalised handles of the git user, for the `mine` filter. */
  readonly me: ReadonlySet<string>;
  /**
   * In staged mode, the OWNERSHIP.yml files whose working-tree state differs from the index: the
   * view analyses the rules on disk, the commit check the staged ones, and the user is told.
   */
  readonly unstagedRules: readonly string[];
  /** Why the change could not be analysed (e.g. an unknown base ref), or why git is off. */
  readonly error?: string;
  /**
   * The owed pieces at HEAD (ownership report over the last `ownership.owed.maxCount` changes),
   * computed when HEAD, the rules or the setting change — not on every save — and carried from
   * one analysis to the next. Undefined until the first computation ends, in restricted mode and
   * without git.
   */
  readonly owed?: OwedState;
  /** Completed analyses so far; tests wait for it to move. */
  readonly generation: number;
  readonly durationMs: number;
}

/** The analysis of a folder: `ready` carries a model and a verdict; every other state has neither. */
export type FolderSnapshot =
  | (SnapshotBase & { readonly state: Exclude<FolderState, 'ready'>; readonly model?: undefined; readonly verdict?: undefined })
  | (SnapshotBase & { readonly state: 'ready'; readonly model: Model; readonly verdict: Verdict });

/** What a folder store needs from the rest of the extension. */
export interface FolderEnv {
  isTrusted(): boolean;
  config(folder: vscode.WorkspaceFolder): OwnershipConfig;
  sourceChoice(): SourceChoice | undefined;
  /** `Ownership-Waived` values in the Source Control box of the repository at `root` (the next commit's message). */
  messageWaivers(root: vscode.Uri): Promise<string[]>;
  log: vscode.LogOutputChannel;
  probe: Probe;
  /** The engine's worker thread, shared by every folder. */
  engine?: EngineClient;
}

/** Invalidation flags of a refresh request. */
export interface RefreshRequest {
  /** An OWNERSHIP.yml's text changed (on disk or in an editor). */
  model?: boolean;
  /** An OWNERSHIP.yml was created or deleted: find them again (a working-tree scan, slow in big repositories). */
  ownershipFiles?: boolean;
  /** Files were created or deleted, or the index moved: the tracked-file list may be stale. */
  files?: boolean;
}

const EMPTY_VERDICT_SOURCE: SourceInfo = { kind: 'staged', label: 'staged changes' };

function describe(kind: ChangesKind, base?: string): string {
  return kind === 'staged' ? 'staged changes' : kind === 'working' ? 'working tree changes' : `changes since ${base}`;
}

/** Snapshot fields a run sets; generation and timing are added by `update`. */
type Next = Omit<FolderSnapshot, 'generation' | 'durationMs'>;

export class FolderStore extends Disposable {
  private _snapshot: FolderSnapshot;
  private readonly _onDidChange = this.register(new vscode.EventEmitter<FolderStore>());
  readonly onDidChange = this._onDidChange.event;
  private readonly scheduler: RefreshScheduler;
  /** undefined: not opened yet; null: not a repository (re-checked on every run). */
  private git: Git | null | undefined;
  private analysis: FolderAnalysis | undefined;
  private modelStale = true;
  /** Restricted mode's file list (found without git); cleared when files are created or deleted. */
  private restrictedFiles: Promise<string[] | undefined> | undefined;
  private inventoryCache: { model: Model; files: readonly string[] | undefined; added: string; value: Promise<Map<string, Map<string, string[]>>> } | undefined;
  private identity: { name?: string; email?: string } | undefined;
  /** The folder's path inside the repository ('' at the root), for folder-relative file lists. */
  private folderPrefix = '';
  private folderFilesCache: { from: string[]; files: string[] } | undefined;
  private trackedInvalidated = false;
  private readonly _onDidChangeTrackedFiles = this.register(new vscode.EventEmitter<void>());
  /** Fires after an analysis when files were created or deleted or the index moved since the last one. */
  readonly onDidChangeTrackedFiles = this._onDidChangeTrackedFiles.event;
  private _analysisErrors = 0;
  private _lastInventory: InventoryStats | undefined;
  /** Fires when the repository is found, so the live triggers can watch its index and HEAD. */
  private readonly _onDidOpenGit = this.register(new vscode.EventEmitter<Git>());
  readonly onDidOpenGit = this._onDidOpenGit.event;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly env: FolderEnv,
  ) {
    super();
    this._snapshot = {
      state: 'loading',
      restricted: !env.isTrusted(),
      root: folder.uri,
      files: [],
      problems: [],
      ownershipPaths: [],
      source: EMPTY_VERDICT_SOURCE,
      changes: [],
      changeByPath: new Map(),
      me: new Set(),
      unstagedRules: [],
      generation: 0,
      durationMs: 0,
    };
    this.scheduler = this.register(new RefreshScheduler(() => this.run(), () => this.env.config(this.folder).debounceMs));
  }

  get snapshot(): FolderSnapshot {
    return this._snapshot;
  }

  /** The repository this folder is in, once found (never in an untrusted workspace). */
  get repository(): Git | undefined {
    return this.git ?? undefined;
  }

  /** Analyses that failed unexpectedly (logged once each), and the last inventory's size: for `_testState`. */
  get stats(): { analysisErrors: number; lastInventory: InventoryStats | undefined } {
    return { analysisErrors: this._analysisErrors, lastInventory: this._lastInventory };
  }

  /** Schedules a debounced, coalesced refresh. */
  request(what: RefreshRequest = {}): void {
    this.invalidate(what);
    this.scheduler.request();
  }

  /** Refreshes everything now (still one run at a time); resolves when idle. */
  refreshNow(what: RefreshRequest = { ownershipFiles: true, files: true }): Promise<void> {
    this.invalidate(what);
    return this.scheduler.now();
  }

  /** Forgets the repository (trust was granted, a repository appeared) and refreshes. */
  reset(): Promise<void> {
    this.forgetGit();
    return this.refreshNow();
  }

  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  private forgetGit(): void {
    this.git = undefined;
    this.analysis = undefined;
    this.identity = undefined;
    this.modelStale = true;
  }

  private invalidate(what: RefreshRequest): void {
    if (what.model || what.ownershipFiles) this.modelStale = true;
    this.analysis?.invalidate({ rules: what.model, ownershipFiles: what.ownershipFiles, files: what.files });
    if (what.files) {
      this.restrictedFiles = undefined;
      this.trackedInvalidated = true;
    }
  }

  /** Repository-relative path of `uri`, if it lies inside the analysed root. */
  relativePath(uri: vscode.Uri): string | undefined {
    uri = workingTreeUri(uri);
    if (uri.scheme !== 'file') return undefined;
    const rel = relative(this._snapshot.root.fsPath, uri.fsPath);
    if (!rel || rel.startsWith('..') || rel.startsWith(sep + sep)) return undefined;
    return rel.split(sep).join('/');
  }

  uriOf(path: string): vscode.Uri {
    return vscode.Uri.joinPath(this._snapshot.root, ...path.split('/'));
  }

  /**
   * The features and criteria `uri` belongs to; undefined when there is no model or it is outside,
   * and — for a model compiled in the engine's worker — until the worker has answered: the answer
   * is then kept for this model and `onDidClassify` fires (the status bar shows it). Asking the
   * worker keeps the glob index of a large OWNERSHIP.yml from being compiled on the extension host.
   */
  classify(uri: vscode.Uri): Classified | undefined {
    const ask = this.classifyRequest(uri);
    if (!ask || 'now' in ask) return ask?.now;
    void ask.later;
    return undefined;
  }

  /** Like classify, waiting for the worker's answer. */
  async classifyAsync(uri: vscode.Uri): Promise<Classified | undefined> {
    const ask = this.classifyRequest(uri);
    if (!ask) return undefined;
    return 'now' in ask ? ask.now : ask.later;
  }

  private classifiedFor: Model | undefined;
  private readonly classified = new Map<string, Promise<Classified | undefined> | Classified | undefined>();
  private readonly _onDidClassify = this.register(new vscode.EventEmitter<void>());
  /** Fires when the worker has classified a file that classify() could not answer at once. */
  readonly onDidClassify = this._onDidClassify.event;

  private classifyRequest(uri: vscode.Uri): { now: Classified | undefined } | { later: Promise<Classified | undefined> } | undefined {
    const model = this._snapshot.model;
    const path = this.relativePath(uri);
    if (!model || path === undefined) return undefined;
    // Without git (restricted mode) the model was compiled here, so its index is at hand.
    if (!inWorker(model)) return { now: { path, ...classify(model, path) } };
    if (this.classifiedFor !== model || this.classified.size > 256) {
      this.classifiedFor = model;
      this.classified.clear();
    }
    const known = this.classified.get(path);
    if (known instanceof Promise) return { later: known };
    if (known || this.classified.has(path)) return { now: known };
    const later = classifyPaths(model, [path]).then(
      ([r]) => r && { path, ...r },
      (e: unknown) => {
        this.env.log.warn(`${this.folder.name}: cannot classify ${path}: ${(e as Error).message}`);
        return undefined;
      },
    );
    this.classified.set(path, later);
    void later.then((r) => {
      if (this.classifiedFor !== model || this.classified.get(path) !== later) return;
      this.classified.set(path, r);
      this._onDidClassify.fire();
    });
    return { later };
  }

  /**
   * Paths of the files in the repository (tracked files; in restricted mode, files found without
   * git), relative to `snapshot.root`. The same array while the list is unchanged: `git add` of
   * modified files runs no `git ls-files` (see FolderAnalysis.trackedFiles).
   */
  async trackedFiles(): Promise<string[] | undefined> {
    try {
      if (!this.env.isTrusted()) {
        this.restrictedFiles ??= this.findAllFiles();
        return await this.restrictedFiles;
      }
      await this.openGit();
      return await this.analysis?.trackedFiles();
    } catch (e) {
      this.env.log.warn(`${this.folder.name}: cannot list files: ${(e as Error).message}`);
      return undefined;
    }
  }

  private async findAllFiles(): Promise<string[]> {
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, '**/*'), undefined, 200_000);
    return found.map((u) => this.relativePath(u)).filter((p): p is string => p !== undefined).sort();
  }

  /**
   * Like trackedFiles, relative to the workspace folder rather than the repository root (they differ
   * when the folder is a subfolder of a repository). The same array while nothing changed.
   */
  async folderFiles(): Promise<string[] | undefined> {
    const files = await this.trackedFiles();
    if (!files || !this.folderPrefix || !this.env.isTrusted()) return files;
    if (this.folderFilesCache?.from !== files) {
      const p = this.folderPrefix + '/';
      this.folderFilesCache = { from: files, files: files.filter((f) => f.startsWith(p)).map((f) => f.slice(p.length)) };
    }
    return this.folderFilesCache.files;
  }

  /**
   * Per feature and criterion, the files it covers (tracked files plus added ones). Computed on
   * demand, and cached by content: the same model, the same file list and the same added paths.
   */
  async inventory(): Promise<Map<string, Map<string, string[]>> | undefined> {
    const { model, changes } = this._snapshot;
    if (!model) return undefined;
    const files = await this.trackedFiles();
    const addedPaths = changes.filter((c) => c.status !== 'D').map((c) => c.path);
    const added = addedPaths.join('\0');
    const hit = this.inventoryCache;
    if (hit && hit.model === model && hit.files === files && hit.added === added) return hit.value;
    const value = (async () => {
      this.env.probe.count('inventory');
      // In the engine's worker; without git (restricted mode) the model was compiled here: matched here, in chunks.
      const r = await inventoryOf(model, files ?? [], addedPaths, this.env.probe);
      this._lastInventory = { files: r.files, chunks: r.chunks, inWorker: r.inWorker };
      return r.value;
    })();
    this.inventoryCache = { model, files, added, value };
    return value;
  }

  private async openGit(): Promise<Git | undefined> {
    // A repository can vanish under us (.git removed or moved): look for it again.
    if (this.git && !existsSync(this.git.gitDir)) this.forgetGit();
    if (this.git) return this.git;
    try {
      this.git = await Git.open(this.folder.uri.fsPath, this.env.probe);
      // The editor analyses the rules on disk and in unsaved editors (instant feedback while editing
      // OWNERSHIP.yml), and says when the staged ones, which the commit check reads, differ.
      this.analysis = new FolderAnalysis(this.git, { rulesFrom: 'worktree', overlays: () => this.overlays(), probe: this.env.probe, log: this.env.log, engine: this.env.engine });
      // git reports the root with symlinks resolved, so compare real paths.
      const rel = relative(this.git.root, realpathSync(this.folder.uri.fsPath));
      this.folderPrefix = rel && !rel.startsWith('..') ? rel.split(sep).join('/') : '';
    } catch (e) {
      if (!(e instanceof GitFailure)) throw e;
      this.git = null;
      this.analysis = undefined;
      this.env.log.info(`${this.folder.name}: ${e.message}`);
      return undefined;
    }
    this._onDidOpenGit.fire(this.git);
    return this.git;
  }

  private update(next: Next, started: number): void {
    // Owed pieces outlive an analysis: they change with HEAD, not with every save.
    const owed = next.state === 'ready' && !next.restricted ? this._snapshot.owed : undefined;
    this._snapshot = { ...next, owed, generation: this._snapshot.generation + 1, durationMs: Date.now() - started } as FolderSnapshot;
    this._onDidChange.fire(this);
    if (this.trackedInvalidated) {
      this.trackedInvalidated = false;
      this._onDidChangeTrackedFiles.fire();
    }
  }

  /** Unsaved OWNERSHIP.yml texts under the analysed root, by repository-relative path. */
  private overlays(root = this.git?.root ?? this.folder.uri.fsPath): Map<string, string> {
    const overlays = new Map<string, string>();
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== 'file' || basename(doc.uri.fsPath) !== FILE_NAME || !doc.isDirty) continue;
      const rel = relative(root, doc.uri.fsPath);
      if (rel && !rel.startsWith('..')) overlays.set(rel.split(sep).join('/'), doc.getText());
    }
    return overlays;
  }

  /** The snapshot fields that say "no analysis": no model, no verdict, no change. */
  private empty(state: Exclude<FolderState, 'ready'>, root: vscode.Uri, error?: string): Next {
    return { ...this._snapshot, state, root, model: undefined, verdict: undefined, changes: [], changeByPath: new Map(), error };
  }

  private async run(): Promise<void> {
    const started = Date.now();
    try {
      if (!existsSync(this.folder.uri.fsPath)) {
        // Deleted under the editor: say so once and forget the repository; every later event finds the same.
        this.forgetGit();
        if (this._snapshot.state === 'gone') return;
        return this.update({ ...this.empty('gone', this.folder.uri, `${this.folder.uri.fsPath} no longer exists`), files: [], problems: [], ownershipPaths: [], unstagedRules: [] }, started);
      }
      if (!this.env.isTrusted()) return await this.runWithoutGit(started, true);
      const git = await this.openGit();
      const analysis = this.analysis;
      if (!git || !analysis) return await this.runWithoutGit(started, false);
      const root = vscode.Uri.file(git.root);
      const rulesChanged = this.modelStale || this._snapshot.restricted;
      this.modelStale = false;
      const { changeSource, source } = await this.resolveSource(git);
      const unstagedP = changeSource.kind === 'staged' ? analysis.unstagedRules() : Promise.resolve([]);
      unstagedP.catch(() => undefined);
      // Staged changes are the next commit: the waivers typed in its message already count.
      const messageWaivers = changeSource.kind === 'staged' ? await this.env.messageWaivers(root) : undefined;
      const result = await analysis.analyse(changeSource, { values: messageWaivers });
      const unstagedRules = await unstagedP.catch((e: unknown) => {
        this.env.log.warn(`${this.folder.name}: cannot compare the staged OWNERSHIP.yml: ${(e as Error).message}`);
        return [];
      });
      if (rulesChanged || !this.identity) this.identity = await analysis.identity();
      const me = identityHandles({ ...this.identity, extra: this.env.config(this.folder).me });
      const { rules } = result;
      const base = { restricted: false, root, files: rules.files, problems: rules.problems, ownershipPaths: rules.paths, source, me, unstagedRules };
      if (rules.paths.length === 0) return this.update({ ...this.empty('noFile', root), ...base }, started);
      if (!usable(rules) || !result.verdict) return this.update({ ...this.empty('invalid', root), ...base }, started);
      const changes = result.changes?.changes ?? [];
      const changeByPath = new Map<string, Change>();
      for (const c of changes) {
        changeByPath.set(c.path, c);
        if (c.oldPath && c.status === 'R') changeByPath.set(c.oldPath, { status: 'D', path: c.oldPath });
      }
      this.update({ ...base, state: 'ready', model: rules.model, verdict: result.verdict, source: { ...source, from: result.changes?.range?.from }, changes, changeByPath, error: result.error }, started);
      this.owedRun = this.refreshOwed(analysis, rules.model, this.overlays(git.root).size === 0);
    } catch (e) {
      this._analysisErrors++;
      this.env.log.error(`${this.folder.name}: analysis failed: ${(e as Error).stack ?? e}`);
      // The watchdog's message says what and where in one line.
      this.update({ ...this._snapshot, error: e instanceof WatchdogError ? e.message : `analysis failed: ${(e as Error).message}` }, started);
    } finally {
      this.env.log.trace(`${this.folder.name}: analysis ${this._snapshot.generation} took ${Date.now() - started} ms`);
    }
  }

  private owedKey: { head: string; model: Model; maxCount: number } | undefined;
  private owedToken = 0;
  private owedRun: Promise<void> = Promise.resolve();

  /** Resolves when the owed computation under way (if any) has ended. */
  owedIdle(): Promise<void> {
    return this.owedRun;
  }

  /**
   * Recomputes the owed pieces when HEAD, the rules or the setting changed since the last time
   * (one `git rev-parse` otherwise). Runs beside the analysis, never blocking it (in the engine's
   * worker, beside its queue of analyses); a newer request supersedes an older one.
   */
  private async refreshOwed(analysis: FolderAnalysis, model: Model, rulesSaved: boolean): Promise<void> {
    const git = analysis.git;
    try {
      const maxCount = this.env.config(this.folder).owedMaxCount;
      const head = (await git.hasHead()) ? await git.resolve('HEAD') : '';
      const last = this.owedKey;
      // Not on every edit of the rules: an unsaved OWNERSHIP.yml changes the model at each keystroke.
      if (last && last.head === head && last.maxCount === maxCount && (last.model === model || !rulesSaved)) return;
      this.owedKey = { head, model, maxCount };
      const token = ++this.owedToken;
      const started = Date.now();
      // In the engine's worker (git log and judging), under four times the analysis budget.
      const report = await analysis.owed(model, maxCount);
      if (token !== this.owedToken) return;
      const generation = (this._snapshot.owed?.generation ?? 0) + 1;
      this._snapshot = { ...this._snapshot, owed: { head, report, generation, durationMs: Date.now() - started, steps: report.steps } };
      this._onDidChange.fire(this);
    } catch (e) {
      this.owedKey = undefined;
      this.env.log.warn(`${this.folder.name}: cannot compute the owed pieces: ${(e as Error).message}`);
    }
  }

  /** Stages the OWNERSHIP.yml files with unstaged edits (`git add`), so the commit check judges with them. */
  async stageOwnershipFiles(): Promise<string[]> {
    const git = await this.openGit();
    const paths = [...this._snapshot.unstagedRules];
    if (!git || !paths.length) return [];
    // `-A` on literal paths: an unstaged deletion is staged too.
    await git.raw(['add', '-A', '--', ...paths.map((p) => `:(literal)${p}`)]);
    await this.refreshNow({ files: true });
    return paths;
  }

  /** The change to analyse: the picker's choice, else the settings; the base defaults to the upstream, else main. */
  private async resolveSource(git: Git): Promise<{ source: SourceInfo; changeSource: ChangeSource }> {
    const config = this.env.config(this.folder);
    const choice = this.env.sourceChoice();
    const kind = choice?.kind ?? config.changes;
    if (kind !== 'branch') return { source: { kind, label: describe(kind) }, changeSource: { kind } };
    const base = choice?.base || config.baseRef || (await this.defaultBase(git));
    return { source: { kind, base, label: describe(kind, base) }, changeSource: { kind: 'range', base, head: 'HEAD' } };
  }

  /** The upstream of the current branch, else `main`, else `master`. */
  async defaultBase(git?: Git): Promise<string> {
    const g = git ?? (this.env.isTrusted() ? await this.openGit() : undefined);
    if (!g) return 'main';
    try {
      const up = (await g.raw(['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'])).trim();
      if (up) return up;
    } catch {
      // no upstream configured
    }
    for (const name of ['main', 'master']) {
      try {
        await g.resolve(name);
        return name;
      } catch {
        // try the next one
      }
    }
    return 'main';
  }

  /**
   * Without git — restricted mode (git is never run), or a folder that is not a repository: the
   * OWNERSHIP.yml files found by VS Code's file search are read through the same pipeline, so
   * the Problems panel still shows their problems. Restricted mode shows the features; a folder
   * that is not a repository says so.
   */
  private async runWithoutGit(started: number, restricted: boolean): Promise<void> {
    const root = this.folder.uri;
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, `**/${FILE_NAME}`), '**/node_modules/**', 1000);
    const paths = found.map((u) => relative(root.fsPath, u.fsPath).split(sep).join('/'));
    // Nothing is written under the repository here (the worker gets no git directory, so no parse
    // cache on disk); parsing and compiling still run in the engine's worker.
    const rules = await readRules(root.fsPath, paths, { overlays: this.overlays(root.fsPath), probe: this.env.probe, engine: this.env.engine });
    this.modelStale = true; // re-read with git once trusted
    const base = { restricted, root, files: rules.files, problems: rules.problems, ownershipPaths: rules.paths, source: this._snapshot.source, changes: [], changeByPath: new Map<string, Change>(), me: new Set<string>(), unstagedRules: [], error: undefined };
    if (!restricted) return this.update({ ...base, state: 'notGit', model: undefined, verdict: undefined, error: `${this.folder.name} is not a git repository` }, started);
    if (rules.paths.length === 0) return this.update({ ...base, state: 'noFile', model: undefined, verdict: undefined }, started);
    if (!usable(rules)) return this.update({ ...base, state: 'invalid', model: undefined, verdict: undefined }, started);
    this.update({ ...base, state: 'ready', model: rules.model, verdict: await verdictOf(rules.model, [], []) }, started);
  }

}

/**
 * The working-tree file behind an editor's document: a diff's `git:` side (the built-in Git
 * extension keeps the file's path in the URI and the ref in its query) counts as the file itself,
 * so the status bar and "Which feature owns this file?" work from a diff too.
 */
export function workingTreeUri(uri: vscode.Uri): vscode.Uri {
  return uri.scheme === 'git' ? uri.with({ scheme: 'file', query: '', fragment: '' }) : uri;
}
