// Installing never loses a hook: chaining, exact restore, idempotence, core.hooksPath, husky,
// paths with shell metacharacters, and a runtime that is gone.
import { strict as assert } from 'node:assert';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installHooks } from '../../src/node/hooks';
import { buildCli, cleanEnv, cleanup, commit, featureRepo, git, head, lastMessage, ownership, snapshot, stageGap, staged, tempDir, write } from './support';

describe('hook install / uninstall', function () {
  this.timeout(60000);
  before(buildCli);
  after(cleanup);

  it('installs both hooks and a per-clone runner; installing twice changes nothing', async () => {
    const repo = featureRepo();
    const first = await ownership(repo, ['hook', 'install']);
    assert.equal(first.status, 0, first.stderr);
    assert.ok(existsSync(join(repo, '.git/hooks/pre-commit')));
    assert.ok(existsSync(join(repo, '.git/hooks/commit-msg')));
    assert.match(readFileSync(join(repo, '.git/ownership/hook.sh'), 'utf8'), /OWNERSHIP_CLI=.*dist\/cli\.js'/);
    const before = snapshot(join(repo, '.git'));
    const second = await ownership(repo, ['hook', 'install']);
    assert.equal(second.status, 0);
    assert.match(second.stdout, /already installed/);
    assert.deepEqual(snapshot(join(repo, '.git')), before);
    assert.equal((await ownership(repo, ['hook', 'status'])).status, 0);
  });

  it('chains an existing hook: it runs first, its failure stops the commit, uninstall restores it byte for byte', async () => {
    const repo = featureRepo();
    const hooks = join(repo, '.git/hooks');
    // No trailing newline and an unusual mode: both must come back exactly.
    const preCommit = '#!/bin/sh\necho "lint ran" > lint-ran.txt\n[ ! -f block-me ] || { echo "lint: blocked" >&2; exit 3; }';
    const commitMsg = '#!/bin/sh\ngrep -q . "$1" && echo seen > msg-hook-ran.txt';
    writeFileSync(join(hooks, 'pre-commit'), preCommit);
    chmodSync(join(hooks, 'pre-commit'), 0o750);
    writeFileSync(join(hooks, 'commit-msg'), commitMsg);
    chmodSync(join(hooks, 'commit-msg'), 0o700);
    const original = snapshot(hooks);

    const inst = await ownership(repo, ['hook', 'install']);
    assert.equal(inst.status, 0, inst.stderr);
    assert.match(inst.stdout, /moved the existing pre-commit hook/);
    assert.equal(readFileSync(join(hooks, 'pre-commit.ownership-chained'), 'utf8'), preCommit);

    write(repo, { 'docs.md': 'x\n' });
    git(repo, ['add', 'docs.md']);
    const ok = await commit(repo, ['-m', 'docs']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.ok(existsSync(join(repo, 'lint-ran.txt')), 'the chained pre-commit ran');
    assert.ok(existsSync(join(repo, 'msg-hook-ran.txt')), 'the chained commit-msg ran with the message file');

    writeFileSync(join(repo, 'block-me'), '');
    write(repo, { 'docs2.md': 'x\n' });
    git(repo, ['add', 'docs2.md']);
    const was = head(repo);
    const blocked = await commit(repo, ['-m', 'docs2']);
    assert.equal(blocked.status, 1);
    assert.match(blocked.stderr, /^lint: blocked/);
    assert.equal(head(repo), was);
    assert.deepEqual(staged(repo), ['docs2.md']);

    const un = await ownership(repo, ['hook', 'uninstall']);
    assert.equal(un.status, 0, un.stderr);
    assert.deepEqual(snapshot(hooks), original);
    assert.ok(!existsSync(join(repo, '.git/ownership/hook.sh')));
  });

  it('follows core.hooksPath', async () => {
    const repo = featureRepo('strict');
    git(repo, ['config', 'core.hooksPath', '.githooks']);
    assert.equal((await ownership(repo, ['hook', 'install'])).status, 0);
    assert.ok(existsSync(join(repo, '.githooks/pre-commit')));
    assert.ok(!existsSync(join(repo, '.git/hooks/pre-commit')));
    stageGap(repo);
    const r = await commit(repo, ['-m', 'cart']);
    assert.equal(r.status, 1, 'the strict check ran from .githooks');
    assert.equal((await ownership(repo, ['hook', 'uninstall'])).status, 0);
    assert.ok(!existsSync(join(repo, '.githooks/pre-commit')));
  });

  it('installed from a linked worktree, checks commits there (hooks and runner live in the common git dir)', async () => {
    const repo = featureRepo('strict');
    const linked = join(tempDir(), 'linked');
    git(repo, ['worktree', 'add', '-q', linked]);
    assert.equal((await ownership(linked, ['hook', 'install'])).status, 0);
    assert.ok(existsSync(join(repo, '.git/hooks/pre-commit')));
    assert.ok(existsSync(join(repo, '.git/ownership/hook.sh')));
    stageGap(linked);
    const r = await commit(linked, ['-m', 'cart']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /commit blocked \(strict mode\)/);
  });

  it('with husky, adds a delimited block to .husky scripts and removes exactly that', async () => {
    const repo = featureRepo('strict');
    // husky 9: core.hooksPath=.husky/_ holds stubs that run the user's .husky/<hook> with sh -e.
    const h = 'n=$(basename "$0")\ns=$(dirname "$(dirname "$0")")/$n\n[ ! -f "$s" ] && exit 0\nsh -e "$s" "$@"\n';
    write(repo, { '.husky/_/h': h, '.husky/_/pre-commit': '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n', '.husky/_/commit-msg': '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n' });
    chmodSync(join(repo, '.husky/_/pre-commit'), 0o755);
    chmodSync(join(repo, '.husky/_/commit-msg'), 0o755);
    const userScript = 'echo "husky lint" > husky-ran.txt'; // no final newline
    write(repo, { '.husky/pre-commit': userScript });
    git(repo, ['config', 'core.hooksPath', '.husky/_']);
    const original = snapshot(join(repo, '.husky'));

    assert.equal((await ownership(repo, ['hook', 'install'])).status, 0);
    const script = readFileSync(join(repo, '.husky/pre-commit'), 'utf8');
    assert.ok(script.startsWith(userScript + '\n# >>> ownership commit check'), script);
    assert.ok(existsSync(join(repo, '.husky/commit-msg')), 'a missing script is created');
    assert.ok(!existsSync(join(repo, '.husky/_/pre-commit.ownership-chained')), 'husky stubs are left alone');
    const again = snapshot(join(repo, '.husky'));
    await ownership(repo, ['hook', 'install']);
    assert.deepEqual(snapshot(join(repo, '.husky')), again);

    stageGap(repo);
    const r = await commit(repo, ['-m', 'cart']);
    assert.ok(existsSync(join(repo, 'husky-ran.txt')), 'the user script ran');
    assert.equal(r.status, 1, 'and then the strict check');
    assert.match(r.stderr, /commit blocked \(strict mode\)/);

    assert.equal((await ownership(repo, ['hook', 'uninstall'])).status, 0);
    assert.deepEqual(snapshot(join(repo, '.husky')), original);
  });

  it('keeps quotes, spaces and $(…) in the repository and CLI paths inert', async () => {
    const base = tempDir();
    const repo = featureRepo('strict', join(base, `it's a "repo" $(touch PWNED) dir`));
    const cliDir = join(base, `cli 'dir' ; touch PWNED2`);
    mkdirSync(cliDir);
    for (const f of ['cli.js', 'cliMain.js']) copyFileSync(join(__dirname, '../../dist', f), join(cliDir, f));
    const r0 = await ownership(repo, ['hook', 'install'], cleanEnv());
    assert.equal(r0.status, 0, r0.stderr);
    await installHooks(repo, { node: process.execPath, cli: join(cliDir, 'cli.js'), electron: false });
    stageGap(repo);
    const r = await commit(repo, ['-m', 'cart']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /commit blocked \(strict mode\)/, 'the check ran through the quoted paths');
    assert.ok(!existsSync(join(base, 'PWNED')) && !existsSync(join(repo, 'PWNED')) && !existsSync(join(repo, 'PWNED2')) && !existsSync(join(base, 'PWNED2')));
  });

  it('says so in one line, and lets the commit through, when nothing can run the check', async () => {
    const repo = featureRepo('strict');
    await installHooks(repo, { node: '/nonexistent/node', cli: '/nonexistent/cli.js', electron: false });
    // A PATH with git and sh only: no node, no ownership.
    const bin = tempDir();
    const gitPath = git(repo, ['--exec-path']).trim() + '/git';
    symlinkSync(existsSync(gitPath) ? gitPath : '/usr/bin/git', join(bin, 'git'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    stageGap(repo);
    const r = await commit(repo, ['-m', 'cart'], cleanEnv({ PATH: bin }));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^Ownership: commit not checked — the recorded runtime \(\/nonexistent\/node\) is gone/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(lastMessage(repo), /^cart/);
  });

  it('refuses to install over a foreign hook when the chained slot is taken, changing nothing', async () => {
    const repo = featureRepo();
    const hooks = join(repo, '.git/hooks');
    writeFileSync(join(hooks, 'pre-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    writeFileSync(join(hooks, 'pre-commit.ownership-chained'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const before = snapshot(hooks);
    const r = await ownership(repo, ['hook', 'install']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /already exists: move one of them away/);
    assert.deepEqual(snapshot(hooks), before);
    assert.equal(statSync(join(hooks, 'pre-commit')).mode & 0o777, 0o755);
  });
});
