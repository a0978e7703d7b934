// The report's history cache ($GIT_DIR/ownership/cache/history.json): a report over history it
// has seen asks git only which commits the range holds (no diffs), gives exactly the report it
// gives without the cache, follows edits of OWNERSHIP.yml and new commits, and treats a corrupt
// or foreign cache as a miss.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, cleanup, cli, commitAll, git, initRepo, tempDir, write } from './support';
import { ENV } from '../reliability/support';

const YML = `version: 1
features:
  - id: app
    code: [src/app/]
    tests: [test/app/]
    release-notes: [CHANGELOG.md]
  - id: lib
    code: [src/lib/]
    tests: [test/lib/]
    release-notes: [CHANGELOG.md]
`;

describe('report history cache', function () {
  let repo: string;
  const cacheFile = () => join(repo, '.git', 'ownership', 'cache', 'history.json');

  /** The report's JSON and the git commands it ran (GIT_TRACE). */
  function report(...args: string[]): { json: string; gitCommands: string[] } {
    const trace = join(tempDir('own-trace-'), 'trace.txt');
    const r = cli(repo, ['report', '--format', 'json', ...args], { ...ENV, GIT_TRACE: trace });
    assert.equal(r.status, 0, r.stderr);
    const lines = existsSync(trace) ? readFileSync(trace, 'utf8').split('\n') : [];
    return { json: r.stdout, gitCommands: lines.filter((l) => l.includes('trace: built-in: git')).map((l) => l.slice(l.indexOf('git '))) };
  }
  const uncached = () => { rmSync(cacheFile(), { force: true }); return report().json; };
  /** One commit on a new branch `name`, merged back with --no-ff. */
  function mergeBranch(name: string, files: Record<string, string>, message: string): void {
    git(repo, ['checkout', '-q', '-b', name]);
    write(repo, files);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '--no-verify', '-m', message]);
    git(repo, ['checkout', '-q', '-']);
    git(repo, ['merge', '-q', '--no-ff', '--no-edit', name]);
  }
  const readsDiffs = (cmds: string[]) => cmds.some((c) => c.startsWith('git log') && c.includes('--name-status'));

  before(() => {
    buildCli();
    repo = initRepo();
    write(repo, { 'OWNERSHIP.yml': YML, 'src/app/a.ts': '1\n', 'src/lib/l.ts': '1\n', 'test/app/a.test.ts': '1\n', 'CHANGELOG.md': '# log\n' });
    commitAll(repo, 'start');
    write(repo, { 'src/app/a.ts': '2\n' });
    commitAll(repo, 'app without tests');
    // A merge that brings in a waived change.
    mergeBranch('side', { 'src/lib/l.ts': '2\n' }, 'lib\n\nOwnership-Waived: lib/tests later');
    write(repo, { 'test/app/a.test.ts': '2\n', 'CHANGELOG.md': '# log\n- app\n' });
    commitAll(repo, 'app tests and notes');
  });
  after(() => cleanup());

  it('a second report reads no diffs and prints the same report', () => {
    rmSync(cacheFile(), { force: true });
    const first = report();
    assert.ok(readsDiffs(first.gitCommands), `the first report reads the diffs: ${first.gitCommands.join(' | ')}`);
    assert.ok(existsSync(cacheFile()));
    if (process.platform !== 'win32') assert.equal(statSync(cacheFile()).mode & 0o777, 0o600);
    const second = report();
    assert.ok(!readsDiffs(second.gitCommands), `no diffs the second time: ${second.gitCommands.join(' | ')}`);
    assert.ok(second.gitCommands.some((c) => c.startsWith('git rev-list')), 'asks git which commits the range holds');
    assert.equal(second.json, first.json);
    const r = JSON.parse(second.json) as { features: { id: string; owed: { criterion: string; waived: boolean }[] }[] };
    // lib's tests: owed by the first commit, and waived by the change the merge brought in — from
    // the cache as from git.
    assert.deepEqual(r.features.find((f) => f.id === 'lib')?.owed.map((p) => [p.criterion, p.waived]), [['tests', false], ['tests', true]]);
  });

  it('follows an edit of OWNERSHIP.yml and a new commit, as a report without the cache does', () => {
    report();
    write(repo, { 'OWNERSHIP.yml': YML.replace('    release-notes: [CHANGELOG.md]\n  - id: lib', '  - id: lib') });
    const edited = report();
    assert.ok(!readsDiffs(edited.gitCommands), 'new rules, same commits: no diffs');
    assert.equal(edited.json, uncached());
    git(repo, ['checkout', '-q', '--', 'OWNERSHIP.yml']);
    write(repo, { 'src/lib/l.ts': '3\n' });
    commitAll(repo, 'lib again');
    const moved = report();
    // Only the new commit's diff is read: the log stops at the first commit the cache knows.
    const logs = moved.gitCommands.filter((c) => c.startsWith('git log') && c.includes('--name-status'));
    assert.equal(logs.length, 1, logs.join(' | '));
    assert.match(logs[0]!, / HEAD \^[0-9a-f]{40} --$/);
    assert.equal(moved.json, uncached());
    assert.equal((JSON.parse(moved.json) as { range: { commits: number } }).range.commits, 5);
    // A new merge on top: its brought-in commits are found from the new commits alone.
    mergeBranch('side2', { 'src/app/a.ts': '3\n' }, 'app\n\nOwnership-Waived: app/tests soon');
    const merged = report();
    assert.ok(!merged.gitCommands.some((c) => c.startsWith('git log') && c.includes('--name-status') && !c.includes('^')), 'no whole read');
    assert.equal(merged.json, uncached());
  });

  it('a corrupt or hand-edited cache is a miss, never a crash or a wrong report', () => {
    const expected = uncached();
    for (const text of ['{not json', '{"format":1,"commits":{"x":1}}', JSON.stringify({ format: 1, commits: {}, judged: { key: 'k', reach: { a: 'code=99999' } } })]) {
      writeFileSync(cacheFile(), text);
      assert.equal(report().json, expected, text);
    }
    // A cache whose commits lie about their shape: ignored.
    report();
    const stored = JSON.parse(readFileSync(cacheFile(), 'utf8')) as { commits: Record<string, { commit: { changes: unknown } }> };
    for (const e of Object.values(stored.commits)) e.commit.changes = 'nope';
    writeFileSync(cacheFile(), JSON.stringify(stored));
    assert.equal(report().json, expected);
  });
});
