// Problems in every OWNERSHIP.yml of the workspace, in the Problems panel at their exact ranges:
// everything the core parser reports, feature ids declared twice across files, and globs that
// match no tracked file. Open editors count with their unsaved text, so problems follow typing.
import * as vscode from 'vscode';
import { globError, normalizeGlob } from '../core/glob';
import { FILE_NAME, MAX_FILE_BYTES } from '../core/parse';
import { compileModel } from '../core/model';
import type { OwnershipFile, Problem, SourceRange } from '../core/types';
import { parseMemo } from './parseMemo';
import { globSitesMemo, isOwnershipDocument, relativePath, type OwnershipFileDeps, type TrackedMatchCache } from './ownershipFileShared';

const SOURCE = 'ownership';
/** Typing pauses shorter than this are one edit. */
const EDIT_DEBOUNCE_MS = 200;

/** Core ranges are 1-based, VS Code's 0-based; both end exclusive. */
export function toRange(r: SourceRange): vscode.Range {
  return new vscode.Range(Math.max(r.line - 1, 0), Math.max(r.col - 1, 0), Math.max(r.endLine - 1, 0), Math.max(r.endCol - 1, 0));
}

function toDiagnostic(p: Problem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(p), p.message, p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error);
  d.source = SOURCE;
  d.code = p.code;
  return d;
}

/** The text of an OWNERSHIP.yml (unsaved text when open), a reason it cannot be read, or undefined when it is gone. */
async function readText(uri: vscode.Uri): Promise<{ text?: string; problem?: string } | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { text: open.getText() };
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
    return { problem: `cannot read ${FILE_NAME}: ${(e as Error).message}` };
  }
  if (bytes.length > MAX_FILE_BYTES) return { problem: `${FILE_NAME} is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB: split it into one ${FILE_NAME} per folder` };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { problem: `${FILE_NAME} is not valid UTF-8: save it as UTF-8` };
  }
}

/** Refresh runs started and finished (one at a time), for the tests: "a run that began after X has ended". */
const runs = { started: 0, finished: 0 };
export function diagnosticRuns(): Readonly<typeof runs> {
  return { ...runs };
}

export class OwnershipDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(SOURCE);
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private disposed = false;
  /** Found with findFiles; kept until an OWNERSHIP.yml is created or deleted. */
  private files: Promise<vscode.Uri[]> | undefined;
  /**
   * The no-match warnings per file, with the text and tracked-file counts they were made from:
   * `git add` of modified files changes neither, and recomputing them blocked for hundreds of ms.
   */
  private readonly unmatchedMemo = new Map<string, { text: string; counts: object; problems: Problem[] }>();

  constructor(private readonly deps: OwnershipFileDeps, private readonly matches: TrackedMatchCache) {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${FILE_NAME}`);
    // Deleting a folder reports the folder only: its OWNERSHIP.yml files go with it.
    const deletions = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
    const rescan = () => { this.files = undefined; this.schedule(0); };
    this.disposables.push(
      watcher,
      deletions,
      deletions.onDidDelete((uri) => {
        const prefix = `${uri.toString()}/`;
        let known = false;
        this.collection.forEach((u) => { known ||= u.toString().startsWith(prefix); });
        if (known) rescan();
      }),
      watcher.onDidCreate(rescan),
      watcher.onDidDelete(rescan),
      watcher.onDidChange((uri) => { if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) this.schedule(0); }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (isOwnershipDocument(e.document) && e.contentChanges.length) this.schedule(EDIT_DEBOUNCE_MS); }),
      // Opening shows unsaved text; closing an edited file without saving falls back to disk.
      vscode.workspace.onDidOpenTextDocument((d) => { if (isOwnershipDocument(d)) this.schedule(0); }),
      vscode.workspace.onDidCloseTextDocument((d) => { if (isOwnershipDocument(d)) this.schedule(0); }),
      vscode.workspace.onDidChangeWorkspaceFolders(rescan),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule(0)),
    );
    if (deps.onDidChangeTrackedFiles) this.disposables.push(deps.onDidChangeTrackedFiles(() => this.schedule(EDIT_DEBOUNCE_MS)));
    this.schedule(0);
  }

  /** Resolves once the problems reflect the workspace as it is now (tests and callers wait on it). */
  async settled(): Promise<void> {
    while (this.timer || this.running) {
      if (this.running) await this.running;
      else await new Promise((r) => setTimeout(r, 10));
    }
  }

  schedule(delayMs: number): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.running) { this.again = true; return; }
      runs.started++;
      this.running = this.refresh()
        .catch((e) => console.error(`[ownership] diagnostics: ${(e as Error)?.stack ?? e}`))
        .finally(() => {
          runs.finished++;
          this.running = undefined;
          if (this.again) { this.again = false; this.schedule(0); }
        });
    }, delayMs);
  }

  private async refresh(): Promise<void> {
    this.files ??= Promise.resolve(vscode.workspace.findFiles(`**/${FILE_NAME}`, '**/node_modules/**'));
    const uris = new Map<string, vscode.Uri>();
    for (const u of await this.files) uris.set(u.toString(), u);
    for (const d of vscode.workspace.textDocuments) if (isOwnershipDocument(d) && d.uri.scheme !== 'untitled') uris.set(d.uri.toString(), d.uri);

    // Files of one workspace folder form one model: ids must be unique across them.
    const groups = new Map<string, { folder?: vscode.WorkspaceFolder; uris: vscode.Uri[] }>();
    for (const uri of uris.values()) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      const key = folder?.uri.toString() ?? uri.toString();
      const g = groups.get(key) ?? { folder, uris: [] };
      g.uris.push(uri);
      groups.set(key, g);
    }
    const next = new Map<string, vscode.Diagnostic[]>();
    await Promise.all([...groups.values()].map(async (g) => {
      const byPath = new Map<string, { uri: vscode.Uri; text?: string; problems: Problem[] }>();
      const parsed: OwnershipFile[] = [];
      for (const uri of g.uris) {
        const path = g.folder ? relativePath(g.folder.uri, uri) : FILE_NAME;
        const r = await readText(uri);
        if (!r) { this.files = undefined; continue; }
        const entry = { uri, text: r.text, problems: [] as Problem[] };
        byPath.set(path, entry);
        if (r.problem !== undefined) {
          entry.problems.push({ file: path, line: 1, col: 1, endLine: 1, endCol: 1, severity: 'error', code: 'unreadable', message: r.problem });
          continue;
        }
        const result = parseMemo(r.text!, path);
        entry.problems.push(...result.problems);
        if (result.file) parsed.push(result.file);
      }
      for (const p of compileModel(parsed).problems) byPath.get(p.file)?.problems.push(p);
      const tracked = g.folder ? await this.deps.trackedFiles(g.folder.uri) : undefined;
      if (tracked) {
        for (const [path, entry] of byPath) if (entry.text !== undefined && parsed.some((f) => f.path === path)) entry.problems.push(...(await this.unmatched(entry.uri.toString(), path, entry.text, tracked)));
      }
      for (const entry of byPath.values()) next.set(entry.uri.toString(), entry.problems.map(toDiagnostic));
    }));
    if (this.disposed) return;
    for (const key of this.unmatchedMemo.keys()) if (!next.has(key)) this.unmatchedMemo.delete(key);
    this.collection.forEach((uri) => { if (!next.has(uri.toString())) this.collection.delete(uri); });
    for (const [key, diagnostics] of next) this.collection.set(uris.get(key)!, diagnostics);
  }

  /** Warnings for the globs of one file that match no tracked file: most often typos. */
  private async unmatched(key: string, path: string, text: string, tracked: readonly string[]): Promise<Problem[]> {
    const counts = this.matches.knownFor(tracked);
    const memo = this.unmatchedMemo.get(key);
    if (memo && memo.text === text && memo.counts === counts) return memo.problems;
    const problems = await this.computeUnmatched(path, text, tracked);
    // Only after matching: the counts object of this list is the one that now holds its globs.
    this.unmatchedMemo.set(key, { text, counts: this.matches.knownFor(tracked), problems });
    return problems;
  }

  private async computeUnmatched(path: string, text: string, tracked: readonly string[]): Promise<Problem[]> {
    const base = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    // `ignore` globs name files that may well be untracked (build output); `!` globs only subtract.
    // Invalid globs already have an error of their own.
    const sites = globSitesMemo(text).filter((s) => s.list !== 'ignore' && !s.pattern.startsWith('!') && !globError(s.pattern));
    const counts = await this.matches.getInChunks(tracked, sites.map((s) => normalizeGlob(s.pattern, base).glob));
    const out: Problem[] = [];
    for (const s of sites) {
      const glob = normalizeGlob(s.pattern, base).glob;
      if (counts.get(glob)?.count !== 0) continue;
      const where = s.feature ? `feature "${s.feature}", ${s.list}` : `defaults, ${s.list}`;
      out.push({ file: path, line: s.line, col: s.col, endLine: s.endLine, endCol: s.endCol, severity: 'warning', code: 'no-match', message: `"${s.pattern}" matches no tracked file (${where}): check the path, or drop the glob` });
    }
    return out;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
