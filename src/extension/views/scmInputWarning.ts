// A warning on the Source Control commit-message box listing the gaps of the current change, the
// way the built-in Git extension flags long lines: a diagnostic on the input box's document
// (scheme `vscode-scm`). Its URI names the repository in a `rootUri` query parameter, which picks
// the folder whose analysis applies.
import * as vscode from 'vscode';
import { gapSentence } from '../../core/format';
import { changed, readConfig } from '../config';
import type { OwnershipStore } from '../analysis/ownershipStore';

const SCM_SCHEME = 'vscode-scm';

/** The warning text for the commit box of the repository `rootUri` (all folders when unknown). */
export function scmWarningText(store: OwnershipStore, rootUri: vscode.Uri | undefined): string | undefined {
  const stores = rootUri ? store.storesInRoot(rootUri) : store.folders;
  const sentences: string[] = [];
  let gaps = 0;
  let label = '';
  for (const s of stores) {
    const snap = s.snapshot;
    if (snap.state !== 'ready' || snap.restricted || !snap.verdict) continue;
    gaps += snap.verdict.summary.gaps;
    label = snap.source.label;
    for (const f of snap.verdict.features) if (f.gaps.length) sentences.push(gapSentence(f));
  }
  if (!gaps) return undefined;
  return `Ownership: the ${label} leave ${gaps} gap${gaps === 1 ? '' : 's'}. ${sentences.join('; ')}. Add the missing files, or waive with "Ownership-Waived: <feature>/<criterion> <reason>".`;
}

function rootOf(uri: vscode.Uri): vscode.Uri | undefined {
  const root = new URLSearchParams(uri.query).get('rootUri');
  if (!root) return undefined;
  try {
    return vscode.Uri.parse(root);
  } catch {
    return undefined;
  }
}

export function registerScmInputWarning(store: OwnershipStore): vscode.Disposable {
  const diagnostics = vscode.languages.createDiagnosticCollection('ownership-scm');
  const update = (doc: vscode.TextDocument) => {
    if (doc.uri.scheme !== SCM_SCHEME) return;
    const text = readConfig().scmInputWarning ? scmWarningText(store, rootOf(doc.uri)) : undefined;
    if (!text) return diagnostics.delete(doc.uri);
    const first = doc.lineAt(0).range;
    const d = new vscode.Diagnostic(first, text, vscode.DiagnosticSeverity.Warning);
    d.source = 'Ownership';
    d.code = 'gaps';
    diagnostics.set(doc.uri, [d]);
  };
  const updateAll = () => vscode.workspace.textDocuments.forEach(update);
  updateAll();
  return vscode.Disposable.from(
    diagnostics,
    store.onDidChange(updateAll),
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((e) => update(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => doc.uri.scheme === SCM_SCHEME && diagnostics.delete(doc.uri)),
    vscode.workspace.onDidChangeConfiguration((e) => changed(e, 'scmInputWarning.enabled') && updateAll()),
  );
}
