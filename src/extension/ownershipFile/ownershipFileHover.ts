// Hover on a glob in OWNERSHIP.yml: how many tracked files it matches, with a few of them, so a
// typo or a too-wide glob shows before any change is analysed.
import * as vscode from 'vscode';
import { globError, normalizeGlob } from '../../core/glob';
import type { CodeGlobMatches } from '../../core/globMatches';
import type { GlobSite } from '../../core/globSites';
import type { EngineClient } from '../../node/engineClient';
import { toRange } from './ownershipFileDiagnostics';
import { globSitesMemo, relativePath, TrackedMatchCache, type OwnershipFileDeps } from './ownershipFileShared';

function plural(n: number, word: string): string {
  return `${n} tracked ${word}${n === 1 ? '' : 's'}`;
}

export class OwnershipHoverProvider implements vscode.HoverProvider {
  /** Sites of the last document hovered: moving the mouse over one file re-parses it only after an edit. */
  private last: { uri: string; version: number; sites: Promise<GlobSite[]> } | undefined;

  /** The file is parsed and the globs counted in the engine's worker thread. */
  constructor(private readonly deps: OwnershipFileDeps, private readonly matches: TrackedMatchCache, private readonly engine: EngineClient) {}

  private sites(document: vscode.TextDocument): Promise<GlobSite[]> {
    const uri = document.uri.toString();
    if (this.last?.uri !== uri || this.last.version !== document.version) this.last = { uri, version: document.version, sites: globSitesMemo(document.getText(), undefined, this.engine, vscode.workspace.asRelativePath(document.uri)) };
    return this.last.sites;
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const site = (await this.sites(document)).map((s) => ({ s, range: toRange(s) })).find(({ range }) => range.contains(position));
    if (!site) return undefined;
    const { s, range } = site;
    const md = new vscode.MarkdownString();
    const label = `\`${s.pattern.replace(/`/g, "'")}\` — ${s.feature ? `feature \`${s.feature}\`, ${s.list}` : s.list === 'ignore' ? 'ignored paths' : `defaults, ${s.list}`}`;
    md.appendMarkdown(`${label}\n\n`);
    const bad = globError(s.pattern);
    if (bad) return new vscode.Hover(md.appendText(bad), range);
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const tracked = folder ? await this.deps.trackedFiles(folder.uri) : undefined;
    if (!tracked) {
      return new vscode.Hover(md.appendText('The tracked files are unknown here (not a git repository, or git is off in this untrusted workspace), so matches cannot be counted.'), range);
    }
    const path = relativePath(folder!.uri, document.uri);
    const base = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    const { glob, negated } = normalizeGlob(s.pattern, base);
    // A feature's code glob counts as the model counts code: its criteria carve their files out.
    const code = s.list === 'code' && s.feature && !negated ? await this.codeMatches(tracked, document, path, s.feature, glob) : undefined;
    const m = code ?? (await this.matches.count(tracked, [glob])).get(glob)!;
    if (m.count === 0) {
      md.appendMarkdown(negated ? '**Excludes no tracked file.**' : code?.carved ? '$(warning) **Matches no tracked file as code.**' : '$(warning) **Matches no tracked file.**');
    } else {
      md.appendMarkdown(`${negated ? 'Excludes' : 'Matches'} **${plural(m.count, 'file')}**${code?.carved ? ' as code' : ''}`);
      md.appendMarkdown(m.count > m.examples.length ? `, e.g.:\n\n` : `:\n\n`);
      for (const f of m.examples) md.appendMarkdown(`- \`${f.replace(/`/g, "'")}\`\n`);
      if (m.count > m.examples.length) md.appendMarkdown(`- … ${m.count - m.examples.length} more\n`);
    }
    if (code?.carved) {
      const by = code.carvedBy.map(([c, n]) => `${c} (${n})`).join(', ');
      md.appendMarkdown(`\n\n${m.count ? 'Also matches' : 'It matches'} **${plural(code.carved, 'file')}** that are this feature's ${by}: criteria carve their files out of code, so changing only them does not touch the feature.`);
    }
    md.supportThemeIcons = true;
    return new vscode.Hover(md, range);
  }

  /** Last results of `codeMatches`, for one text of one document over one tracked-file list. */
  private code: { tracked: readonly string[]; text: string; results: Map<string, Promise<CodeGlobMatches | undefined>> } | undefined;

  /** The code glob `glob` of `feature` as `document` declares it, counted with its criteria carved out. */
  private codeMatches(tracked: readonly string[], document: vscode.TextDocument, path: string, feature: string, glob: string): Promise<CodeGlobMatches | undefined> {
    const text = document.getText();
    if (this.code?.tracked !== tracked || this.code.text !== text) this.code = { tracked, text, results: new Map() };
    const key = `${feature}\0${glob}`;
    let hit = this.code.results.get(key);
    if (!hit) {
      const args = { text, path, feature, glob, maxExamples: TrackedMatchCache.EXAMPLES };
      // The tracked files go to the worker once (EngineClient.withPaths).
      hit = this.engine.retryingWithPaths(tracked, (ref) => this.engine.call('codeGlobCounts', { ...args, files: ref }, path));
      this.code.results.set(key, hit);
    }
    return hit;
  }
}
