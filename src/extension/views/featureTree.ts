// The Features tree: features → criteria → files, an "Unowned changes" row, and a folder level
// when the workspace has more than one folder. It renders the store's snapshots and never runs
// git; the per-criterion file counts come from the store's on-demand inventory.
import { posix } from 'node:path';
import * as vscode from 'vscode';
import type { CriterionDef, FeatureDef, FeatureVerdict } from '../../core/types';
import { readConfig } from '../config';
import type { FolderSnapshot, FolderStore } from '../analysis/folderStore';
import { Commands } from '../ids';
import { isMine } from '../../core/ownerMatch';
import type { Filter, OwnershipStore } from '../analysis/ownershipStore';

export type Node =
  | { kind: 'folder'; id: string; store: FolderStore }
  | { kind: 'feature'; id: string; store: FolderStore; feature: FeatureDef; verdict: FeatureVerdict; parent?: Node }
  | { kind: 'criterion'; id: string; store: FolderStore; feature: FeatureDef; verdict: FeatureVerdict; name: string; def?: CriterionDef; parent: Node }
  | { kind: 'unowned'; id: string; store: FolderStore; paths: string[]; parent?: Node }
  | { kind: 'file'; id: string; store: FolderStore; path: string; changed: boolean; parent: Node }
  | { kind: 'more'; id: string; count: number; parent: Node }
  | { kind: 'message'; id: string; text: string; tooltip?: string; command?: vscode.Command; parent?: Node };

const color = (id: string) => new vscode.ThemeColor(id);
const ICONS = {
  gaps: new vscode.ThemeIcon('warning', color('list.warningForeground')),
  complete: new vscode.ThemeIcon('pass', color('testing.iconPassed')),
  untouched: new vscode.ThemeIcon('circle-large-outline', color('disabledForeground')),
  satisfied: new vscode.ThemeIcon('pass', color('testing.iconPassed')),
  missing: new vscode.ThemeIcon('warning', color('list.warningForeground')),
  waived: new vscode.ThemeIcon('pass', color('descriptionForeground')),
  optional: new vscode.ThemeIcon('dash', color('descriptionForeground')),
  noFiles: new vscode.ThemeIcon('circle-slash', color('disabledForeground')),
  idle: new vscode.ThemeIcon('circle-outline'),
  unowned: new vscode.ThemeIcon('question', color('list.warningForeground')),
  folder: new vscode.ThemeIcon('root-folder'),
  info: new vscode.ThemeIcon('info'),
};

const STATUS_WORDS: Record<string, string> = { A: 'added', M: 'modified', D: 'deleted', T: 'type changed', R: 'renamed', C: 'copied', U: 'conflict', '?': 'untracked' };

/** The one line shown when the staged and on-disk OWNERSHIP.yml differ in staged mode. */
export const UNSTAGED_RULES = 'OWNERSHIP.yml has unstaged edits: the commit check will use the staged version';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Why a folder has no features to show, as a short phrase. */
function folderStateText(s: FolderSnapshot): string | undefined {
  switch (s.state) {
    case 'loading': return 'reading OWNERSHIP.yml…';
    case 'noFile': return 'no OWNERSHIP.yml';
    case 'invalid': return 'OWNERSHIP.yml has errors: see the Problems panel';
    case 'notGit': return 'not a git repository';
    case 'gone': return 'the folder no longer exists';
    case 'ready': return undefined;
  }
}

/** Features shown under `filter`, gaps first, then touched, then the rest, each in declaration order. */
export function visibleFeatures(s: FolderSnapshot, filter: Filter): { feature: FeatureDef; verdict: FeatureVerdict }[] {
  if (!s.model || !s.verdict) return [];
  const verdicts = s.verdict.features;
  const rank = (v: FeatureVerdict) => (v.gaps.length ? 0 : v.touched ? 1 : 2);
  return s.model.features
    .flatMap((feature, i) => {
      const verdict = verdicts[i];
      return verdict ? [{ feature, verdict }] : [];
    })
    .filter(({ feature, verdict }) =>
      filter === 'touched' ? verdict.touched
      : filter === 'incomplete' ? verdict.gaps.length > 0
      : filter === 'mine' ? isMine(feature.owners, s.me)
      : true)
    .map((x, i) => ({ ...x, i }))
    .sort((a, b) => rank(a.verdict) - rank(b.verdict) || a.i - b.i);
}

export class FeatureTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly listener: vscode.Disposable;
  /** Nodes by id, so getParent and reveal see the objects the view was given. */
  private nodes = new Map<string, Node>();

  constructor(private readonly store: OwnershipStore) {
    this.listener = store.onDidChange(() => this._onDidChangeTreeData.fire(undefined));
  }

  private node<T extends Node>(n: T): T {
    this.nodes.set(n.id, n);
    return n;
  }

  getParent(n: Node): Node | undefined {
    return 'parent' in n ? n.parent : undefined;
  }

  async getChildren(parent?: Node): Promise<Node[]> {
    if (!parent) {
      this.nodes = new Map();
      const folders = this.store.folders;
      const [only] = folders;
      if (folders.length === 1 && only) return this.folderChildren(only, undefined);
      return folders.map((store) => this.node({ kind: 'folder', id: store.folder.uri.toString(), store }));
    }
    switch (parent.kind) {
      case 'folder': return this.folderChildren(parent.store, parent);
      case 'feature': return this.criteria(parent);
      case 'criterion': return this.criterionFiles(parent);
      case 'unowned': return this.files(parent, parent.paths, [], parent.store);
      case 'file':
      case 'more':
      case 'message': return [];
    }
  }

  private folderChildren(store: FolderStore, parent: Node | undefined): Node[] {
    const s = store.snapshot;
    const key = store.folder.uri.toString();
    if (s.state !== 'ready') {
      // A single folder leaves the tree empty so its welcome view shows; in a multi-root
      // workspace the folder row says why it has no features.
      if (!parent) return [];
      const command = s.state === 'noFile' ? { command: Commands.createOwnershipFile, title: 'Create OWNERSHIP.yml', arguments: [store.folder.uri] }
        : s.state === 'invalid' ? { command: 'workbench.actions.view.problems', title: 'Show Problems' }
        : undefined;
      return [this.node({ kind: 'message', id: `${key}::message`, text: folderStateText(s) ?? '', command, parent })];
    }
    const out: Node[] = [];
    if (s.unstagedRules.length) {
      out.push(this.node({
        kind: 'message', id: `${key}::unstaged`, text: UNSTAGED_RULES, parent,
        tooltip: `${s.unstagedRules.join(', ')}: this view uses the file on disk; the commit check reads the index. Click to stage.`,
        command: { command: Commands.stageOwnershipFiles, title: 'Stage OWNERSHIP.yml', arguments: [store.folder.uri] },
      }));
    }
    out.push(...visibleFeatures(s, this.store.filter).map(({ feature, verdict }) =>
      this.node({ kind: 'feature', id: `${key}::f:${feature.id}`, store, feature, verdict, parent })));
    if (s.verdict && s.verdict.unowned.length) out.push(this.node({ kind: 'unowned', id: `${key}::unowned`, store, paths: s.verdict.unowned, parent }));
    return out;
  }

  private criteria(p: Extract<Node, { kind: 'feature' }>): Node[] {
    const names: { name: string; def?: CriterionDef }[] = [{ name: 'code' }, ...p.feature.criteria.map((def) => ({ name: def.name, def }))];
    return names.map(({ name, def }) => this.node({ kind: 'criterion', id: `${p.id}::c:${name}`, store: p.store, feature: p.feature, verdict: p.verdict, name, def, parent: p }));
  }

  private async criterionFiles(p: Extract<Node, { kind: 'criterion' }>): Promise<Node[]> {
    const covered = (await p.store.inventory())?.get(p.feature.id)?.get(p.name) ?? [];
    return this.files(p, p.verdict.changed[p.name] ?? [], covered, p.store);
  }

  /** Changed files first, then the others, capped at `ownership.tree.maxFiles` with a "… N more" row. */
  private files(parent: Node, changed: readonly string[], others: readonly string[], store: FolderStore): Node[] {
    const max = readConfig(store.folder).treeMaxFiles;
    const changedSet = new Set(changed);
    const all = [...[...changed].sort(), ...others.filter((f) => !changedSet.has(f)).sort()];
    const shown = all.slice(0, max).map((path) => this.node({ kind: 'file' as const, id: `${parent.id}::${path}`, store, path, changed: changedSet.has(path), parent }));
    const rest: Node[] = all.length > max ? [this.node({ kind: 'more', id: `${parent.id}::more`, count: all.length - max, parent })] : [];
    return [...shown, ...rest];
  }

  async getTreeItem(n: Node): Promise<vscode.TreeItem> {
    switch (n.kind) {
      case 'folder': return this.folderItem(n);
      case 'feature': return this.featureItem(n);
      case 'criterion': return this.criterionItem(n);
      case 'unowned': {
        const item = new vscode.TreeItem(`Unowned changes (${n.paths.length})`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = n.id;
        item.iconPath = ICONS.unowned;
        item.contextValue = 'unowned';
        item.tooltip = new vscode.MarkdownString(`Changed files that no feature in ${'`OWNERSHIP.yml`'} covers. Add them to a feature's \`code\` or a criterion, or to \`ignore\`.`);
        return item;
      }
      case 'file': return this.fileItem(n);
      case 'more': {
        const item = new vscode.TreeItem(`… ${n.count} more`, vscode.TreeItemCollapsibleState.None);
        item.id = n.id;
        item.contextValue = 'more';
        item.tooltip = 'The list is capped by the setting ownership.tree.maxFiles';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(n.text, vscode.TreeItemCollapsibleState.None);
        item.id = n.id;
        item.iconPath = ICONS.info;
        item.command = n.command;
        item.contextValue = 'message';
        return item;
      }
    }
  }

  private folderItem(n: Extract<Node, { kind: 'folder' }>): vscode.TreeItem {
    const s = n.store.snapshot;
    const item = new vscode.TreeItem(n.store.folder.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = n.id;
    item.iconPath = ICONS.folder;
    item.contextValue = 'folder';
    const gaps = s.verdict?.summary.gaps ?? 0;
    item.description = folderStateText(s) ?? (s.restricted ? 'restricted mode' : gaps ? plural(gaps, 'gap') : '✓');
    item.tooltip = `${n.store.folder.uri.fsPath}\n${s.source.label}`;
    return item;
  }

  private featureItem(n: Extract<Node, { kind: 'feature' }>): vscode.TreeItem {
    const { feature: f, verdict: v } = n;
    const item = new vscode.TreeItem(f.name, v.touched ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = n.id;
    const state = !v.touched ? '' : v.gaps.length ? `${v.gaps.length} missing` : '✓';
    item.description = [f.owners.join(', '), state].filter(Boolean).join(' · ');
    item.iconPath = !v.touched ? ICONS.untouched : v.gaps.length ? ICONS.gaps : ICONS.complete;
    item.contextValue = 'feature';
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escape(f.name)}** \`${f.id}\``);
    if (f.owners.length) md.appendMarkdown(` — ${f.owners.map(escape).join(', ')}`);
    md.appendMarkdown(`\n\nDefined in \`${f.file}\` line ${f.range.line} · mode ${f.mode}\n\n`);
    if (!v.touched) md.appendMarkdown(`Not touched by the ${n.store.snapshot.source.label}.`);
    else {
      for (const [name, paths] of Object.entries(v.changed)) md.appendMarkdown(`- ✓ **${name}**: ${plural(paths.length, 'changed file')}\n`);
      for (const g of v.gaps) md.appendMarkdown(`- ✗ **${g}**: missing\n`);
      for (const w of v.waived) md.appendMarkdown(`- waived **${w.criterion}**${w.reason ? `: ${escape(w.reason)}` : ''}\n`);
      if (v.gaps.length) md.appendMarkdown(`\nAdd the missing pieces, or waive one with the commit trailer \`Ownership-Waived: ${f.id}/${v.gaps[0]} <reason>\`.`);
    }
    item.tooltip = md;
    return item;
  }

  private async criterionItem(n: Extract<Node, { kind: 'criterion' }>): Promise<vscode.TreeItem> {
    const { verdict: v, def, name } = n;
    const covered = (await n.store.inventory())?.get(n.feature.id)?.get(name);
    const changed = v.changed[name]?.length ?? 0;
    const total = covered ? new Set([...covered, ...(v.changed[name] ?? [])]).size : changed;
    const missing = v.gaps.includes(name);
    const waiver = v.waived.find((w) => w.criterion === name);
    const optional = def !== undefined && !def.required;
    const files = covered ? plural(total, 'file') : '';
    const parts = missing ? ['missing', files]
      : waiver ? [`waived${waiver.reason ? `: ${waiver.reason}` : ''}`, files]
      : [total === 0 && covered ? 'no files' : files, changed ? `${changed} changed` : '', optional ? 'optional' : ''];
    const item = new vscode.TreeItem(name, total > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    item.description = parts.filter(Boolean).join(' · ');
    item.iconPath = missing ? ICONS.missing : waiver ? ICONS.waived : changed ? ICONS.satisfied : optional ? ICONS.optional : total === 0 ? ICONS.noFiles : ICONS.idle;
    item.contextValue = missing ? 'criterion.missing' : 'criterion';
    const patterns = name === 'code' ? n.feature.code : def?.patterns ?? [];
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${name}** of ${escape(n.feature.name)}${name === 'code' ? ' — the feature\'s footprint' : optional ? ' — optional' : ' — required when the feature\'s code changes'}${def?.inherited ? ' (from `defaults`)' : ''}\n\n`);
    for (const p of patterns) md.appendMarkdown(`- \`${p}\`\n`);
    if (missing) md.appendMarkdown(`\nThe ${n.store.snapshot.source.label} touch ${escape(n.feature.name)}'s code but none of these files.`);
    item.tooltip = md;
    return item;
  }

  private fileItem(n: Extract<Node, { kind: 'file' }>): vscode.TreeItem {
    const uri = n.store.uriOf(n.path);
    const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    item.label = posix.basename(n.path);
    const dir = posix.dirname(n.path);
    const change = n.changed ? n.store.snapshot.changeByPath.get(n.path) : undefined;
    item.description = [change ? STATUS_WORDS[change.status] ?? 'changed' : '', dir === '.' ? '' : dir].filter(Boolean).join(' · ');
    item.iconPath = vscode.ThemeIcon.File;
    item.contextValue = n.changed ? 'file.changed' : 'file';
    item.tooltip = `${n.path}${change ? ` (${STATUS_WORDS[change.status] ?? 'changed'})` : ''}`;
    item.command = n.changed
      ? { command: Commands.openChange, title: 'Open Changes', arguments: [n.store.folder.uri, n.path] }
      : { command: 'vscode.open', title: 'Open File', arguments: [uri] };
    return item;
  }

  /** The row of feature `id` in `store`, reusing the view's node when it has one (for reveal). */
  featureNode(store: FolderStore, id: string): Node | undefined {
    const key = store.folder.uri.toString();
    const known = this.nodes.get(`${key}::f:${id}`);
    if (known) return known;
    const s = store.snapshot;
    const i = s.model?.features.findIndex((f) => f.id === id) ?? -1;
    const feature = s.model?.features[i];
    const verdict = s.verdict?.features[i];
    if (!feature || !verdict) return undefined;
    const parent = this.store.folders.length > 1 ? this.nodes.get(key) ?? this.node({ kind: 'folder', id: key, store }) : undefined;
    return this.node({ kind: 'feature', id: `${key}::f:${id}`, store, feature, verdict, parent });
  }

  dispose(): void {
    this.listener.dispose();
    this._onDidChangeTreeData.dispose();
  }
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
