// The parse cache under the git directory (src/node/modelCache.ts), through the built CLI: it is
// used when OWNERSHIP.yml is unchanged, and an edited file is never answered from it, even when
// the edit keeps the file's size and modification time.
import { strict as assert } from 'node:assert';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCache } from '../../src/node/modelCache';
import { buildCli, cleanup, cli, commitAll, initRepo, write } from './support';

const YML = 'version: 1\nfeatures:\n  - id: app\n    name: Alpha\n    code: [src/]\n    tests: [test/]\n';

function cacheDir(dir: string): string {
  return join(dir, '.git', 'ownership', 'cache');
}

function listNames(dir: string): string[] {
  const r = cli(dir, ['list', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { features: { name: string }[] }).features.map((f) => f.name);
}

function entries(dir: string): string[] {
  return readdirSync(cacheDir(dir)).filter((n) => n.endsWith('.json'));
}

describe('parse cache', () => {
  before(buildCli);
  after(cleanup);

  it('is written under the git directory, readable by the user only, and used while the file is unchanged', () => {
    const dir = initRepo();
    write(dir, { 'OWNERSHIP.yml': YML, 'src/a.ts': 'a\n' });
    commitAll(dir);
    assert.deepEqual(listNames(dir), ['Alpha']);
    const [entry] = entries(dir);
    assert.ok(entry, 'a cache entry was written');
    assert.equal(statSync(join(cacheDir(dir), entry)).mode & 0o777, 0o600);
    assert.equal(statSync(cacheDir(dir)).mode & 0o777, 0o700);
    // Tamper with the cached result: if the next run shows it, the cache was used.
    const file = join(cacheDir(dir), entry);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"Alpha"', '"From the cache"'));
    assert.deepEqual(listNames(dir), ['From the cache']);
  });

  it('never serves an edited file from the cache, even with the same size and modification time', () => {
    const dir = initRepo();
    write(dir, { 'OWNERSHIP.yml': YML, 'src/a.ts': 'a\n' });
    commitAll(dir);
    const path = join(dir, 'OWNERSHIP.yml');
    assert.deepEqual(listNames(dir), ['Alpha']);
    const before = statSync(path);
    writeFileSync(path, YML.replace('Alpha', 'Omega'));
    utimesSync(path, before.atime, before.mtime);
    assert.equal(statSync(path).size, before.size);
    assert.deepEqual(listNames(dir), ['Omega']);
    // And back: the first version's entry is still valid for the first version's text.
    writeFileSync(path, YML);
    assert.deepEqual(listNames(dir), ['Alpha']);
  });

  it('ignores an entry that does not belong to the file it is named for', () => {
    const dir = initRepo();
    write(dir, { 'OWNERSHIP.yml': YML, 'src/a.ts': 'a\n' });
    commitAll(dir);
    assert.deepEqual(listNames(dir), ['Alpha']);
    const file = join(cacheDir(dir), entries(dir)[0]!);
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { key: string };
    writeFileSync(file, JSON.stringify({ ...entry, key: '0'.repeat(64) }).replace('"Alpha"', '"Wrong"'));
    assert.deepEqual(listNames(dir), ['Alpha']);
    writeFileSync(file, '{"truncated');
    assert.deepEqual(listNames(dir), ['Alpha']);
  });

  it('keeps the 64 newest entries besides the one in use, pruned before the CLI exits', () => {
    // The prune runs after the write without being awaited by the command; the CLI exits as soon
    // as its output is written (src/cli/main.ts), so this checks that it waits for that work.
    const dir = initRepo();
    write(dir, { 'OWNERSHIP.yml': YML, 'src/a.ts': 'a\n' });
    commitAll(dir);
    mkdirSync(cacheDir(dir), { recursive: true, mode: 0o700 });
    const old = (i: number) => `${String(i).padStart(64, '0')}.json`;
    for (let i = 0; i < 80; i++) {
      writeFileSync(join(cacheDir(dir), old(i)), '{}');
      const t = new Date(Date.UTC(2020, 0, 1) + i * 60_000);
      utimesSync(join(cacheDir(dir), old(i)), t, t);
    }
    assert.deepEqual(listNames(dir), ['Alpha']);
    const left = entries(dir);
    assert.equal(left.length, 65, `${left.length} entries`);
    // The oldest went; the newest 64 and the new entry stayed.
    for (let i = 0; i < 16; i++) assert.ok(!left.includes(old(i)), `${old(i)} was pruned`);
    for (let i = 16; i < 80; i++) assert.ok(left.includes(old(i)), `${old(i)} was kept`);
  });

  it('is best effort: a git directory where nothing can be written costs a parse, not a failure', async () => {
    const dir = initRepo();
    const notADir = join(dir, 'file');
    writeFileSync(notADir, 'x');
    const cache = parseCache(notADir);
    const result = { problems: [] };
    await cache.set('OWNERSHIP.yml', YML, result);
    assert.equal(await cache.get('OWNERSHIP.yml', YML), undefined);
  });
});
