// The commands. Each returns what it did, so keybindings, other extensions and the extension-host
// tests can call them with arguments instead of going through a picker.
import * as vscode from 'vscode';
import { registerCommand } from './commandCenter';
import type { FolderStore, SourceChoice } from './analysis/folderStore';
import type { FeatureTreeProvider, Node } from './views/featureTree';
import { getGitApi, INDEX_REF } from './analysis/gitExtension';
import { Commands, FEATURES_VIEW } from './ids';
import { FILTERS, type Filter, type OwnershipStore } from './analysis/ownershipStore';

interface CommandDeps {
  log: vscode.LogOutputChannel;
  store: OwnershipStore;
  tree: FeatureTreeProvider;
  view: vscode.TreeView<Node>;
}

const CHANGE_KINDS: readonly SourceChoice['kind'][] = ['staged', 'working', 'branch'];

async function selectChanges({ store }: CommandDeps, arg?: unknown): Promise<SourceChoice | undefined> {
  let choice: SourceChoice | undefined;
  if (typeof arg === 'string' && CHANGE_KINDS.includes(arg as SourceChoice['kind'])) choice = { kind: arg as SourceChoice['kind'] };
  else if (arg && typeof arg === 'object' && CHANGE_KINDS.includes((arg as SourceChoice).kind)) choice = { kind: (arg as SourceChoice).kind, base: (arg as SourceChoice).base };
  else {
    const current = store.folders[0]?.snapshot.source;
    const items: (vscode.QuickPickItem & { value: SourceChoice['kind'] })[] = [
      { value: 'staged', label: '$(git-commit) Staged changes', detail: 'What the next commit contains (git diff --cached)' },
      { value: 'working', label: '$(edit) Working tree changes', detail: 'Everything git status shows: staged, unstaged and untracked' },
      { value: 'branch', label: '$(git-compare) Branch against a base ref…', detail: 'What a pull request shows: from the merge base with the base ref to HEAD' },
    ];
    for (const i of items) if (current?.kind === i.value) i.description = `current${current.base ? `: ${current.base}` : ''}`;
    const picked = await vscode.window.showQuickPick(items, { title: 'Which changes should Ownership analyse?' });
    if (!picked) return undefined;
    choice = { kind: picked.value };
  }
  if (choice.kind === 'branch' && choice.base === undefined && arg === undefined) {
    const suggested = (await store.folders[0]?.defaultBase()) ?? 'main';
    const base = await vscode.window.showInputBox({ title: 'Base ref', prompt: 'Branch, tag or commit to compare with (the merge base with HEAD is used)', value: suggested, validateInput: (v) => (!v.trim() || v.trim().startsWith('-') ? 'Enter a ref such as main or origin/main' : undefined) });
    if (base === undefined) return undefined;
    choice.base = base.trim();
  }
  await store.setSourceChoice(choice);
  return choice;
}

async function pickFilter({ store }: CommandDeps, arg?: unknown): Promise<Filter | undefined> {
  let filter = FILTERS.includes(arg as Filter) ? (arg as Filter) : undefined;
  if (!filter) {
    const labels: Record<Filter, string> = { all: 'All features', touched: 'Touched by the change', incomplete: 'Incomplete: touched and missing something', mine: 'Mine: owned by me (git user.name / user.email, ownership.me)', owed: 'Owed: tests, docs or release notes still owed by earlier commits' };
    const picked = await vscode.window.showQuickPick(FILTERS.map((f) => ({ f, label: labels[f], description: store.filter === f ? 'current' : undefined })), { title: 'Show which features?' });
    filter = picked?.f;
  }
  if (filter) await store.setFilter(filter);
  return filter;
}

async function openDefinition({ store }: CommandDeps, node?: Node | string): Promise<{ file: string; line: number } | undefined> {
  let target: { store: FolderStore; file: string; line: number; col: number } | undefined;
  if (typeof node === 'object' && (node.kind === 'feature' || node.kind === 'criterion')) {
    const range = node.kind === 'criterion' && node.def?.range && !node.def.inherited ? node.def.range : node.feature.range;
    target = { store: node.store, file: node.feature.file, line: range.line, col: range.col };
  } else if (typeof node === 'string') {
    // A feature id, for keybindings and other extensions.
    for (const s of store.folders) {
      const f = s.snapshot.model?.features.find((x) => x.id === node);
      if (f) target = { store: s, file: f.file, line: f.range.line, col: f.range.col };
    }
  } else {
    const items = store.folders.flatMap((s) => (s.snapshot.model?.features ?? []).map((f) => ({ label: f.name, description: f.id, detail: `${f.file}:${f.range.line}`, s, f })));
    const picked = await vscode.window.showQuickPick(items, { title: 'Open the definition of which feature?', matchOnDescription: true });
    if (picked) target = { store: picked.s, file: picked.f.file, line: picked.f.range.line, col: picked.f.range.col };
  }
  if (!target) return undefined;
  const pos = new vscode.Position(target.line - 1, target.col - 1);
  await vscode.window.showTextDocument(target.store.uriOf(target.file), { selection: new vscode.Range(pos, pos) });
  return { file: target.file, line: target.line };
}

/** "Which feature owns this file?": reveals the feature in the tree and says which criteria hold the file. */
async function revealFile({ store, tree, view }: CommandDeps, arg?: unknown): Promise<{ path: string; features: { id: string; criteria: string[] }[] } | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('Open a file, or run this from a file\'s context menu.');
    return undefined;
  }
  const s = store.storeFor(uri);
  const hit = await s?.classifyAsync(uri);
  if (!s || !hit) {
    void vscode.window.showInformationMessage(s ? `No features are loaded for ${vscode.workspace.asRelativePath(uri)}: ${s.snapshot.state === 'invalid' ? 'OWNERSHIP.yml has errors' : 'there is no OWNERSHIP.yml'}.` : `${vscode.workspace.asRelativePath(uri)} is outside the workspace folders.`);
    return undefined;
  }
  const byFeature = new Map<string, string[]>();
  for (const m of hit.memberships) byFeature.set(m.feature, [...(byFeature.get(m.feature) ?? []), m.criterion]);
  const features = [...byFeature].map(([id, criteria]) => ({ id, criteria }));
  const [firstFeature] = features;
  if (!firstFeature) {
    void vscode.window.showInformationMessage(`${hit.path} belongs to no feature${hit.ignored ? ' (OWNERSHIP.yml ignores it)' : ''}.`, 'Open OWNERSHIP.yml').then((b) => {
      if (b && s.snapshot.ownershipPaths[0]) void vscode.window.showTextDocument(s.uriOf(s.snapshot.ownershipPaths[0]));
    });
    return { path: hit.path, features };
  }
  const model = s.snapshot.model!;
  const describe = (f: { id: string; criteria: string[] }) => {
    const def = model.features.find((d) => d.id === f.id)!;
    return `${def.name} (${f.criteria.join(', ')})${def.owners.length ? `, owned by ${def.owners.join(', ')}` : ''}`;
  };
  void vscode.window.showInformationMessage(`${hit.path} belongs to ${features.map(describe).join('; ')}.`);
  let node = tree.featureNode(s, firstFeature.id);
  if (node && store.filter !== 'all') {
    await store.setFilter('all');
    node = tree.featureNode(s, firstFeature.id);
  }
  if (node) await view.reveal(node, { select: true, focus: true, expand: true }).then(undefined, () => undefined);
  return { path: hit.path, features };
}

/** Opens a changed file's diff for the analysed change (falls back to the file without vscode.git). */
async function openChange({ store }: CommandDeps, folder: vscode.Uri, path: string): Promise<void> {
  const s = store.storeFor(folder);
  if (!s) return;
  const snap = s.snapshot;
  const change = snap.changeByPath.get(path);
  const uri = s.uriOf(path);
  const api = await getGitApi();
  if (!api || !change || snap.restricted) return void vscode.commands.executeCommand('vscode.open', uri);
  const before = change.status === 'R' && change.oldPath ? s.uriOf(change.oldPath) : uri;
  const added = change.status === 'A' || change.status === '?';
  const deleted = change.status === 'D';
  const { kind } = snap.source;
  const leftRef = kind === 'branch' ? snap.source.from ?? 'HEAD' : 'HEAD';
  const left = added ? undefined : api.toGitUri(before, leftRef);
  const right = deleted ? undefined : kind === 'staged' ? api.toGitUri(uri, INDEX_REF) : kind === 'branch' ? api.toGitUri(uri, 'HEAD') : uri;
  const name = path.split('/').pop();
  if (left && right) {
    const title = kind === 'staged' ? `${name} (Index)` : kind === 'working' ? `${name} (Working Tree)` : `${name} (${snap.source.base} … HEAD)`;
    return void vscode.commands.executeCommand('vscode.diff', left, right, title);
  }
  return void vscode.commands.executeCommand('vscode.open', left ?? right);
}

/** Stages the OWNERSHIP.yml files with unstaged edits, of one folder (a Uri or its string) or of every folder. */
async function stageOwnershipFiles({ store }: CommandDeps, arg?: unknown): Promise<string[]> {
  const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : undefined;
  const folders = uri ? store.folders.filter((s) => s.folder.uri.toString() === uri.toString()) : store.folders;
  const staged = (await Promise.all(folders.map((s) => s.stageOwnershipFiles()))).flat();
  if (staged.length) void vscode.window.setStatusBarMessage(`Ownership: staged ${staged.join(', ')}`, 5000);
  return staged;
}

/** Opens `git show --stat` of a commit (an Owed row's) in a read-only editor. */
async function showCommit({ store }: CommandDeps, folder: unknown, sha: unknown): Promise<void> {
  const s = typeof folder === 'string' ? store.storeFor(vscode.Uri.parse(folder)) : undefined;
  const git = s?.repository;
  if (!git || typeof sha !== 'string' || !/^[0-9a-f]{7,64}$/.test(sha)) return;
  const text = await git.raw(['show', '--stat', '--format=fuller', '--no-color', '--no-ext-diff', sha, '--']);
  const doc = await vscode.workspace.openTextDocument({ content: text, language: 'git-commit' });
  await vscode.window.showTextDocument(doc, { preview: true });
}

export function registerCommands(deps: CommandDeps, testState: () => Promise<unknown>): vscode.Disposable {
  const { store } = deps;
  const reg = (id: string, handler: (...args: never[]) => unknown) => registerCommand(deps.log, id, handler);
  return vscode.Disposable.from(
    reg(Commands.refresh, () => store.refreshAll()),
    reg(Commands.selectChanges, (arg?: unknown) => selectChanges(deps, arg)),
    reg(Commands.filter, (arg?: unknown) => pickFilter(deps, arg)),
    reg(Commands.filterActive, (arg?: unknown) => pickFilter(deps, arg)),
    reg(Commands.openDefinition, (node?: Node | string) => openDefinition(deps, node)),
    reg(Commands.revealFile, (arg?: unknown) => revealFile(deps, arg)),
    reg(Commands.focus, () => vscode.commands.executeCommand(`${FEATURES_VIEW}.focus`)),
    reg(Commands.stageOwnershipFiles, (arg?: unknown) => stageOwnershipFiles(deps, arg)),
    reg(Commands.openChange, (folder: vscode.Uri, path: string) => openChange(deps, folder, path)),
    reg(Commands.showCommit, (folder: unknown, sha: unknown) => showCommit(deps, folder, sha)),
    reg(Commands.testState, testState),
  );
}
