// A repository of 100k tracked files with 1,000 features and 5,000 staged changes (adds, deletes,
// renames), built with the benchmark's generator (git fast-import). Speed is the benchmark's job;
// this checks that the answer is complete and consistent at that size, inside a 256 MB heap.
import assert from 'node:assert/strict';
import { ensureRepo } from '../../bench/generate';
import { assertNoCrash, buildCli, cleanup, cli, ENV, git, tempDir } from './support';

interface Json {
  features: { id: string; touched: boolean; changed: Record<string, string[]>; gaps: string[] }[];
  unowned: string[];
  summary: { touched: number; incomplete: number; gaps: number };
}

describe('reliability: a repository of 100k files', function () {
  this.timeout(600_000);
  let repo: string;
  const heapCapped = { ...ENV, NODE_OPTIONS: '--max-old-space-size=256' };

  before(() => {
    buildCli();
    repo = ensureRepo(tempDir('own-large-'), { files: 100_000, changes: 5_000 }, () => undefined);
  });
  after(cleanup);

  it('check --staged accounts for every changed path exactly as git reports it', () => {
    const r = cli(repo, ['check', '--staged', '--format', 'json'], heapCapped);
    assertNoCrash(r);
    assert.equal(r.status, 0, r.stderr);
    const v = JSON.parse(r.stdout) as Json;
    assert.equal(v.features.length, 1000, 'every declared feature appears');

    // What git says changed: both sides of a rename.
    const parts = git(repo, ['diff', '--cached', '--name-status', '-z', '-M']).split('\0');
    const expected = new Set<string>();
    for (let i = 0; i < parts.length; ) {
      const status = parts[i++];
      if (!status) continue;
      if (status.startsWith('R') || status.startsWith('C')) {
        const from = parts[i++]!;
        const to = parts[i++]!;
        if (status.startsWith('R')) expected.add(from);
        expected.add(to);
      } else expected.add(parts[i++]!);
    }
    assert.ok(expected.size >= 5000);

    const seen = new Set<string>(v.unowned);
    for (const f of v.features) for (const paths of Object.values(f.changed)) for (const p of paths) seen.add(p);
    assert.deepEqual([...seen].filter((p) => !expected.has(p)), [], 'no path reported that git did not change');
    assert.deepEqual([...expected].filter((p) => !seen.has(p) && !p.endsWith('OWNERSHIP.yml')), [], 'every changed path is owned or reported unowned');

    // The summary agrees with the features it summarises.
    const touched = v.features.filter((f) => f.touched);
    assert.equal(v.summary.touched, touched.length);
    assert.ok(touched.length > 0);
    assert.equal(v.summary.gaps, touched.reduce((n, f) => n + f.gaps.length, 0));
    for (const f of v.features) assert.equal(f.touched, (f.changed.code ?? []).length > 0, `touched iff code changed (${f.id})`);
  });

  it('list counts every tracked file of every feature, inside the same heap', () => {
    const r = cli(repo, ['list', '--format', 'json'], heapCapped);
    assertNoCrash(r);
    assert.equal(r.status, 0, r.stderr);
    const l = JSON.parse(r.stdout) as { features: { id: string; criteria: { name: string; files: number }[] }[] };
    assert.equal(l.features.length, 1000);
    const code = l.features.reduce((n, f) => n + (f.criteria.find((c) => c.name === 'code')?.files ?? 0), 0);
    const tracked = git(repo, ['ls-files', '-z']).split('\0').filter(Boolean);
    // Each feature's code is a module of one package: together they cover every `src/` file once.
    const srcFiles = tracked.filter((p) => p.includes('/src/')).length;
    assert.equal(code, srcFiles);
  });
});
