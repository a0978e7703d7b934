// What a real `git commit` does with the check installed, when nobody can be asked (no terminal,
// no extension) and on a terminal (under `script`, which gives the commit a pseudo-terminal).
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Git } from '../../src/node/git';
import { stagedFingerprint, writePending } from '../../src/node/pendingDecision';
import { buildCli, cleanEnv, cleanup, commit, featureRepo, git, head, initRepo, lastMessage, ownership, stageGap, staged, tempDir, write, OWNERSHIP } from './support';

async function installed(mode: 'warn' | 'strict'): Promise<string> {
  const repo = featureRepo(mode);
  const r = await ownership(repo, ['hook', 'install']);
  assert.equal(r.status, 0, r.stderr);
  return repo;
}

describe('commit check: git commit without anyone to ask', function () {
  this.timeout(60000);
  before(buildCli);
  after(cleanup);

  it('no gaps: commits silently', async () => {
    const repo = await installed('strict');
    write(repo, { 'src/checkout/cart.ts': 'c\n', 'test/checkout/cart.test.ts': 't\n' });
    git(repo, ['add', '-A']);
    const r = await commit(repo, ['-q', '-m', 'cart with tests']);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
  });

  it('warn mode: prints the gaps and commits', async () => {
    const repo = await installed('warn');
    stageGap(repo);
    const r = await commit(repo, ['-q', '-m', 'cart']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.split('\n')[0], 'Ownership: Checkout flow (@payments) is missing tests — committing anyway (warn mode)');
    assert.match(r.stderr, /Ownership-Waived: checkout\/tests <reason>/);
    assert.equal(lastMessage(repo), 'cart\n', 'nothing is recorded without a decision');
  });

  it('strict mode: refuses the commit, keeps the staged change, and honours a waiver typed in the message', async () => {
    const repo = await installed('strict');
    stageGap(repo);
    const was = head(repo);
    const r = await commit(repo, ['-m', 'cart']);
    assert.equal(r.status, 1);
    // Spoken once, by commit-msg: the refusal, then the gaps; pre-commit said nothing before it.
    assert.match(r.stderr, /^Ownership: commit blocked \(strict mode\) — not waived: checkout\/tests;/);
    assert.equal(r.stderr.match(/Checkout flow \(@payments\) is missing tests/g)?.length, 1, r.stderr);
    assert.match(r.stderr, /src\/checkout\/cart\.ts/);
    assert.equal(head(repo), was);
    assert.deepEqual(staged(repo), ['src/checkout/cart.ts']);

    const ok = await commit(repo, ['-m', 'cart\n\nOwnership-Waived: checkout/tests covered by e2e suite']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stderr, '', 'waivers given with -m: nothing to say');
    assert.equal(lastMessage(repo), 'cart\n\nOwnership-Waived: checkout/tests covered by e2e suite\n');
    // The range check in CI honours the recorded waiver.
    const ci = await ownership(repo, ['check', '--base', was, '--strict']);
    assert.equal(ci.status, 0, ci.stdout + ci.stderr);
  });

  it('strict mode on the very first commit', async () => {
    const repo = initRepo();
    assert.equal((await ownership(repo, ['hook', 'install'])).status, 0);
    write(repo, { 'OWNERSHIP.yml': OWNERSHIP('strict'), 'src/checkout/pay.ts': 'p\n' });
    git(repo, ['add', '-A']);
    const r = await commit(repo, ['-m', 'first']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /commit blocked \(strict mode\)/);
    assert.deepEqual(staged(repo).sort(), ['OWNERSHIP.yml', 'src/checkout/pay.ts']);
  });

  it('--no-verify skips it all', async () => {
    const repo = await installed('strict');
    stageGap(repo);
    const r = await commit(repo, ['-q', '--no-verify', '-m', 'cart']);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
  });

  it('a repository without OWNERSHIP.yml commits untouched', async () => {
    const repo = initRepo();
    assert.equal((await ownership(repo, ['hook', 'install'])).status, 0);
    write(repo, { 'a.txt': 'a\n' });
    git(repo, ['add', 'a.txt']);
    const r = await commit(repo, ['-q', '-m', 'a']);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
  });
});

describe('commit check: commit-msg never damages the message', function () {
  this.timeout(60000);
  before(buildCli);
  after(cleanup);

  it('adds trailers after existing ones, before comments and the scissors line of a verbose commit', async () => {
    const repo = await installed('warn');
    stageGap(repo);
    const msg = join(tempDir(), 'COMMIT_EDITMSG');
    const below = '# Please enter the commit message.\n# ------------------------ >8 ------------------------\n# Do not modify or remove the line above.\ndiff --git a/x b/x\n+Key: value\n';
    writeFileSync(msg, `Subject\n\nBody text.\n\nSigned-off-by: A <a@example.invalid>\n${below}`);
    const g = await Git.open(repo);
    writePending(g.gitDir, { fingerprint: await stagedFingerprint(g), decision: 'waive', reason: 'tests follow', gaps: [{ feature: 'checkout', criterion: 'tests' }] });
    const r = await ownership(repo, ['hook', 'run', 'commit-msg', msg]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(msg, 'utf8'), `Subject\n\nBody text.\n\nSigned-off-by: A <a@example.invalid>\nOwnership-Waived: checkout/tests tests follow\n${below}`);
  });

  it('ignores a decision made for another staged change', async () => {
    const repo = await installed('warn');
    stageGap(repo);
    const g = await Git.open(repo);
    writePending(g.gitDir, { fingerprint: 'stale', decision: 'waive', reason: '', gaps: [{ feature: 'checkout', criterion: 'tests' }] });
    const msg = join(tempDir(), 'MSG');
    writeFileSync(msg, 'Subject\n');
    await ownership(repo, ['hook', 'run', 'commit-msg', msg]);
    assert.equal(readFileSync(msg, 'utf8'), 'Subject\n');
  });
});

/** Runs `git commit` inside `script`, which gives it a pseudo-terminal, typing `input`. */
function commitOnTty(repo: string, gitArgs: string[], input: string, env = cleanEnv()) {
  // script's -c takes a shell command line; the arguments are fixed test strings, quoted here.
  const cmd = ['git', 'commit', ...gitArgs].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: repo, input, encoding: 'utf8', env });
}

describe('commit check: on a terminal', function () {
  this.timeout(60000);
  before(function () {
    buildCli();
    try {
      execFileSync('script', ['-qec', 'true', '/dev/null'], { stdio: 'pipe' });
    } catch {
      this.skip();
    }
  });
  after(cleanup);

  it('asks on the terminal; "yes" with a reason records the waiver in the commit', async () => {
    const repo = await installed('strict');
    stageGap(repo);
    const r = commitOnTty(repo, ['-m', 'cart'], 'y\nflaky e2e env, tests next PR\n');
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /Ownership: Checkout flow \(@payments\) is missing tests in this commit\./);
    assert.equal(lastMessage(repo), 'cart\n\nOwnership-Waived: checkout/tests flaky e2e env, tests next PR\n');
  });

  it('anything but yes cancels; the staged change stays', async () => {
    const repo = await installed('warn');
    stageGap(repo);
    const was = head(repo);
    const r = commitOnTty(repo, ['-m', 'cart'], '\n');
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /Ownership: commit cancelled — Checkout flow \(@payments\) is missing tests/);
    assert.equal(head(repo), was);
    assert.deepEqual(staged(repo), ['src/checkout/cart.ts']);
  });

  it('an existing interactive hook keeps its terminal too', async () => {
    const repo = featureRepo('warn');
    const hook = join(repo, '.git/hooks/pre-commit');
    writeFileSync(hook, '#!/bin/sh\nexec < /dev/tty\nread answer\n[ "$answer" = ok ]\n');
    chmodSync(hook, 0o755);
    await ownership(repo, ['hook', 'install']);
    stageGap(repo);
    const r = commitOnTty(repo, ['-m', 'cart'], 'ok\ny\n\n');
    assert.equal(r.status, 0, r.stdout);
    assert.equal(lastMessage(repo), 'cart\n\nOwnership-Waived: checkout/tests\n');
  });
});
