// The one analysis pipeline (src/node/folderAnalysis.ts) with plain mocha on real temporary
// repositories: what the CLI, the hook and the editor all read — files with their texts and
// per-file problems, the compiled model, the change and the verdict — and its caches, counted
// through an injected probe (git processes by subcommand, parses).
import { strict as assert } from 'node:assert';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { FolderAnalysis, readRules } from '../../src/node/folderAnalysis';
import { Git } from '../../src/node/git';
import { CountingProbe } from '../../src/node/probe';
import { BASIC, cleanup, commitAll, git, initRepo, tempDir, write } from '../reliability/support';

async function open(dir: string, overlays?: Map<string, string>): Promise<{ analysis: FolderAnalysis; probe: CountingProbe }> {
  const probe = new CountingProbe();
  const g = await Git.open(dir, probe);
  return { analysis: new FolderAnalysis(g, { probe, rulesFrom: 'worktree', overlays: overlays && (() => overlays) }), probe };
}

function repo(files: Record<string, string> = {}): string {
  const dir = initRepo();
  write(dir, { 'OWNERSHIP.yml': BASIC, 'src/a.ts': 'a\n', 'test/a.test.ts': 't\n', ...files });
  commitAll(dir);
  return dir;
}

describe('folder analysis service', () => {
  after(cleanup);

  it('returns every OWNERSHIP.yml with its text and its own problems, and attributes a duplicate id across files to the file that repeats it', async () => {
    const dir = repo({ 'pkg/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: app\n    code: [x/]\n' });
    const { rules } = await (await open(dir)).analysis.analyse({ kind: 'staged' });
    assert.deepEqual(rules.paths, ['OWNERSHIP.yml', 'pkg/OWNERSHIP.yml']);
    const [top, pkg] = rules.files;
    assert.equal(top?.text, BASIC);
    assert.deepEqual(top?.problems, []);
    assert.equal(pkg?.problems.length, 1);
    assert.equal(pkg?.problems[0]?.code, 'duplicate-id');
    assert.equal(pkg?.problems[0]?.line, 3, 'the problem points at the repeated id');
  });

  it('lets unsaved editor text win over the file on disk', async () => {
    const dir = repo();
    const overlays = new Map([['OWNERSHIP.yml', 'version: 1\nfeatures:\n  - id: other\n    code: [src/]\n']]);
    const { rules } = await (await open(dir, overlays)).analysis.analyse({ kind: 'staged' });
    assert.deepEqual(rules.model.features.map((f) => f.id), ['other']);
  });

  it('refuses an OWNERSHIP.yml that is a symbolic link leading outside the repository', async () => {
    const outside = tempDir();
    write(outside, { 'secret.yml': 'version: 1\nfeatures: []\n' });
    const dir = repo();
    write(dir, { 'pkg/.keep': '' });
    symlinkSync(join(outside, 'secret.yml'), join(dir, 'pkg/OWNERSHIP.yml'));
    const { rules, verdict } = await (await open(dir)).analysis.analyse({ kind: 'working' });
    const pkg = rules.files.find((f) => f.path === 'pkg/OWNERSHIP.yml');
    assert.equal(pkg?.text, undefined);
    assert.deepEqual(pkg?.problems.map((p) => p.code), ['outside-repository']);
    assert.equal(verdict, undefined, 'no verdict from rules with an error');
  });

  it('reads an OWNERSHIP.yml that sparse checkout keeps out of the working tree from the index', async () => {
    const dir = repo({ 'pkg/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: pkg\n    code: [pkg/src/]\n' });
    git(dir, ['sparse-checkout', 'set', '--no-cone', '/*', '!/pkg/']);
    const { rules } = await (await open(dir)).analysis.analyse({ kind: 'staged' });
    assert.deepEqual(rules.model.features.map((f) => f.id).sort(), ['app', 'pkg']);
  });

  it('judges the staged change', async () => {
    const dir = repo();
    write(dir, { 'src/a.ts': 'changed\n' });
    git(dir, ['add', 'src/a.ts']);
    const { verdict } = await (await open(dir)).analysis.analyse({ kind: 'staged' });
    assert.deepEqual(verdict?.features.find((f) => f.id === 'app')?.gaps, ['tests']);
  });

  it('runs no git ls-files for a git add of modified files, and lists files again when one is added', async () => {
    const dir = repo();
    const { analysis, probe } = await open(dir);
    await analysis.analyse({ kind: 'staged' });
    const first = await analysis.trackedFiles();
    assert.deepEqual(first, ['OWNERSHIP.yml', 'src/a.ts', 'test/a.test.ts']);
    const listings = probe.get('git ls-files');

    write(dir, { 'src/a.ts': 'modified\n' });
    git(dir, ['add', 'src/a.ts']);
    analysis.invalidate({ files: true });
    await analysis.analyse({ kind: 'staged' });
    assert.equal(await analysis.trackedFiles(), first, 'the same array: caches keyed on it still hit');
    assert.equal(probe.get('git ls-files'), listings, 'git ls-files ran although no file was added or removed');

    write(dir, { 'src/b.ts': 'new\n' });
    git(dir, ['add', 'src/b.ts']);
    analysis.invalidate({ files: true });
    await analysis.analyse({ kind: 'staged' });
    assert.deepEqual(await analysis.trackedFiles(), ['OWNERSHIP.yml', 'src/a.ts', 'src/b.ts', 'test/a.test.ts']);
    assert.equal(probe.get('git ls-files'), listings + 1);

    // A commit moves HEAD: listed again, and an equal list comes back as the same array.
    const before = await analysis.trackedFiles();
    git(dir, ['commit', '-q', '--no-verify', '-m', 'b']);
    analysis.invalidate({ files: true });
    assert.equal(await analysis.trackedFiles(), before);
    assert.equal(probe.get('git ls-files'), listings + 2);
  });

  it('parses an unchanged text once, and re-reads the rules only when told they changed', async () => {
    const dir = repo({ 'OWNERSHIP.yml': BASIC.replace('App', 'App once') });
    const { analysis, probe } = await open(dir);
    await analysis.rules();
    await analysis.rules();
    analysis.invalidate({ rules: true });
    await analysis.rules();
    assert.ok(probe.get('parse') <= 1, `parsed ${probe.get('parse')} times`);
    write(dir, { 'OWNERSHIP.yml': BASIC.replace('App', 'App twice') });
    assert.equal((await analysis.rules()).model.features[0]?.name, 'App once', 'cached until invalidated');
    analysis.invalidate({ rules: true });
    assert.equal((await analysis.rules()).model.features[0]?.name, 'App twice');
  });

  it('reads rules without git for folders where git must not run', async () => {
    const dir = tempDir();
    write(dir, { 'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: x\n    code: [src/\n' });
    const rules = await readRules(dir, ['OWNERSHIP.yml']);
    assert.equal(rules.files[0]?.parsed, false);
    assert.ok(rules.files[0]!.problems.length > 0);
    assert.ok(rules.files[0]!.problems.every((p) => p.file === 'OWNERSHIP.yml' && p.line >= 1));
  });

  it('reads the rules from the index and from a commit with one listing and one cat-file, and names the files whose staged version differs', async () => {
    const dir = repo({ 'pkg/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: pkg\n    code: [src/]\n' });
    write(dir, { 'OWNERSHIP.yml': BASIC.replace('App', 'Edited'), 'new/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: new\n    code: [x/]\n' });
    const { analysis, probe } = await open(dir);
    const index = await analysis.rules({ kind: 'index' });
    assert.deepEqual(index.paths, ['OWNERSHIP.yml', 'pkg/OWNERSHIP.yml'], 'untracked files do not exist in the index');
    assert.equal(index.model.features.find((f) => f.id === 'app')?.name, 'App', 'the staged text, not the edit on disk');
    assert.equal(probe.get('git cat-file'), 1);
    const head = await analysis.rules({ kind: 'commit', commit: git(dir, ['rev-parse', 'HEAD']).trim() });
    assert.deepEqual(head.model.features.map((f) => f.id).sort(), ['app', 'pkg']);
    assert.equal(probe.get('git cat-file'), 2);
    assert.deepEqual(await analysis.unstagedRules(), ['OWNERSHIP.yml', 'new/OWNERSHIP.yml']);
    git(dir, ['add', '-A']);
    assert.deepEqual(await analysis.unstagedRules(), []);
  });
});

