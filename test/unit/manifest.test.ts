// Keeps package.json and the extension's code in step, as markdown-language-features'
// manifest.test.ts does: every command id, view, context key, welcome state and setting the code
// uses is declared, and the manifest declares nothing the code does not handle.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, ContextKeyNames, FEATURES_VIEW, SETTING_KEYS, STATUS_ITEM, VIEW_CONTAINER, WELCOME_STATES } from '../../src/extension/ids';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const contributes = pkg.contributes;
const declared: { command: string; title: string; category?: string }[] = contributes.commands;
const declaredIds = declared.map((c) => c.command);
const codeIds: string[] = Object.values(Commands);
const palette: { command: string; when?: string }[] = contributes.menus.commandPalette;

/** The extension's sources, subfolders included: other modules (commit prompt, OWNERSHIP.yml features) declare their own ids. */
const extensionSource = readdirSync(join(ROOT, 'src', 'extension'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(ROOT, 'src', 'extension', f), 'utf8'))
  .join('\n');

/** Commands of VS Code and vscode.git that the manifest may link to. */
const BUILT_IN = new Set(['workbench.action.files.openFolder', 'workbench.actions.view.problems', 'workbench.trust.manage', 'git.init']);

describe('package.json manifest', () => {
  it('declares every command the code registers, once, with category "Ownership"', () => {
    for (const id of codeIds) assert.ok(declaredIds.includes(id), `${id} is used in code but not declared in contributes.commands`);
    assert.equal(new Set(declaredIds).size, declaredIds.length, 'a command is declared twice');
    for (const c of declared) {
      if (!c.command.startsWith('ownership.')) continue;
      assert.equal(c.category, 'Ownership', `${c.command} needs category "Ownership"`);
      assert.ok(c.title, `${c.command} needs a title`);
    }
  });

  it('declares no command the code does not register', () => {
    for (const id of declaredIds) assert.ok(codeIds.includes(id) || extensionSource.includes(`'${id}'`), `${id} is declared but src/extension never names it`);
  });

  it('hides internal commands from the palette and shows the rest only once active', () => {
    for (const id of declaredIds) {
      const entry = palette.find((p) => p.command === id);
      if (id.startsWith('ownership._') || id === Commands.filterActive) assert.equal(entry?.when, 'false', `${id} must be hidden with "when": "false"`);
    }
  });

  it('only references declared or built-in commands in menus and welcome views', () => {
    for (const [menu, entries] of Object.entries(contributes.menus as Record<string, { command: string }[]>)) {
      for (const e of entries) assert.ok(declaredIds.includes(e.command) || BUILT_IN.has(e.command), `${menu} references unknown command ${e.command}`);
    }
    for (const w of contributes.viewsWelcome as { contents: string }[]) {
      for (const m of w.contents.matchAll(/\(command:([\w.]+)/g)) {
        assert.ok(codeIds.includes(m[1]!) || BUILT_IN.has(m[1]!), `a welcome view links to unknown command ${m[1]}`);
      }
    }
  });

  it('declares the activity-bar container and the Features view with a monochrome 24x24 icon', () => {
    const container = contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === VIEW_CONTAINER);
    assert.equal(container?.title, 'Ownership');
    const svg = readFileSync(join(ROOT, container.icon), 'utf8');
    assert.match(svg, /width="24" height="24"/);
    assert.match(svg, /currentColor/);
    assert.doesNotMatch(svg, /#[0-9a-f]{3,6}\b/i, 'the icon must take the theme colour, not a fixed one');
    const view = contributes.views[VIEW_CONTAINER].find((v: { id: string }) => v.id === FEATURES_VIEW);
    assert.equal(view?.name, 'Features');
    assert.ok(STATUS_ITEM.startsWith('ownership.'));
  });

  it('uses only context keys and welcome states the code sets', () => {
    const keys = new Set<string>(Object.values(ContextKeyNames));
    const whens = [
      ...Object.values(contributes.menus as Record<string, { when?: string }[]>).flat().map((e) => e.when ?? ''),
      ...contributes.viewsWelcome.map((w: { when: string }) => w.when),
    ];
    for (const when of whens) {
      const keysOnly = when.replace(/\bview == [\w.]+/g, '');
      for (const m of keysOnly.matchAll(/\bownership\.[\w.]+/g)) assert.ok(keys.has(m[0]) || extensionSource.includes(`'${m[0]}'`), `when clause "${when}" uses unknown context key ${m[0]}`);
    }
    const welcomeWhens = contributes.viewsWelcome.map((w: { when: string }) => w.when).join(' ');
    for (const state of WELCOME_STATES) assert.match(welcomeWhens, new RegExp(`ownership\\.welcome == ${state}\\b`), `no welcome view for state ${state}`);
    for (const m of welcomeWhens.matchAll(/ownership\.welcome == (\w+)/g)) assert.ok((WELCOME_STATES as readonly string[]).includes(m[1]), `welcome view for unknown state ${m[1]}`);
  });

  it('declares every setting the code reads, each with a description, and no other', () => {
    const props = contributes.configuration.properties as Record<string, { description?: string; markdownDescription?: string }>;
    for (const key of SETTING_KEYS) {
      const p = props[`ownership.${key}`];
      assert.ok(p, `ownership.${key} is read by config.ts but not declared`);
      assert.ok(p.description || p.markdownDescription, `ownership.${key} needs a description`);
    }
    for (const name of Object.keys(props)) {
      const key = name.replace(/^ownership\./, '');
      assert.ok((SETTING_KEYS as readonly string[]).includes(key) || extensionSource.includes(`'${key}'`) || extensionSource.includes(`'${name}'`), `${name} is declared but src/extension never reads it`);
    }
  });

  it('activates on OWNERSHIP.yml, supports restricted mode, and targets the lowest supported VS Code', () => {
    assert.ok(pkg.activationEvents.includes('workspaceContains:**/OWNERSHIP.yml'));
    assert.equal(pkg.main, './dist/extension.js');
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(pkg.capabilities.untrustedWorkspaces.description);
    const engine = /^\^1\.(\d+)\.\d+$/.exec(pkg.engines.vscode);
    assert.ok(engine && Number(engine[1]) <= 100, `engines.vscode ${pkg.engines.vscode} must allow VS Code 1.100 (the harness's code-server)`);
    assert.equal(pkg.devDependencies['@types/vscode'].replace(/^\^/, ''), pkg.engines.vscode.replace(/^\^/, ''), '@types/vscode must match the lowest supported engine');
  });

  // The packaged VSIX itself is checked against test/harness/vsix-files.txt by the package tier.
  it('ships only the bundles, media, schema and docs', () => {
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    assert.equal(ignore[0], '**', '.vscodeignore must exclude everything first, then list what ships');
    for (const keep of ['!dist/extension.js', '!dist/cli.js', '!dist/engineWorker.js', '!media/icon.png', '!media/ownership.svg', '!schemas/**', '!docs/*.md', '!docs/*.png', '!README.md', '!LICENSE']) assert.ok(ignore.includes(keep), `.vscodeignore must keep ${keep}`);
    assert.ok(!ignore.some((l) => /\.map|src\//.test(l) && l.startsWith('!')), 'source maps and sources stay out of the VSIX');
    assert.ok(existsSync(join(ROOT, 'LICENSE')));
  });
});
