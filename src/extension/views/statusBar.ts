// The status-bar indicator: gaps in the analysed change (or a check mark), the active file's
// feature and owners, a Markdown tooltip with what each touched feature misses; a click focuses
// the Features view. Reads only the store.
import * as vscode from 'vscode';
import { gapSentence, unownedSentence } from '../../core/format';
import { changed, readConfig } from '../config';
import { Commands, STATUS_ITEM } from '../ids';
import { UNSTAGED_RULES } from './featureTree';
import { Disposable } from '../disposable';
import type { OwnershipStore } from '../analysis/ownershipStore';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly store: OwnershipStore) {
    super();
    this.item = vscode.window.createStatusBarItem(STATUS_ITEM, vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Feature Ownership';
    this.item.command = Commands.focus;
    [
      this.item,
      store.onDidChange(() => this.update()),
      store.onDidClassify(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (changed(e, 'statusBar.enabled')) this.update();
      }),
    ].forEach((d) => this.register(d));
    this.update();
  }

  /** What the item shows, for the test-state command. */
  get state(): { text: string; tooltip: string; visible: boolean; warning: boolean } {
    const tip = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof tip === 'string' ? tip : tip?.value ?? '', visible: this.visible, warning: this.item.backgroundColor !== undefined };
  }

  private visible = false;

  update(): void {
    const folders = this.store.folders;
    const ready = folders.filter((s) => s.snapshot.state === 'ready');
    if (!readConfig().statusBarEnabled || ready.length === 0) {
      const invalid = folders.some((s) => s.snapshot.state === 'invalid');
      if (invalid && readConfig().statusBarEnabled) {
        this.show('$(error) OWNERSHIP.yml', new vscode.MarkdownString('OWNERSHIP.yml has errors: see the Problems panel.'), false);
      } else this.hide();
      return;
    }
    const restricted = ready.every((s) => s.snapshot.restricted);
    const gaps = ready.reduce((n, s) => n + (s.snapshot.verdict?.summary.gaps ?? 0), 0);
    const parts = [restricted ? '$(shield)' : gaps ? `$(warning) ${plural(gaps, 'gap')}` : '$(check)'];

    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [Commands.focus, Commands.stageOwnershipFiles, Commands.completeChange] };
    for (const s of ready) {
      const snap = s.snapshot;
      if (folders.length > 1) md.appendMarkdown(`**${s.folder.name}**\n\n`);
      if (snap.restricted) {
        md.appendMarkdown('Restricted mode: git is not run in an untrusted workspace, so changes are not analysed.\n\n');
        continue;
      }
      if (snap.error) md.appendMarkdown(`$(error) ${snap.error}\n\n`);
      if (snap.unstagedRules.length) md.appendMarkdown(`$(warning) ${UNSTAGED_RULES} — [Stage it](command:${Commands.stageOwnershipFiles}?${encodeURIComponent(JSON.stringify([s.folder.uri.toString()]))})\n\n`);
      const touched = snap.verdict?.features.filter((f) => f.touched) ?? [];
      md.appendMarkdown(touched.length ? `${plural(touched.length, 'feature')} touched by the ${snap.source.label}:\n\n` : `The ${snap.source.label} touch no feature.\n\n`);
      for (const f of touched) md.appendMarkdown(`- ${f.gaps.length ? `$(warning) ${gapSentence(f)}` : `$(check) ${f.name} is complete`}\n`);
      if (snap.verdict?.unowned.length) md.appendMarkdown(`\n${unownedSentence(snap.verdict.unowned.length)}\n`);
      md.appendMarkdown('\n');
    }

    const editor = vscode.window.activeTextEditor;
    if (editor) {
      const store = this.store.storeFor(editor.document.uri);
      const hit = store?.classify(editor.document.uri);
      const features = hit ? [...new Set(hit.memberships.map((m) => m.feature))] : [];
      const defs = features.map((id) => store!.snapshot.model!.features.find((f) => f.id === id)!).filter(Boolean);
      const [f] = defs;
      if (f) {
        parts.push(`${f.name}${f.owners.length ? ` (${f.owners.join(', ')})` : ''}${defs.length > 1 ? ` +${defs.length - 1}` : ''}`);
        md.appendMarkdown(`Active file: \`${hit!.path}\` belongs to ${defs.map((d) => `**${d.name}**`).join(', ')}\n\n`);
      }
    }
    md.appendMarkdown(`[Show features](command:${Commands.focus})`);
    if (gaps > 0 && !restricted) md.appendMarkdown(` · [Complete This Change…](command:${Commands.completeChange})`);
    this.show(parts.join(' · '), md, gaps > 0 && !restricted);
  }

  private show(text: string, tooltip: vscode.MarkdownString, warning: boolean): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
    this.visible = true;
  }

  private hide(): void {
    this.item.hide();
    this.visible = false;
  }
}
