// Problems in every OWNERSHIP.yml, in the Problems panel at their exact ranges: a view of the
// folder stores' results (src/node/folderAnalysis.ts reads, parses and compiles the files once for
// the Features view, the status bar and this panel), so a file the analysis cannot use always has
// its reason here — a parse error, a duplicate id across folders of one repository, a symbolic link
// leading outside the repository — and a sparse-checkout file is read as the CLI reads it. Added
// here: globs that match no tracked file (warnings). Unsaved text counts, so problems follow typing.
// A file lists at most 100 errors and 100 warnings, the rest counted in one more (core/problemCap.ts).
import * as vscode from 'vscode';
import { capProblems } from '../../core/problemCap';
import type { Problem, SourceRange } from '../../core/types';
import type { Probe } from '../../node/probe';
import { Disposable } from '../disposable';
import { noMatchCandidatesMemo, type TrackedMatchCache } from './ownershipFileShared';
import type { OwnershipStore } from '../analysis/ownershipStore';

const SOURCE = 'ownership';

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

export class OwnershipDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection(SOURCE));
  private running: Promise<void> | undefined;
  private again = false;
  /**
   * The no-match warnings per file, with the text and tracked-file counts they were made from:
   * `git add` of modified files changes neither, and recomputing them blocked for hundreds of ms.
   */
  private readonly unmatchedMemo = new Map<string, { text: string; counts: object; problems: Problem[] }>();

  constructor(private readonly store: OwnershipStore, private readonly matches: TrackedMatchCache, private readonly probe: Probe) {
    super();
    this.register(store.onDidChange(() => this.schedule()));
    this.register(store.onDidChangeTrackedFiles(() => this.schedule()));
    this.schedule();
  }

  private schedule(): void {
    if (this.disposed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.probe.count('diagnostics.started');
    this.running = this.refresh()
      .catch((e) => console.error(`[ownership] diagnostics: ${(e as Error)?.stack ?? e}`))
      .finally(() => {
        this.probe.count('diagnostics.finished');
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      });
  }

  private async refresh(): Promise<void> {
    const next = new Map<string, { uri: vscode.Uri; problems: Problem[] }>();
    for (const s of this.store.folders) {
      const snap = s.snapshot;
      // Folders of one repository share its files: the first folder's results stand for all.
      const tracked = snap.restricted || snap.state === 'notGit' ? undefined : await s.trackedFiles();
      for (const f of snap.files) {
        const uri = s.uriOf(f.path);
        const key = uri.toString();
        if (next.has(key)) continue;
        const problems = [...f.problems];
        if (tracked && f.text !== undefined && f.parsed) problems.push(...(await this.unmatched(key, f.path, f.text, tracked)));
        next.set(key, { uri, problems });
      }
    }
    if (this.disposed) return;
    for (const key of this.unmatchedMemo.keys()) if (!next.has(key)) this.unmatchedMemo.delete(key);
    this.collection.forEach((uri) => { if (!next.has(uri.toString())) this.collection.delete(uri); });
    // At most MAX_PROBLEMS_PER_FILE errors and as many warnings per file, the rest counted in one more.
    for (const { uri, problems } of next.values()) this.collection.set(uri, capProblems(problems).map(toDiagnostic));
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
    const { sites, globs } = await noMatchCandidatesMemo(text, path, this.probe, this.store.engine);
    const counts = await this.matches.count(tracked, globs);
    const out: Problem[] = [];
    for (const [i, s] of sites.entries()) {
      if (counts.get(globs[i]!)?.count !== 0) continue;
      const where = s.feature ? `feature "${s.feature}", ${s.list}` : `defaults, ${s.list}`;
      out.push({ file: path, line: s.line, col: s.col, endLine: s.endLine, endCol: s.endCol, severity: 'warning', code: 'no-match', message: `"${s.pattern}" matches no tracked file (${where}): check the path, or drop the glob` });
    }
    return out;
  }
}
