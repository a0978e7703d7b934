// The discovery cache (src/node/discoveryCache.ts) on real repositories: after every kind of
// change that can make an untracked OWNERSHIP.yml appear, disappear or become ignored, the next
// run answers what a fresh walk (`git ls-files --others --exclude-standard`) answers. Changes are
// made after a run that wrote the cache and a pause past the "racy" window, so the next run would
// be served from the cache if the rule under test did not notice them.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { discoverOwnershipPaths, type Discovered, type GitReader } from '../../src/node/discoveryCache';
import { Git } from '../../src/node/git';
import { cleanup, commitAll, git, initRepo, tempDir, write } from './support';

/** Past the window in which a folder's timestamp cannot tell "before the walk" from "after". */
function settle(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
}

async function reader(dir: string): Promise<GitReader> {
  return Git.open(dir);
}

/**
 * The repository's git, making `change` right after git's walk of the working tree returns and
 * before the cache takes the stat data of the folders (the index listing, which comes first, is
 * held back until then): the walk did not see the change, the stat data does, and only the
 * timestamps' age can tell them apart.
 */
async function racing(dir: string, change: () => void): Promise<GitReader> {
  const g = await Git.open(dir);
  let walked!: () => void;
  const walk = new Promise<void>((r) => { walked = r; });
  let done = false;
  return {
    root: g.root,
    gitDir: g.gitDir,
    raw: async (args) => {
      if (args.includes('-s') && !args.includes('--')) await walk;
      const out = await g.raw(args);
      if (!done && args.includes('--directory')) {
        done = true;
        change();
        walked();
      }
      return out;
    },
  };
}

function all(d: Discovered): string[] {
  return [...new Set([...d.tracked, ...d.untracked])].sort();
}

async function cached(dir: string): Promise<Discovered> {
  return discoverOwnershipPaths(await reader(dir));
}

/** What a walk without the cache finds. */
async function truth(dir: string): Promise<string[]> {
  return all(await discoverOwnershipPaths(await reader(dir), { cache: false }));
}

/** Writes the cache and checks that an unchanged tree is then served from it. */
async function primed(dir: string): Promise<void> {
  settle();
  await cached(dir);
  const again = await cached(dir);
  assert.equal(again.from, 'cache', 'an unchanged tree is served from the cache');
  assert.deepEqual(all(again), await truth(dir));
  settle();
}

/** The next run after a change: the truth, whatever the cache held. */
async function assertSeesTruth(dir: string, expected: string[]): Promise<void> {
  const t = await truth(dir);
  assert.deepEqual(t, [...expected].sort(), 'the walk itself (test premise)');
  assert.deepEqual(all(await cached(dir)), t);
}

/** The same size as the .gitignore of `repo()`, ignoring scratch/ instead of build/. */
const SAME_SIZE_IGNORING_SCRATCH = 'scratch/\n*.t\n';

/** A modification time that utimes can restore exactly (seconds, with a fraction a double holds). */
const OLD_TIME = 1_600_000_000.5;

function repo(): string {
  const dir = initRepo(tempDir('own-disc-'));
  write(dir, {
    'OWNERSHIP.yml': 'version: 1\n',
    'src/a/one.ts': 'x\n',
    'src/b/two.ts': 'x\n',
    '.gitignore': 'build/\n*.tmp\n',
  });
  commitAll(dir);
  write(dir, { 'scratch/notes.txt': 'untracked\n' });
  mkdirSync(join(dir, 'scratch', 'empty'));
  return dir;
}

describe('discovery cache', function () {
  this.timeout(60_000);
  after(cleanup);

  it('is written under the git directory, readable by the user only', async () => {
    const dir = repo();
    await primed(dir);
    const file = join(dir, '.git', 'ownership', 'discovery.json');
    assert.equal(statSync(file).mode & 0o077, 0);
    assert.equal(statSync(join(dir, '.git', 'ownership')).mode & 0o077, 0);
  });

  it('sees a new untracked OWNERSHIP.yml in an existing folder', async () => {
    const dir = repo();
    await primed(dir);
    write(dir, { 'src/a/OWNERSHIP.yml': 'version: 1\n' });
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'src/a/OWNERSHIP.yml']);
  });

  it('sees one in a new nested folder', async () => {
    const dir = repo();
    await primed(dir);
    write(dir, { 'src/b/new/deeper/OWNERSHIP.yml': 'version: 1\n' });
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'src/b/new/deeper/OWNERSHIP.yml']);
  });

  it('sees one in an empty folder below an untracked folder', async () => {
    const dir = repo();
    await primed(dir);
    write(dir, { 'scratch/empty/OWNERSHIP.yml': 'version: 1\n' });
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'scratch/empty/OWNERSHIP.yml']);
  });

  it('forgets a deleted one', async () => {
    const dir = repo();
    write(dir, { 'scratch/OWNERSHIP.yml': 'version: 1\n' });
    await primed(dir);
    rmSync(join(dir, 'scratch', 'OWNERSHIP.yml'));
    await assertSeesTruth(dir, ['OWNERSHIP.yml']);
  });

  it('sees a .gitignore edit that keeps its size and modification time', async () => {
    const dir = repo();
    const file = join(dir, '.gitignore');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, SAME_SIZE_IGNORING_SCRATCH);
    utimesSync(file, OLD_TIME, OLD_TIME);
    write(dir, { 'scratch/OWNERSHIP.yml': 'version: 1\n' });
    await primed(dir);
    const before = statSync(file);
    writeFileSync(file, original);
    utimesSync(file, OLD_TIME, OLD_TIME);
    assert.equal(statSync(file).size, before.size);
    assert.equal(statSync(file).mtimeMs, before.mtimeMs);
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'scratch/OWNERSHIP.yml']);
  });

  it('sees a folder\'s .gitignore edited to stop ignoring the file', async () => {
    const dir = repo();
    write(dir, { 'src/a/OWNERSHIP.yml': 'version: 1\n', 'src/a/.gitignore': 'OWNERSHIP.yml\n' });
    await primed(dir);
    write(dir, { 'src/a/.gitignore': 'other\n' });
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'src/a/OWNERSHIP.yml']);
  });

  it('sees an edit of .git/info/exclude', async () => {
    const dir = repo();
    write(dir, { 'scratch/OWNERSHIP.yml': 'version: 1\n' });
    writeFileSync(join(dir, '.git', 'info', 'exclude'), 'scratch/\n');
    await primed(dir);
    writeFileSync(join(dir, '.git', 'info', 'exclude'), '\n');
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'scratch/OWNERSHIP.yml']);
  });

  it('sees core.excludesFile being unset, and its file being edited', async () => {
    const dir = repo();
    const global = join(tempDir('own-disc-global-'), 'ignore');
    writeFileSync(global, 'scratch/\n');
    write(dir, { 'scratch/OWNERSHIP.yml': 'version: 1\n' });
    git(dir, ['config', 'core.excludesFile', global]);
    await primed(dir);
    git(dir, ['config', '--unset', 'core.excludesFile']);
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'scratch/OWNERSHIP.yml']);
    git(dir, ['config', 'core.excludesFile', global]);
    await primed(dir);
    writeFileSync(global, 'nothing\n');
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'scratch/OWNERSHIP.yml']);
  });

  it('sees a tracked OWNERSHIP.yml become untracked (git rm --cached), which changes no folder', async () => {
    const dir = repo();
    write(dir, { 'src/a/OWNERSHIP.yml': 'version: 1\n' });
    commitAll(dir, 'tracked');
    await primed(dir);
    git(dir, ['rm', '-q', '--cached', 'src/a/OWNERSHIP.yml']);
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'src/a/OWNERSHIP.yml']);
    assert.deepEqual(await (await Git.open(dir)).ownershipFiles(), ['OWNERSHIP.yml', 'src/a/OWNERSHIP.yml']);
  });

  it('still finds an untracked one once it is added to the index', async () => {
    const dir = repo();
    write(dir, { 'scratch/OWNERSHIP.yml': 'version: 1\n' });
    await primed(dir);
    git(dir, ['add', 'scratch/OWNERSHIP.yml']);
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'scratch/OWNERSHIP.yml']);
  });

  it('does not serve a change made while the walk ran (racy timestamps)', async () => {
    const dir = repo();
    settle();
    const git = await racing(dir, () => write(dir, { 'src/a/OWNERSHIP.yml': 'version: 1\n' }));
    assert.deepEqual(all(await discoverOwnershipPaths(git)), ['OWNERSHIP.yml']);
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'src/a/OWNERSHIP.yml']);
  });

  it('sees a .gitignore edited while the walk ran, keeping size and modification time', async () => {
    const dir = repo();
    const file = join(dir, '.gitignore');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, SAME_SIZE_IGNORING_SCRATCH);
    utimesSync(file, OLD_TIME, OLD_TIME);
    write(dir, { 'scratch/OWNERSHIP.yml': 'version: 1\n' });
    settle();
    const git = await racing(dir, () => {
      writeFileSync(file, original);
      utimesSync(file, OLD_TIME, OLD_TIME);
    });
    assert.deepEqual(all(await discoverOwnershipPaths(git)), ['OWNERSHIP.yml']);
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'scratch/OWNERSHIP.yml']);
  });

  it('sees the content of a folder that stops being a submodule', async () => {
    const dir = repo();
    write(dir, { 'lib/OWNERSHIP.yml': 'version: 1\n' });
    const head = git(dir, ['rev-parse', 'HEAD']).trim();
    git(dir, ['update-index', '--add', '--cacheinfo', `160000,${head},lib`]);
    await primed(dir);
    assert.deepEqual(await truth(dir), ['OWNERSHIP.yml'], 'git does not walk into a gitlink (test premise)');
    git(dir, ['update-index', '--force-remove', 'lib']);
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'lib/OWNERSHIP.yml']);
  });

  it('forgets one in a folder that becomes a submodule, which changes no folder', async () => {
    const dir = repo();
    write(dir, { 'lib/OWNERSHIP.yml': 'version: 1\n' });
    await primed(dir);
    const head = git(dir, ['rev-parse', 'HEAD']).trim();
    git(dir, ['update-index', '--add', '--cacheinfo', `160000,${head},lib`]);
    await assertSeesTruth(dir, ['OWNERSHIP.yml']);
  });

  it('sees the content of a nested repository once its .git is gone', async () => {
    const dir = repo();
    const nested = join(dir, 'scratch', 'vendored');
    mkdirSync(nested);
    git(nested, ['init', '-q']);
    write(dir, { 'scratch/vendored/OWNERSHIP.yml': 'version: 1\n' });
    await primed(dir);
    assert.deepEqual(await truth(dir), ['OWNERSHIP.yml'], 'git does not walk into a nested repository (test premise)');
    renameSync(join(nested, '.git', 'HEAD'), join(nested, '.git', 'HEAD.off'));
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'scratch/vendored/OWNERSHIP.yml']);
  });

  it('a corrupt cache file is a miss, not an error', async () => {
    const dir = repo();
    await primed(dir);
    writeFileSync(join(dir, '.git', 'ownership', 'discovery.json'), '{"format":1,"key":');
    write(dir, { 'src/OWNERSHIP.yml': 'version: 1\n' });
    await assertSeesTruth(dir, ['OWNERSHIP.yml', 'src/OWNERSHIP.yml']);
    assert.ok(readFileSync(join(dir, '.git', 'ownership', 'discovery.json'), 'utf8').endsWith('}'));
  });

  it('property: after any sequence of changes, cached discovery equals a fresh walk', async function () {
    this.timeout(240_000); // 25 repositories, each step a walk with and without the cache
    const folders = ['', 'src/a', 'src/a/x', 'scratch', 'scratch/empty', 'scratch/n/m', 'build', 'ign'];
    const op = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), at: fc.constantFrom(...folders) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.constantFrom(...folders) }),
      fc.record({ kind: fc.constant('ignore' as const), at: fc.constantFrom(...folders), pattern: fc.constantFrom('OWNERSHIP.yml', 'x/', 'n/', '*.yml', '!OWNERSHIP.yml', 'zzzzzzzzzzzzz', '') }),
      fc.record({ kind: fc.constant('exclude' as const), pattern: fc.constantFrom('scratch/', 'ign/', '', 'nothing!!') }),
      fc.record({ kind: fc.constant('add' as const), at: fc.constantFrom(...folders) }),
      fc.record({ kind: fc.constant('unstage' as const), at: fc.constantFrom(...folders) }),
      fc.record({ kind: fc.constant('settle' as const) }),
    );
    let hits = 0;
    let checks = 0;
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
      const dir = repo();
      await primed(dir);
      for (const o of ops) {
        const file = (at: string) => join(dir, at, 'OWNERSHIP.yml');
        const rel = (at: string) => (at ? `${at}/` : '') + 'OWNERSHIP.yml';
        if (o.kind === 'create') write(dir, { [rel(o.at)]: 'version: 1\n' });
        if (o.kind === 'delete') rmSync(file(o.at), { force: true });
        if (o.kind === 'ignore') write(dir, { [(o.at ? `${o.at}/` : '') + '.gitignore']: o.pattern + '\n' });
        if (o.kind === 'exclude') writeFileSync(join(dir, '.git', 'info', 'exclude'), o.pattern + '\n');
        if (o.kind === 'add' && existsSync(file(o.at))) git(dir, ['add', '-f', '--', rel(o.at)]);
        if (o.kind === 'unstage') git(dir, ['rm', '-q', '--cached', '--ignore-unmatch', '--', rel(o.at)]);
        if (o.kind === 'settle') settle();
        const d = await cached(dir);
        checks++;
        if (d.from === 'cache') hits++;
        assert.deepEqual(all(d), await truth(dir), JSON.stringify(ops));
      }
    }), { numRuns: 25 });
    assert.ok(hits > checks / 10, `the cache was used (${hits} of ${checks} runs)`);
  });
});
