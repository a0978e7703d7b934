// dist/cli.js loads the CLI bundle with V8's code cache (src/cli/launcher.ts): the cache lives in
// a folder only this user can enter, a cache file anyone else could have written is never read,
// a cache V8 refuses (corrupt, another build) is replaced, and none of it changes what the
// command prints.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli, cleanup, cli, commitAll, initRepo, write } from './support';
import { ENV } from '../reliability/support';

describe('CLI code cache', function () {
  let repo: string;
  let cacheHome: string;
  const env = () => ({ ...ENV, OWNERSHIP_CODE_CACHE: join(cacheHome, 'fo') });
  const files = () => readdirSync(join(cacheHome, 'fo', 'v8'));
  const run = (e: NodeJS.ProcessEnv = env()) => cli(repo, ['which', 'src/a.ts', '--format', 'json'], e);

  before(() => {
    buildCli();
    repo = initRepo();
    write(repo, { 'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: app\n    code: [src/]\n    tests: [test/]\n', 'src/a.ts': 'a\n' });
    commitAll(repo, 'one');
  });
  beforeEach(() => { cacheHome = mkdtempSync(join(tmpdir(), 'fo-v8-')); });
  afterEach(() => rmSync(cacheHome, { recursive: true, force: true }));
  after(() => cleanup());

  it('writes one private cache file on the first run and prints the same with it', () => {
    const off = run({ ...ENV, OWNERSHIP_CODE_CACHE: 'off' });
    assert.equal(off.status, 0, off.stderr);
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout, off.stdout);
    const [file, ...more] = files();
    assert.ok(file && !more.length, `one cache file, got ${files().join(', ')}`);
    assert.match(file, /^cli-[0-9a-f]{16}-[0-9a-f]{16}\.bin$/);
    if (process.platform !== 'win32') {
      assert.equal(statSync(join(cacheHome, 'fo', 'v8')).mode & 0o777, 0o700);
      assert.equal(statSync(join(cacheHome, 'fo', 'v8', file)).mode & 0o777, 0o600);
    }
    const before = readFileSync(join(cacheHome, 'fo', 'v8', file));
    const second = run();
    assert.equal(second.stdout, off.stdout);
    // Accepted: a run with a good cache leaves it alone.
    assert.deepEqual(readFileSync(join(cacheHome, 'fo', 'v8', file)), before);
  });

  it('is not written by a run that parsed OWNERSHIP.yml, but by the next one, which did not', () => {
    // A parsing run compiles yaml and Ajv too: its cache would hold them, twice the size, and
    // every later run would load them (src/core/coldPath.ts).
    const path = join(repo, 'OWNERSHIP.yml');
    const text = readFileSync(path, 'utf8');
    try {
      writeFileSync(path, `${text}# edited: parsed again\n`);
      const parsed = run();
      assert.equal(parsed.status, 0, parsed.stderr);
      assert.deepEqual(files(), [], 'no cache from the parsing run');
      const warm = run();
      assert.equal(warm.stdout, parsed.stdout);
      assert.equal(files().length, 1, 'the next run writes it');
    } finally {
      writeFileSync(path, text);
    }
  });

  it('removes the cache files of other bundles not rewritten for 30 days when it writes its own', () => {
    // Each installed extension version runs its own bundle path, with its own cache file.
    mkdirSync(join(cacheHome, 'fo', 'v8'), { recursive: true, mode: 0o700 });
    const old = 'cli-00000000000000aa-00000000000000bb.bin';
    const recent = 'cli-00000000000000cc-00000000000000dd.bin';
    for (const f of [old, recent]) writeFileSync(join(cacheHome, 'fo', 'v8', f), 'x', { mode: 0o600 });
    const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    utimesSync(join(cacheHome, 'fo', 'v8', old), longAgo, longAgo);
    const r = run();
    assert.equal(r.status, 0, r.stderr);
    const left = files();
    assert.ok(!left.includes(old), `the stale file went: ${left.join(', ')}`);
    assert.ok(left.includes(recent), `a recent one stays: ${left.join(', ')}`);
    assert.equal(left.length, 2, `and this bundle's own: ${left.join(', ')}`);
  });

  it('never reads a cache file others can write, and replaces one V8 refuses', function () {
    if (process.platform === 'win32') this.skip();
    const expected = run({ ...ENV, OWNERSHIP_CODE_CACHE: 'off' }).stdout;
    run();
    const [file] = files();
    const path = join(cacheHome, 'fo', 'v8', file!);
    // Garbage that anyone could have written: ignored (not even handed to V8), then replaced.
    writeFileSync(path, 'not a code cache');
    chmodSync(path, 0o666);
    const planted = run();
    assert.equal(planted.status, 0, planted.stderr);
    assert.equal(planted.stdout, expected);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.notEqual(readFileSync(path, 'utf8'), 'not a code cache');
    // A private but corrupt cache: V8 rejects it, the command still works, the cache is rewritten.
    writeFileSync(path, Buffer.alloc(4096, 7));
    const corrupt = run();
    assert.equal(corrupt.status, 0, corrupt.stderr);
    assert.equal(corrupt.stdout, expected);
    assert.notDeepEqual(readFileSync(path), Buffer.alloc(4096, 7));
  });

  it('uses no cache in a folder others can write to, and none when turned off', function () {
    if (process.platform === 'win32') this.skip();
    const open = join(cacheHome, 'fo');
    run();
    chmodSync(join(open, 'v8'), 0o777);
    rmSync(join(open, 'v8', files()[0]!));
    const r = run();
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(files(), [], 'nothing written to a world-writable folder');
    const off = run({ ...ENV, OWNERSHIP_CODE_CACHE: 'off' });
    assert.equal(off.status, 0, off.stderr);
    assert.deepEqual(files(), []);
  });
});
