// Acting on a gap where it is shown: "Add Missing Piece" (create or open the file the repository's
// layout calls for), "Waive…" (a trailer in the Source Control box, one reason per gap), "Copy
// Owners", and "Complete This Change…" (every gap of the change in one quick pick). Offered on
// tree rows, as quick fixes on the commit box's warning, in the status-bar tooltip and in the
// commit prompt. The planning is VS Code-free (src/core/addMissing.ts, src/node/addMissing.ts);
// this file asks, opens and stages.
import * as vscode from 'vscode';
import { registerCommand } from './commandCenter';
import { addWaiverTrailer, waiverValues } from '../core/commitMessage';
import type { FeatureDef, FeatureVerdict } from '../core/types';
import { applyStep, planGap, stageIfCodeStaged } from '../node/addMissing';
import { Git } from '../node/git';
import { readConfig } from './config';
import type { FolderStore } from './analysis/folderStore';
import { getGitApi, type GitRepository } from './analysis/gitExtension';
import { Commands } from './ids';
import type { OwnershipStore } from './analysis/ownershipStore';

/** One gap of the analysed change. */
interface Gap {
  store: FolderStore;
  feature: FeatureDef;
  verdict: FeatureVerdict;
  criterion: string;
}

/** How a command names a gap: a tree row, or plain ids (keybindings, tests, quick fixes). */
type GapArg =
  | { kind: 'criterion'; store: FolderStore; feature: FeatureDef; name: string }
  | { feature: string; criterion: string; folder?: string; choice?: string; reason?: string };

interface AddResult {
  kind: 'created' | 'opened' | 'inserted' | 'revealed';
  /** Repository-relative path of the file shown. */
  path: string;
  staged: boolean;
}

/** Every gap of the analysed change, in the folders under `root` (all folders without it). */
function currentGaps(store: OwnershipStore, root?: vscode.Uri): Gap[] {
  const stores = root ? store.storesInRoot(root) : store.folders;
  const out: Gap[] = [];
  for (const s of stores) {
    const snap = s.snapshot;
    if (snap.state !== 'ready' || snap.restricted || !snap.model || !snap.verdict) continue;
    snap.verdict.features.forEach((verdict, i) => {
      const feature = snap.model!.features[i];
      if (feature) for (const criterion of verdict.gaps) out.push({ store: s, feature, verdict, criterion });
    });
  }
  return out;
}

function gapFromArg(store: OwnershipStore, arg: unknown): Gap | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as Partial<GapArg> & Record<string, unknown>;
  if (a.kind === 'criterion' && typeof a.name === 'string' && a.feature && typeof a.feature === 'object') {
    const id = (a.feature as FeatureDef).id;
    return currentGaps(store).find((g) => g.store === a.store && g.feature.id === id && g.criterion === a.name);
  }
  if (typeof a.feature === 'string' && typeof a.criterion === 'string') {
    const folder = typeof a.folder === 'string' ? a.folder : undefined;
    return currentGaps(store).find((g) => g.feature.id === a.feature && g.criterion === a.criterion && (folder === undefined || g.store.folder.uri.fsPath === folder || g.store.folder.name === folder));
  }
  return undefined;
}

function gapLabel(g: Gap): string {
  return `${g.feature.name}: ${g.criterion}`;
}

async function pickGap(store: OwnershipStore, title: string): Promise<Gap | undefined> {
  const gaps = currentGaps(store);
  if (gaps.length <= 1) {
    if (!gaps.length) void vscode.window.showInformationMessage('Ownership: the analysed change leaves no gap.');
    return gaps[0];
  }
  const picked = await vscode.window.showQuickPick(gaps.map((g) => ({ label: gapLabel(g), description: g.feature.owners.join(' '), g })), { title });
  return picked?.g;
}

/** The Source Control repository (its input box) of a folder's analysed root. */
async function repositoryOf(root: vscode.Uri): Promise<GitRepository | undefined> {
  const api = await getGitApi();
  return api?.repositories.find((r) => r.rootUri.fsPath === root.fsPath);
}

/** "Add Missing Piece": creates or opens the file for one gap and stages it when the code is staged. */
async function addMissing(store: OwnershipStore, arg?: unknown): Promise<AddResult | undefined> {
  const gap = gapFromArg(store, arg) ?? (arg === undefined ? await pickGap(store, 'Add the missing piece for which gap?') : undefined);
  if (!gap) return undefined;
  const snap = gap.store.snapshot;
  const git = await Git.open(snap.root.fsPath);
  const repo = await repositoryOf(snap.root);
  const changedCode = gap.verdict.changed.code ?? [];
  let choice = arg && typeof arg === 'object' && typeof (arg as { choice?: unknown }).choice === 'string' ? (arg as { choice: string }).choice : undefined;
  let step = await planGap(git, { feature: gap.feature, criterion: gap.criterion, changedCode, message: repo?.inputBox.value, choice });
  while (step.kind === 'choose') {
    const picked = await vscode.window.showQuickPick(step.choices.map((c) => ({ label: c.label, value: c.value })), { title: step.question });
    if (!picked) return undefined;
    choice = picked.value;
    step = await planGap(git, { feature: gap.feature, criterion: gap.criterion, changedCode, message: repo?.inputBox.value, choice });
  }
  if (step.kind === 'reveal') {
    const pos = new vscode.Position(step.range.line - 1, step.range.col - 1);
    const end = new vscode.Position(step.range.endLine - 1, step.range.endCol - 1);
    await vscode.window.showTextDocument(vscode.Uri.joinPath(snap.root, step.file), { selection: new vscode.Range(pos, end) });
    void vscode.window.showInformationMessage(`Ownership: ${step.why}. Add a file its globs match, or waive it.`);
    return { kind: 'revealed', path: step.file, staged: false };
  }
  const uri = vscode.Uri.joinPath(snap.root, step.path);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty && step.kind === 'insert') {
    // Its unsaved text is not what was planned against: show it rather than write under it.
    await vscode.window.showTextDocument(open);
    void vscode.window.showWarningMessage(`Ownership: ${step.path} has unsaved changes; save it and run Add Missing Piece again.`);
    return { kind: 'opened', path: step.path, staged: false };
  }
  const applied = applyStep(snap.root.fsPath, step);
  const doc = await vscode.workspace.openTextDocument(uri);
  const cursor = applied.cursor ? new vscode.Position(applied.cursor.line, applied.cursor.character) : undefined;
  await vscode.window.showTextDocument(doc, cursor ? { selection: new vscode.Range(cursor, cursor) } : {});
  const staged = step.kind === 'open' ? false : await stageIfCodeStaged(git, applied.path, changedCode, readConfig(gap.store.folder).addMissingStage);
  gap.store.request({ files: true });
  return { kind: step.kind === 'create' ? 'created' : step.kind === 'insert' ? 'inserted' : 'opened', path: applied.path, staged };
}

/**
 * "Waive…": one trailer per chosen gap, each with its own reason, in the Source Control box of the
 * gap's repository, where the commit-msg hook would put it. Returns the new message per repository.
 */
async function waive(store: OwnershipStore, arg?: unknown): Promise<string[] | undefined> {
  let gaps: Gap[];
  const given = gapFromArg(store, arg);
  if (given) gaps = [given];
  else if (arg !== undefined) return undefined;
  else {
    const all = currentGaps(store);
    if (!all.length) {
      void vscode.window.showInformationMessage('Ownership: the analysed change leaves no gap to waive.');
      return undefined;
    }
    const picked = all.length === 1 ? all : (await vscode.window.showQuickPick(all.map((g) => ({ label: gapLabel(g), description: g.feature.owners.join(' '), picked: true, g })), { title: 'Waive which gaps?', canPickMany: true }))?.map((p) => p.g);
    if (!picked?.length) return undefined;
    gaps = picked;
  }
  const presetReason = arg && typeof arg === 'object' && typeof (arg as { reason?: unknown }).reason === 'string' ? (arg as { reason: string }).reason : undefined;
  const messages: string[] = [];
  let last = '';
  for (const g of gaps) {
    const reason = presetReason ?? (await vscode.window.showInputBox({
      title: `Waive ${g.feature.id}/${g.criterion}`,
      prompt: `Why does this change leave ${g.feature.name}'s ${g.criterion} behind? Recorded in the commit message.`,
      placeHolder: 'e.g. tests follow in the next pull request',
      value: last,
      ignoreFocusOut: true,
    }));
    if (reason === undefined) break;
    last = reason;
    const repo = await repositoryOf(g.store.snapshot.root);
    if (!repo) {
      void vscode.window.showWarningMessage(`Ownership: no Source Control box for ${g.store.folder.name}; add "Ownership-Waived: ${g.feature.id}/${g.criterion} ${reason}" to the commit message.`);
      continue;
    }
    const git = await Git.open(g.store.snapshot.root.fsPath);
    const commentChar = (await git.config('core.commentChar')) ?? '#';
    repo.inputBox.value = addWaiverTrailer(repo.inputBox.value, g.feature.id, g.criterion, reason, commentChar === 'auto' ? '#' : commentChar);
    messages.push(repo.inputBox.value);
    g.store.request({});
  }
  return messages;
}

/** "Copy Owners": `@payments @web-platform` on the clipboard, for a PR description or a chat. */
async function copyOwners(store: OwnershipStore, arg?: unknown): Promise<string | undefined> {
  let feature: FeatureDef | undefined;
  if (arg && typeof arg === 'object' && 'feature' in arg && typeof (arg as { feature: unknown }).feature === 'object') feature = (arg as { feature: FeatureDef }).feature;
  else if (typeof arg === 'string') feature = store.folders.flatMap((s) => s.snapshot.model?.features ?? []).find((f) => f.id === arg);
  else {
    const items = store.folders.flatMap((s) => (s.snapshot.model?.features ?? []).map((f) => ({ label: f.name, description: f.owners.join(' '), f })));
    feature = (await vscode.window.showQuickPick(items, { title: 'Copy the owners of which feature?' }))?.f;
  }
  if (!feature) return undefined;
  if (!feature.owners.length) {
    void vscode.window.showInformationMessage(`Ownership: ${feature.name} has no owners in ${feature.file}.`);
    return '';
  }
  const text = feature.owners.join(' ');
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(`Copied ${text}`, 3000);
  return text;
}

type CompleteItem = vscode.QuickPickItem & { gap?: Gap; action?: 'add' | 'waive' };

/**
 * "Complete This Change…": every gap, each with "Add" and "Waive…", again after each action until
 * no gap is left or the user is done. Returns what was done.
 */
async function completeChange(store: OwnershipStore): Promise<string[]> {
  const done: string[] = [];
  for (;;) {
    const gaps = currentGaps(store);
    if (!gaps.length) {
      if (done.length) void vscode.window.showInformationMessage('Ownership: this change is complete.');
      else void vscode.window.showInformationMessage('Ownership: the analysed change leaves no gap.');
      return done;
    }
    const items: CompleteItem[] = [];
    let lastFeature = '';
    for (const g of gaps) {
      const key = `${g.store.folder.uri.toString()}#${g.feature.id}`;
      if (key !== lastFeature) items.push({ label: `${g.feature.name}${g.feature.owners.length ? ` (${g.feature.owners.join(' ')})` : ''}`, kind: vscode.QuickPickItemKind.Separator });
      lastFeature = key;
      items.push({ label: `$(add) Add ${g.criterion}`, description: `${g.feature.id}/${g.criterion}`, gap: g, action: 'add' });
      items.push({ label: `$(circle-slash) Waive ${g.criterion}…`, description: `${g.feature.id}/${g.criterion}`, gap: g, action: 'waive' });
    }
    const picked = await vscode.window.showQuickPick(items, { title: `Complete this change: ${gaps.length} gap${gaps.length === 1 ? '' : 's'} left`, matchOnDescription: true });
    if (!picked?.gap) return done;
    const arg = { feature: picked.gap.feature.id, criterion: picked.gap.criterion, folder: picked.gap.store.folder.uri.fsPath };
    if (picked.action === 'add') {
      const r = await addMissing(store, arg);
      if (r) done.push(`add ${arg.feature}/${arg.criterion}: ${r.kind} ${r.path}`);
    } else {
      const r = await waive(store, arg);
      if (r?.length) done.push(`waive ${arg.feature}/${arg.criterion}`);
    }
    // Wait for the analysis to see what was done before listing the gaps again.
    await Promise.all(store.folders.map((s) => s.refreshNow({ files: true })));
  }
}

/** Quick fixes on the commit box's Ownership warning: complete the change, or add/waive one gap. */
class ScmGapActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  constructor(private readonly store: OwnershipStore) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const diagnostics = context.diagnostics.filter((d) => d.source === 'Ownership');
    if (!diagnostics.length) return [];
    const root = new URLSearchParams(doc.uri.query).get('rootUri');
    const gaps = currentGaps(this.store, root ? vscode.Uri.parse(root) : undefined);
    const action = (title: string, command: string, args: unknown[], preferred = false) => {
      const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      a.diagnostics = diagnostics;
      a.command = { command, title, arguments: args };
      a.isPreferred = preferred;
      return a;
    };
    return [
      action('Complete This Change…', Commands.completeChange, [], true),
      ...gaps.flatMap((g) => {
        const arg = { feature: g.feature.id, criterion: g.criterion, folder: g.store.folder.uri.fsPath };
        return [action(`Add ${g.criterion} for ${g.feature.name}`, Commands.addMissing, [arg]), action(`Waive ${g.feature.id}/${g.criterion}…`, Commands.waive, [arg])];
      }),
    ];
  }
}

/**
 * Typing or removing an `Ownership-Waived` line in the commit box re-analyses that repository, so
 * the row says "waived: <reason>" (or "missing" again) at once; other keystrokes cost nothing.
 */
function watchMessageWaivers(store: OwnershipStore): vscode.Disposable {
  const last = new Map<string, string>();
  return vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document.uri.scheme !== 'vscode-scm') return;
    const root = new URLSearchParams(e.document.uri.query).get('rootUri');
    if (!root) return;
    const key = waiverValues(e.document.getText()).join('\n');
    if ((last.get(root) ?? '') === key) return;
    last.set(root, key);
    for (const s of store.storesInRoot(vscode.Uri.parse(root))) s.request({});
  });
}

export function registerGapActions(store: OwnershipStore, log: vscode.LogOutputChannel): vscode.Disposable {
  // Through the command center: a failure is logged with its stack and offers "Show Log".
  const reg = (id: string, handler: (...args: never[]) => unknown) => registerCommand(log, id, handler);
  return vscode.Disposable.from(
    watchMessageWaivers(store),
    reg(Commands.addMissing, (arg?: unknown) => addMissing(store, arg)),
    reg(Commands.waive, (arg?: unknown) => waive(store, arg)),
    reg(Commands.contactOwners, (arg?: unknown) => copyOwners(store, arg)),
    reg(Commands.completeChange, () => completeChange(store)),
    vscode.languages.registerCodeActionsProvider({ scheme: 'vscode-scm' }, new ScmGapActions(store), { providedCodeActionKinds: ScmGapActions.kinds }),
  );
}
