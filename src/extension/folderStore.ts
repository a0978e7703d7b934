// The analysis of one workspace folder: its OWNERSHIP.yml model, the change being analysed and the
// verdict. It is the only place that runs git or reads files for the views; they read
// `snapshot` and listen to `onDidChange`. Work is split by what invalidates it, so a staging event
// re-runs one `git diff` and `analyze()` over the changed paths only, while the model (re-read on
// OWNERSHIP.yml edits) and the tracked-file inventory (computed only when the tree asks) are cached.
import { existsSync, realpathSync } from 'node:fs';
import { basename, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { analyze, classify, parseWaivers, type Model } from '../core/model';
import { FILE_NAME } from '../core/parse';
import type { Change, Membership, ParseResult, Problem, Verdict } from '../core/types';
import { Git, GitFailure, type ChangeSource } from '../node/git';
import { buildModel, readOwnershipText } from '../node/load';
import { parseCache } from '../node/modelCache';
import { inventoryInChunks } from './chunked';
import type { OwnershipConfig } from './config';
import { identityHandles } from './ownerMatch';
import { parseMemo, parseMemoDisk } from './parseMemo';
import { RefreshScheduler } from './refreshScheduler';

/** `gone`: the folder itself was deleted (or moved) under the editor. */
export type FolderState = 'loading' | 'noFile' | 'invalid' | 'notGit' | 'gone' | 'ready';
export type ChangesKind = OwnershipConfig['changes'];

/** The change source chosen with "Choose Changes to Analyse…", overriding the setting. */
export interface SourceChoice {
  kind: ChangesKind;
  base?: string;
}

export interface SourceInfo {
  kind: ChangesKind;
  /** The base ref in `branch` mode. */
  base?: string;
  /** In `branch` mode, the merge base the change starts from. */
  from?: string;
  /** "staged changes", "working tree changes", "changes since main". */
  label: string;
}

export interface FolderSnapshot {
  readonly state: FolderState;
  /** Restricted mode: features are read from OWNERSHIP.yml, git is never run. */
  readonly restricted: boolean;
  /** Repository root (the folder itself when git is off); paths below are relative to it. */
  readonly root: vscode.Uri;
  readonly model?: Model;
  readonly problems: readonly Problem[];
  readonly ownershipPaths: readonly string[];
  readonly source: SourceInfo;
  readonly changes: readonly Change[];
  readonly changeByPath: ReadonlyMap<string, Change>;
  readonly verdict?: Verdict;
  /** Normalised handles of the git user, for the `mine` filter. */
  readonly me: ReadonlySet<string>;
  /** Why the change could not be analysed (e.g. an unknown base ref), or why git is off. */
  readonly error?: string;
  /** Completed analyses so far; tests wait for it to move. */
  readonly generation: number;
  readonly durationMs: number;
}

/** What a folder store needs from the rest of the extension. */
export interface FolderEnv {
  isTrusted(): boolean;
  config(folder: vscode.WorkspaceFolder): OwnershipConfig;
  sourceChoice(): SourceChoice | undefined;
  /** `Ownership-Waived` values in the Source Control box of the repository at `root` (the next commit's message). */
  messageWaivers(root: vscode.Uri): Promise<string[]>;
  log: vscode.LogOutputChannel;
}

/** Invalidation flags of a refresh request. */
export interface RefreshRequest {
  /** An OWNERSHIP.yml's text changed (on disk or in an editor). */
  model?: boolean;
  /** An OWNERSHIP.yml was created or deleted: find them again (a working-tree scan, slow in big repositories). */
  ownershipFiles?: boolean;
  /** Files were created or deleted, or the index moved: the tracked-file list is stale. */
  files?: boolean;
}

const EMPTY_VERDICT_SOURCE: SourceInfo = { kind: 'staged', label: 'staged changes' };

function describe(kind: ChangesKind, base?: string): string {
  return kind === 'staged' ? 'staged changes' : kind === 'working' ? 'working tree changes' : `changes since ${base}`;
}

export class FolderStore implements vscode.Disposable {
  private _snapshot: FolderSnapshot;
  private readonly _onDidChange = new vscode.EventEmitter<FolderStore>();
  readonly onDidChange = this._onDidChange.event;
  private readonly scheduler: RefreshScheduler;
  /** undefined: not opened yet; null: not a repository (re-checked on every run). */
  private git: Git | null | undefined;
  private modelStale = true;
  /** Where the OWNERSHIP.yml files are; kept across text edits. */
  private ownershipFileList: string[] | undefined;
  private trackedPromise: Promise<string[] | undefined> | undefined;
  private inventoryCache: { model: Model; tracked: Promise<string[] | undefined>; value: Promise<Map<string, Map<string, string[]>>> } | undefined;
  private identity: { name?: string; email?: string } | undefined;
  /** The folder's path inside the repository ('' at the root), for folder-relative file lists. */
  private folderPrefix = '';
  private folderFilesCache: { from: string[]; files: string[] } | undefined;
  private trackedInvalidated = false;
  private readonly _onDidChangeTrackedFiles = new vscode.EventEmitter<void>();
  /** Fires after an analysis when files were created or deleted or the index moved since the last one. */
  readonly onDidChangeTrackedFiles = this._onDidChangeTrackedFiles.event;
  /** Analyses that failed unexpectedly (logged once each); a broken repository must not spam. */
  analysisErrors = 0;
  /** The last inventory: how many files, in how many chunks (the event loop ran between them). */
  lastInventory: { files: number; chunks: number } | undefined;
  /** Fires when the repository is found, so the live triggers can watch its index and HEAD. */
  private readonly _onDidOpenGit = new vscode.EventEmitter<Git>();
  readonly onDidOpenGit = this._onDidOpenGit.event;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly env: FolderEnv,
  ) {
    this._snapshot = {
      state: 'loading',
      restricted: !env.isTrusted(),
      root: folder.uri,
      problems: [],
      ownershipPaths: [],
      source: EMPTY_VERDICT_SOURCE,
      changes: [],
      changeByPath: new Map(),
      me: new Set(),
      generation: 0,
      durationMs: 0,
    };
    this.scheduler = new RefreshScheduler(() => this.run(), () => this.env.config(this.folder).debounceMs);
  }

  get snapshot(): FolderSnapshot {
    return this._snapshot;
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
    this.git = undefined;
    this.ownershipFileList = undefined;
    this.identity = undefined;
    return this.refreshNow();
  }

  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  private invalidate(what: RefreshRequest): void {
    if (what.model || what.ownershipFiles) this.modelStale = true;
    if (what.ownershipFiles) this.ownershipFileList = undefined;
    if (what.files) {
      this.trackedPromise = undefined;
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

  /** The features and criteria `uri` belongs to; undefined when there is no model or it is outside. */
  classify(uri: vscode.Uri): { path: string; memberships: Membership[]; ignored: boolean } | undefined {
    const model = this._snapshot.model;
    const path = this.relativePath(uri);
    if (!model || path === undefined) return undefined;
    return { path, ...classify(model, path) };
  }

  /**
   * Paths of the files in the repository (tracked files; in restricted mode, files found without
   * git), relative to `snapshot.root`. Cached until files are created or deleted or the index moves.
   */
  trackedFiles(): Promise<string[] | undefined> {
    this.trackedPromise ??= this.listFiles().catch((e) => {
      this.env.log.warn(`${this.folder.name}: cannot list files: ${(e as Error).message}`);
      return undefined;
    });
    return this.trackedPromise;
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

  private async listFiles(): Promise<string[] | undefined> {
    if (!this.env.isTrusted()) {
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, '**/*'), undefined, 200_000);
      return found.map((u) => this.relativePath(u)).filter((p): p is string => p !== undefined).sort();
    }
    const git = await this.openGit();
    return git ? git.trackedFiles() : undefined;
  }

  /** Per feature and criterion, the files it covers (tracked files plus added ones). Computed on demand. */
  inventory(): Promise<Map<string, Map<string, string[]>>> | undefined {
    const { model, changes } = this._snapshot;
    if (!model) return undefined;
    const tracked = this.trackedFiles();
    if (this.inventoryCache?.model === model && this.inventoryCache.tracked === tracked) return this.inventoryCache.value;
    const value = tracked.then(async (files) => {
      const paths = new Set(files ?? []);
      for (const c of changes) if (c.status !== 'D') paths.add(c.path);
      const r = await inventoryInChunks(model, [...paths]);
      this.lastInventory = { files: paths.size, chunks: r.chunks };
      return r.value;
    });
    this.inventoryCache = { model, tracked, value };
    return value;
  }

  private async openGit(): Promise<Git | undefined> {
    // A repository can vanish under us (.git removed or moved): look for it again.
    if (this.git && !existsSync(this.git.gitDir)) this.git = undefined;
    if (this.git) return this.git;
    try {
      this.git = await Git.open(this.folder.uri.fsPath);
      // git reports the root with symlinks resolved, so compare real paths.
      const rel = relative(this.git.root, realpathSync(this.folder.uri.fsPath));
      this.folderPrefix = rel && !rel.startsWith('..') ? rel.split(sep).join('/') : '';
    } catch (e) {
      if (!(e instanceof GitFailure)) throw e;
      this.git = null;
      this.env.log.info(`${this.folder.name}: ${e.message}`);
      return undefined;
    }
    this._onDidOpenGit.fire(this.git);
    return this.git;
  }

  private update(next: Partial<FolderSnapshot>, started: number): void {
    this._snapshot = { ...this._snapshot, ...next, generation: this._snapshot.generation + 1, durationMs: Date.now() - started };
    this._onDidChange.fire(this);
    if (this.trackedInvalidated) {
      this.trackedInvalidated = false;
      this._onDidChangeTrackedFiles.fire();
    }
  }

  /** OWNERSHIP.yml texts as the user sees them: unsaved editor text wins over the file on disk. */
  private async readTexts(root: vscode.Uri, paths: string[]): Promise<{ texts: Map<string, string>; problems: Problem[] }> {
    const overlays = new Map<string, string>();
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== 'file' || basename(doc.uri.fsPath) !== FILE_NAME || !doc.isDirty) continue;
      const rel = relative(root.fsPath, doc.uri.fsPath);
      if (rel && !rel.startsWith('..')) overlays.set(rel.split(sep).join('/'), doc.getText());
    }
    const texts = new Map<string, string>();
    const problems: Problem[] = [];
    const all = [...new Set([...paths, ...overlays.keys()])].sort();
    await Promise.all(all.map(async (p) => {
      const overlay = overlays.get(p);
      if (overlay !== undefined) return void texts.set(p, overlay);
      const r = await readOwnershipText(root.fsPath, p);
      if (r?.problem) problems.push(r.problem);
      else if (r?.text !== undefined) texts.set(p, r.text);
    }));
    return { texts: new Map([...texts].sort(([a], [b]) => a.localeCompare(b))), problems };
  }

  private async run(): Promise<void> {
    const started = Date.now();
    try {
      if (!existsSync(this.folder.uri.fsPath)) {
        // Deleted under the editor: say so once and forget the repository; every later event finds the same.
        this.git = undefined;
        this.modelStale = true;
        this.ownershipFileList = undefined;
        this.trackedPromise = undefined;
        if (this._snapshot.state === 'gone') return;
        return this.update({ state: 'gone', root: this.folder.uri, model: undefined, verdict: undefined, problems: [], ownershipPaths: [], changes: [], changeByPath: new Map(), error: `${this.folder.uri.fsPath} no longer exists` }, started);
      }
      if (!this.env.isTrusted()) return await this.runRestricted(started);
      const git = await this.openGit();
      if (!git) {
        this.modelStale = true;
        this.ownershipFileList = undefined;
        return this.update({ state: 'notGit', restricted: false, root: this.folder.uri, model: undefined, verdict: undefined, error: `${this.folder.name} is not a git repository` }, started);
      }
      const root = vscode.Uri.file(git.root);
      let model = this._snapshot.model;
      let { problems, ownershipPaths } = this._snapshot;
      if (this.modelStale || this._snapshot.restricted) {
        this.modelStale = false;
        this.ownershipFileList ??= await git.ownershipFiles();
        const read = await this.readTexts(root, this.ownershipFileList);
        const disk = parseCache(git.gitDir);
        const parsed = new Map<string, ParseResult>();
        for (const [path, text] of read.texts) parsed.set(path, await parseMemoDisk(text, path, disk));
        const loaded = buildModel(read.texts, read.problems, (_text, path) => parsed.get(path)!);
        model = loaded.model;
        problems = loaded.problems;
        ownershipPaths = loaded.paths;
        const [name, email] = await Promise.all([git.config('user.name'), git.config('user.email')]);
        this.identity = { name, email };
      }
      const me = identityHandles({ ...this.identity, extra: this.env.config(this.folder).me });
      if (ownershipPaths.length === 0) return this.update({ state: 'noFile', restricted: false, root, model: undefined, verdict: undefined, problems, ownershipPaths, me, error: undefined }, started);
      if (problems.some((p) => p.severity === 'error')) return this.update({ state: 'invalid', restricted: false, root, model: undefined, verdict: undefined, problems, ownershipPaths, me, error: undefined }, started);

      const resolved = await this.resolveSource(git);
      const { changeSource } = resolved;
      let { source } = resolved;
      let changes: Change[] = [];
      let waivers: string[] = [];
      let error: string | undefined;
      try {
        if (changeSource.kind === 'range') {
          const r = await git.rangeChanges(changeSource.base, changeSource.head);
          changes = r.changes;
          source = { ...source, from: r.from };
          waivers = await git.rangeWaivers(r.from, r.to);
        } else {
          changes = await git.changes(changeSource);
          // Staged changes are the next commit: the waivers typed in its message already count.
          if (changeSource.kind === 'staged') waivers = await this.env.messageWaivers(root);
        }
      } catch (e) {
        if (!(e instanceof GitFailure)) throw e;
        error = e.message;
      }
      const verdict = analyze(model!, changes, parseWaivers(waivers));
      const changeByPath = new Map<string, Change>();
      for (const c of changes) {
        changeByPath.set(c.path, c);
        if (c.oldPath && c.status === 'R') changeByPath.set(c.oldPath, { status: 'D', path: c.oldPath });
      }
      this.update({ state: 'ready', restricted: false, root, model, problems, ownershipPaths, source, changes, changeByPath, verdict, me, error }, started);
    } catch (e) {
      this.analysisErrors++;
      this.env.log.error(`${this.folder.name}: analysis failed: ${(e as Error).stack ?? e}`);
      this.update({ error: `analysis failed: ${(e as Error).message}` }, started);
    } finally {
      this.env.log.trace(`${this.folder.name}: analysis ${this._snapshot.generation} took ${Date.now() - started} ms`);
    }
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

  /** Restricted mode: read OWNERSHIP.yml files found by VS Code's file search; never run git. */
  private async runRestricted(started: number): Promise<void> {
    const root = this.folder.uri;
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, `**/${FILE_NAME}`), '**/node_modules/**', 1000);
    const paths = found.map((u) => relative(root.fsPath, u.fsPath).split(sep).join('/'));
    const read = await this.readTexts(root, paths);
    // Untrusted: nothing is written under the repository, so only the in-memory parse is shared.
    const loaded = buildModel(read.texts, read.problems, parseMemo);
    const base = { restricted: true, root, problems: loaded.problems, ownershipPaths: loaded.paths, changes: [], changeByPath: new Map(), me: new Set<string>(), error: undefined };
    if (loaded.paths.length === 0) return this.update({ ...base, state: 'noFile', model: undefined, verdict: undefined }, started);
    if (loaded.problems.some((p) => p.severity === 'error')) return this.update({ ...base, state: 'invalid', model: undefined, verdict: undefined }, started);
    this.modelStale = true; // re-read with git once trusted
    this.update({ ...base, state: 'ready', model: loaded.model, verdict: analyze(loaded.model, []) }, started);
  }

  dispose(): void {
    this.scheduler.dispose();
    this._onDidChange.dispose();
    this._onDidOpenGit.dispose();
    this._onDidChangeTrackedFiles.dispose();
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
