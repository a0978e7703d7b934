// The engine's worker thread (issue 12): the same answers as the engine run in-process, a main
// thread that keeps turning while the worker parses a huge file, and a watchdog that ends a
// request past its budget, names the file, and leaves the next request working.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findGlobSites } from '../../src/core/globSites';
import { matchGlobs } from '../../src/core/globMatches';
import { analyze, classify, compileModel, inventory } from '../../src/core/model';
import { parseOwnership } from '../../src/core/parse';
import { EngineClient, EngineCrash, hostModel, joinPaths, WatchdogError } from '../../src/node/engineClient';
import { FolderAnalysis } from '../../src/node/folderAnalysis';
import { Git, runGitIn } from '../../src/node/git';
import { CountingProbe } from '../../src/node/probe';
import { BASIC, cleanup, commitAll, git, initRepo, write } from '../reliability/support';

const ROOT = 'version: 1\nignore: ["**/*.snap"]\nfeatures:\n  - id: app\n    code: [src/, "!src/gen/"]\n    tests: ["test/**/*.test.ts"]\n    docs: {paths: [docs/], required: false}\n';
const WEB = 'version: 1\nmode: strict\nfeatures:\n  - id: web\n    code: ["{a,b}/**"]\n    tests: ["*.test.ts"]\n';

/** An OWNERSHIP.yml of `n` features, as the benchmark writes them. */
function big(n: number): string {
  return `version: 1\nfeatures:\n${Array.from({ length: n }, (_, i) => `  - id: f${i}\n    name: Feature ${i}\n    owners: ["@team${i % 7}"]\n    code: [pkg/m${i}/]\n    tests: ["test/{m${i},x${i}}/**/*.test.ts"]\n    docs: ["docs/m${i}/*.md"]\n`).join('')}`;
}

describe('engine worker', function () {
  this.timeout(120_000);
  const clients: EngineClient[] = [];
  const client = (budgetMs?: number) => {
    const c = new EngineClient({ budgetMs });
    clients.push(c);
    return c;
  };
  after(async () => { for (const c of clients) await c.dispose(); });

  it('answers as the engine does in-process: rules, analysis, classification, glob counts, glob sites', async () => {
    const c = client();
    const texts: [string, string][] = [['OWNERSHIP.yml', ROOT], ['web/OWNERSHIP.yml', WEB]];
    const r = await c.call('rules', { key: '/repo', texts });
    const files = texts.map(([p, t]) => parseOwnership(t, p).file!);
    const local = compileModel(files).model;
    assert.deepEqual(r.model.features, local.features);
    assert.deepEqual(r.parsed.map((p) => [p.path, p.parsed, p.problems.length]), [['OWNERSHIP.yml', true, 0], ['web/OWNERSHIP.yml', true, 0]]);
    const changes = [{ status: 'M' as const, path: 'src/a.ts' }, { status: 'A' as const, path: 'web/a/x.ts' }, { status: 'M' as const, path: 'elsewhere.txt' }];
    assert.deepEqual(await c.call('analyse', { key: '/repo', changes, waivers: ['web/tests skip'] }), analyze(local, changes, [{ feature: 'web', criterion: 'tests', reason: 'skip' }]));
    const paths = ['src/gen/x.ts', 'src/a.ts', 'web/b/c', 'x.snap', 'web/x.test.ts'];
    assert.deepEqual(await c.call('classify', { key: '/repo', paths }), paths.map((p) => classify(local, p)));
    const globs = ['src/**', '**/*.ts', 'web/{a,b}/**'];
    assert.deepEqual(await c.call('globCounts', { globs, files: joinPaths(paths), maxExamples: 2 }), [...matchGlobs(globs, paths, 2)]);
    assert.deepEqual(await c.call('globSites', { text: ROOT, path: 'OWNERSHIP.yml' }), findGlobSites(ROOT));
    // The model as received describes the features; its glob lists and index stay in the worker
    // (5,000 features cost the host 0.2 s to receive them, seconds to compile the index).
    const received = hostModel(r.model);
    assert.deepEqual(received.features, local.features);
    assert.deepEqual(Object.keys(received), ['features']);
    assert.throws(() => classify(received, 'src/a.ts'), /in the engine's worker/);
  });

  it('fills the repository parse cache, which a second worker then reads instead of parsing', async () => {
    const gitDir = mkdtempSync(join(tmpdir(), 'own-engine-'));
    try {
      const text = big(300);
      const first = await client().call('rules', { key: 'a', gitDir, texts: [['OWNERSHIP.yml', text]] });
      assert.equal(first.parses, 1);
      assert.equal(readdirSync(join(gitDir, 'ownership', 'cache')).length, 1);
      const r = await client().call('rules', { key: 'b', gitDir, texts: [['OWNERSHIP.yml', text]] });
      assert.equal(r.parses, 0, 'the second worker read the cache');
      assert.deepEqual(r.model.features, first.model.features);
    } finally {
      rmSync(gitDir, { recursive: true, force: true });
    }
  });

  it('the main thread keeps turning while the worker parses and compiles a 5,000-feature file', async () => {
    const c = client();
    const text = big(5000);
    // Counted, not timed: parsed on this thread, the file would leave no turn of the event loop
    // between the request and its answer; in the worker, a 1 ms timer keeps firing throughout.
    let turns = 0;
    let ticking = true;
    const tick = () => { turns++; if (ticking) setTimeout(tick, 1); };
    setTimeout(tick, 1);
    try {
      const r = await c.call('rules', { key: 'big', texts: [['OWNERSHIP.yml', text]] }, 'OWNERSHIP.yml');
      assert.equal(r.model.features.length, 5000);
    } finally {
      ticking = false;
    }
    assert.ok(turns >= 20, `the event loop turned ${turns} times while 5,000 features were parsed`);
  });

  it('a request past its budget is ended, names the file, and the next request gets a fresh worker', async () => {
    // A budget no parse of 2,000 features can meet (starting the worker alone takes longer).
    const c = client();
    const first = c.call('rules', { key: 'x', texts: [['pkg/huge/OWNERSHIP.yml', big(2000)]] }, 'pkg/huge/OWNERSHIP.yml', 1);
    // Behind it in the worker's queue, a request fails too, saying what was not analysed.
    const behind = c.call('globSites', { text: ROOT, path: 'b/OWNERSHIP.yml' }, 'b/OWNERSHIP.yml');
    await assert.rejects(behind, (e: unknown) => e instanceof EngineCrash && /b\/OWNERSHIP\.yml not analysed/.test(e.message));
    await assert.rejects(first, (e: unknown) => {
      assert.ok(e instanceof WatchdogError, String(e));
      assert.equal(e.file, 'pkg/huge/OWNERSHIP.yml');
      assert.equal(e.message, 'stopped after 0.001 s working on pkg/huge/OWNERSHIP.yml: it is too large or too complex to analyse; simplify it or split it into one OWNERSHIP.yml per folder');
      return true;
    });
    const r = await c.call('rules', { key: 'y', texts: [['OWNERSHIP.yml', ROOT]] });
    assert.deepEqual(r.model.features.map((f) => f.id), ['app']);
  });

  it('a path list is handed to the worker once, in parts, and again to a fresh worker', async () => {
    const c = client();
    let parts = 0;
    const call = c.call.bind(c);
    c.call = ((op, args, ...rest) => {
      if (op === 'pathsPart') parts++;
      return call(op, args, ...rest);
    }) as typeof c.call;
    const files = Array.from({ length: 45_000 }, (_, i) => `pkg/m${i % 50}/f${i}.ts`);
    const globs = ['pkg/m1/**', 'pkg/m2/f2.ts', 'nothing/**'];
    const expected = [...matchGlobs(globs, files, 3)];
    const ask = () => c.withPaths(files, (ref) => c.call('globCounts', { globs, files: ref, maxExamples: 3 }));
    assert.deepEqual(await ask(), expected);
    assert.equal(parts, 3, '45,000 paths in parts of 20,000');
    assert.deepEqual(await ask(), expected);
    assert.equal(parts, 3, 'not handed over again');
    // The empty list, and a list the worker never got.
    assert.deepEqual(await c.withPaths([], (ref) => c.call('globCounts', { globs, files: ref, maxExamples: 3 })), [...matchGlobs(globs, [], 3)]);
    await assert.rejects(c.call('globCounts', { globs, files: { id: 999 }, maxExamples: 3 }), /unknown path list 999/);
    // The watchdog ends the worker: the next request hands the list to the fresh one.
    await assert.rejects(c.call('rules', { key: 'x', texts: [['pkg/huge/OWNERSHIP.yml', big(2000)]] }, 'pkg/huge/OWNERSHIP.yml', 1), WatchdogError);
    parts = 0;
    assert.deepEqual(await ask(), expected);
    assert.equal(parts, 3);
  });
});

describe('folder analysis service with the engine worker', function () {
  this.timeout(120_000);
  const engine = new EngineClient();
  after(async () => { await engine.dispose(); cleanup(); });

  it('gives the same rules and verdict as in-process, for the index and the working tree', async () => {
    const dir = initRepo();
    write(dir, { 'OWNERSHIP.yml': BASIC, 'pkg/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: app\n    code: [x/]\n  - id: pkg\n    code: [src/]\n', 'src/a.ts': 'a\n', 'pkg/src/b.ts': 'b\n' });
    commitAll(dir);
    write(dir, { 'src/a.ts': 'changed\n', 'pkg/src/b.ts': 'changed\n' });
    git(dir, ['add', '-A']);
    const plain = new FolderAnalysis(await Git.open(dir));
    const viaWorker = new FolderAnalysis(await Git.open(dir), { engine });
    for (const source of [{ kind: 'staged' as const }, { kind: 'working' as const }]) {
      const a = await plain.analyse(source);
      const b = await viaWorker.analyse(source);
      assert.deepEqual(b.rules.problems, a.rules.problems);
      assert.deepEqual(b.rules.files, a.rules.files);
      assert.deepEqual(b.rules.model.features, a.rules.model.features);
      assert.deepEqual(b.verdict, a.verdict);
    }
    // The duplicate id makes the rules unusable, so fix it and get a verdict through the worker.
    write(dir, { 'pkg/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: pkg\n    code: [src/]\n' });
    git(dir, ['add', '-A']);
    const a = await plain.analyse({ kind: 'staged' });
    const b = await viaWorker.analyse({ kind: 'staged' });
    assert.ok(b.verdict);
    assert.deepEqual(b.verdict, a.verdict);
    assert.deepEqual(b.verdict.features.filter((f) => f.touched).map((f) => f.id), ['app', 'pkg']);
  });

  it('spawns git in the worker when Git runs through it (the extension does), with the same answers and messages', async () => {
    const dir = initRepo();
    write(dir, { 'OWNERSHIP.yml': BASIC, 'src/a.ts': 'a\n' });
    commitAll(dir);
    write(dir, { 'src/a.ts': 'changed\n', 'src/new.ts': 'n\n' });
    git(dir, ['add', '-A']);
    const plain = new FolderAnalysis(await Git.open(dir));
    const expected = await plain.analyse({ kind: 'staged' });
    const ran: string[] = [];
    runGitIn((d, args) => {
      ran.push(args[0]!);
      return engine.git(d, args);
    });
    try {
      const viaWorker = new FolderAnalysis(await Git.open(dir), { engine });
      const got = await viaWorker.analyse({ kind: 'staged' });
      assert.deepEqual(got.verdict, expected.verdict);
      assert.ok(ran.includes('rev-parse') && ran.includes('diff'), ran.join(' '));
      // A failing git command fails as it does in-process: with the user's message.
      const outside = mkdtempSync(join(tmpdir(), 'fo-nogit-'));
      try {
        await assert.rejects(Git.open(outside), /is not inside a git repository/);
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
      await assert.rejects((await Git.open(dir)).resolve('no-such-branch'), /unknown ref "no-such-branch"/);
    } finally {
      runGitIn(undefined);
    }
  });

  it('stats files for the editor\'s watcher fallback: a rewrite, a rename over the file and a deletion each change the signature', async () => {
    const dir = initRepo();
    write(dir, { 'OWNERSHIP.yml': BASIC });
    const file = join(dir, 'OWNERSHIP.yml');
    const ask = async () => (await engine.call('statFiles', { files: [file, join(dir, 'missing.yml')] }));
    const [first, missing] = await ask();
    assert.equal(missing, 'gone');
    assert.deepEqual(await ask(), [first, 'gone'], 'stable while nothing changes');
    write(dir, { 'OWNERSHIP.yml': `${BASIC}# more\n` });
    const [rewritten] = await ask();
    assert.notEqual(rewritten, first);
    write(dir, { 'other.yml': `${BASIC}# more\n` });
    renameSync(join(dir, 'other.yml'), file);
    const [renamed] = await ask();
    assert.notEqual(renamed, rewritten, 'same size, new inode');
    rmSync(file);
    assert.deepEqual(await ask(), ['gone', 'gone']);
  });

  it('lists files per feature, classifies paths and finds the owed pieces in the worker, as in-process', async () => {
    const dir = initRepo();
    const yml = 'version: 1\nignore: ["**/*.snap"]\nfeatures:\n  - id: app\n    code: [src/]\n    tests: ["test/**/*.test.ts"]\n    docs: [docs/]\n  - id: web\n    code: ["{web,www}/**"]\n    tests: ["web/**/*.spec.ts"]\n';
    write(dir, { 'OWNERSHIP.yml': yml, 'src/a.ts': '0\n', 'test/a.test.ts': '0\n', 'docs/a.md': '0\n', 'web/x.ts': '0\n', 'web/x.spec.ts': '0\n', 'src/x.snap': '0\n' });
    commitAll(dir);
    for (let i = 1; i <= 12; i++) {
      write(dir, { 'src/a.ts': `${i}\n`, ...(i % 4 === 0 ? { 'test/a.test.ts': `${i}\n` } : {}), ...(i % 5 === 0 ? { 'www/y.ts': `${i}\n` } : {}) });
      commitAll(dir);
    }
    const plain = new FolderAnalysis(await Git.open(dir));
    const probe = new CountingProbe();
    const viaWorker = new FolderAnalysis(await Git.open(dir), { engine, probe });
    const local = (await plain.rules()).model;
    const remote = (await viaWorker.rules()).model;
    const files = git(dir, ['ls-files']).split('\n').filter(Boolean);
    // Added paths: one already tracked (counted once), new ones at the end, in order.
    const added = ['src/a.ts', 'src/new.ts', 'web/n.spec.ts'];
    const here = await plain.inventory(local, files, added);
    const there = await viaWorker.inventory(remote, files, added);
    assert.equal(here.inWorker, false);
    assert.equal(there.inWorker, true);
    assert.deepEqual(there.value, here.value);
    assert.deepEqual(there.value, inventory(local, [...new Set([...files, ...added])]));
    assert.deepEqual(there.value.get('app')!.get('code'), ['src/a.ts', 'src/x.snap', 'src/new.ts']);
    const paths = ['src/a.ts', 'src/x.snap', 'www/y.ts', 'web/x.spec.ts', 'nowhere'];
    assert.deepEqual(await viaWorker.classify(remote, paths), await plain.classify(local, paths));
    const owedThere = await viaWorker.owed(remote, 10);
    const owedHere = await plain.owed(local, 10);
    const { steps: _a, ...a } = owedThere;
    const { steps: _b, ...b } = owedHere;
    assert.deepEqual(a, b);
    assert.ok(a.summary.owed > 0, 'the history leaves pieces owed');
    assert.equal(probe.get('inventory in worker'), 1);
    assert.equal(probe.get('owed in worker'), 1);
    // Discovery (tracked and untracked OWNERSHIP.yml files) runs in the worker, with the same answer.
    write(dir, { 'extra/OWNERSHIP.yml': 'version: 1\nfeatures: []\n' });
    const found = await new FolderAnalysis(await Git.open(dir), { engine }).ownershipPaths();
    assert.deepEqual(found, await new FolderAnalysis(await Git.open(dir)).ownershipPaths());
    assert.deepEqual(found, ['OWNERSHIP.yml', 'extra/OWNERSHIP.yml']);
    // A fresh worker (the old one ended) is given the model again, and answers the same.
    await engine.dispose();
    assert.deepEqual((await viaWorker.inventory(remote, files, added)).value, here.value);
    assert.deepEqual(await viaWorker.classify(remote, paths), await plain.classify(local, paths));
  });
});
