// Reliability matrix, "Odd repositories": the states real repositories are in, each made with
// real git and checked through the built CLI. A clear one-line message and exit 2 where the
// question cannot be answered; a correct answer everywhere else; never a crash.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoCrash, BASIC, basicRepo, buildCli, cleanup, cli, CLI, commitAll, ENV, git, initRepo, tempDir, write, type CliResult } from './support';

interface JsonVerdict {
  features: { id: string; touched: boolean; changed: Record<string, string[]>; gaps: string[] }[];
  unowned: string[];
}

/** `check <args> --format json`, asserted to succeed. */
function checkJson(dir: string, args: string[] = []): JsonVerdict {
  const r = cli(dir, ['check', ...args, '--format', 'json']);
  assertNoCrash(r);
  assert.equal(r.status, 0, `check ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as JsonVerdict;
}

function changedCode(v: JsonVerdict, feature = 'app'): string[] {
  return [...(v.features.find((f) => f.id === feature)?.changed.code ?? [])].sort();
}

/** Exit 2 with exactly one line on stderr, matching `message`. */
function assertClearFailure(r: CliResult, message: RegExp): void {
  assertNoCrash(r);
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, `one line: ${r.stderr}`);
  assert.match(r.stderr.trimEnd(), message);
}

/** A folder holding a `git` script, for PATHs that must not find the real one. */
function fakeGitDir(script: string): string {
  const d = tempDir('own-fakegit-');
  writeFileSync(join(d, 'git'), script);
  chmodSync(join(d, 'git'), 0o755);
  return d;
}

const REAL_GIT = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();

describe('reliability: odd repositories', function () {
  before(buildCli);
  after(cleanup);

  it('no commits yet: staged and working changes are checked against the empty tree; --base fails clearly', () => {
    const dir = initRepo();
    write(dir, { 'OWNERSHIP.yml': BASIC, 'src/a.ts': 'a\n' });
    git(dir, ['add', '-A']);
    assert.deepEqual(changedCode(checkJson(dir)), ['src/a.ts']);
    write(dir, { 'src/b.ts': 'b\n' });
    assert.deepEqual(changedCode(checkJson(dir, ['--working'])), ['src/a.ts', 'src/b.ts']);
    assertClearFailure(cli(dir, ['check', '--base', 'main']), /^ownership: unknown ref "main": fetch it first/);
  });

  it('detached HEAD', () => {
    const dir = basicRepo();
    write(dir, { 'src/b.ts': 'b\n' });
    commitAll(dir, 'second');
    git(dir, ['checkout', '-q', '--detach', 'HEAD~1']);
    write(dir, { 'src/c.ts': 'c\n' });
    git(dir, ['add', '-A']);
    assert.deepEqual(changedCode(checkJson(dir)), ['src/c.ts']);
    assert.deepEqual(changedCode(checkJson(dir, ['--base', 'HEAD', '--head', 'main'])), ['src/b.ts']);
  });

  it('mid-merge with a conflicted file (status U): the conflicted file counts as changed', () => {
    const dir = basicRepo();
    git(dir, ['checkout', '-q', '-b', 'other']);
    write(dir, { 'src/a.ts': 'other\n' });
    commitAll(dir, 'other');
    git(dir, ['checkout', '-q', 'main']);
    write(dir, { 'src/a.ts': 'main\n' });
    commitAll(dir, 'main');
    spawnSync('git', ['merge', 'other'], { cwd: dir, env: ENV });
    assert.match(git(dir, ['status', '--porcelain']), /^UU src\/a\.ts$/m);
    assert.deepEqual(changedCode(checkJson(dir)), ['src/a.ts']);
    assert.deepEqual(changedCode(checkJson(dir, ['--working'])), ['src/a.ts']);
  });

  it('mid-rebase with a conflicted file', () => {
    const dir = basicRepo();
    git(dir, ['checkout', '-q', '-b', 'topic']);
    write(dir, { 'src/a.ts': 'topic\n', 'test/a.test.ts': 't\n' });
    commitAll(dir, 'topic');
    git(dir, ['checkout', '-q', 'main']);
    write(dir, { 'src/a.ts': 'main\n' });
    commitAll(dir, 'main');
    git(dir, ['checkout', '-q', 'topic']);
    spawnSync('git', ['rebase', 'main'], { cwd: dir, env: ENV });
    assert.match(git(dir, ['status']), /rebas/);
    const v = checkJson(dir);
    assert.deepEqual(changedCode(v), ['src/a.ts']);
    assert.deepEqual(v.features[0]!.changed.tests, ['test/a.test.ts']);
    // In the middle of a rebase HEAD is detached on main: a range against main is still answered.
    checkJson(dir, ['--base', 'main']);
  });

  it('shallow clone: --base beyond its history fails with a clear message, exit 2', () => {
    const origin = basicRepo();
    for (let i = 0; i < 3; i++) {
      write(origin, { [`src/f${i}.ts`]: `${i}\n` });
      commitAll(origin, `c${i}`);
    }
    git(origin, ['branch', 'old', 'HEAD~3']);
    const parent = tempDir();
    git(parent, ['clone', '-q', '--depth', '1', `file://${origin}`, 'clone']);
    const dir = join(parent, 'clone');
    assertClearFailure(cli(dir, ['check', '--base', 'HEAD~3']), /^ownership: unknown ref "HEAD~3": this is a shallow clone and its history may stop before it; fetch more history \(e\.g\. "git fetch --unshallow", or fetch-depth: 0 in CI\)$/);
    // The base fetched at depth 1 too: both ends exist but no merge base does.
    git(dir, ['fetch', '-q', '--depth', '1', 'origin', 'old:refs/remotes/origin/old']);
    assertClearFailure(cli(dir, ['check', '--base', 'origin/old']), /^ownership: no merge base between "origin\/old" and "HEAD": this is a shallow clone; fetch more history/);
    git(dir, ['fetch', '-q', '--unshallow']);
    assert.deepEqual(changedCode(checkJson(dir, ['--base', 'origin/old'])), ['src/f0.ts', 'src/f1.ts', 'src/f2.ts']);
  });

  it('linked worktree: reads its own checkout, not the main one', () => {
    const dir = basicRepo();
    git(dir, ['checkout', '-q', '-b', 'wt']);
    write(dir, { 'OWNERSHIP.yml': BASIC.replace('id: app', 'id: app2') });
    commitAll(dir, 'renamed feature');
    git(dir, ['checkout', '-q', 'main']);
    const wt = join(tempDir(), 'wt');
    git(dir, ['worktree', 'add', '-q', wt, 'wt']);
    write(wt, { 'src/b.ts': 'b\n' });
    git(wt, ['add', '-A']);
    const v = checkJson(wt);
    assert.deepEqual(v.features.map((f) => f.id), ['app2']);
    assert.deepEqual(changedCode(v, 'app2'), ['src/b.ts']);
    assert.deepEqual(changedCode(checkJson(dir)), [], 'the main worktree has no staged change');
  });

  it('submodule: a changed pointer is a change; the OWNERSHIP.yml inside it is not read', () => {
    const sub = basicRepo();
    write(sub, { 'OWNERSHIP.yml': BASIC.replace('id: app', 'id: inside-submodule') });
    commitAll(sub, 'sub feature');
    const dir = initRepo();
    write(dir, { 'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: app\n    code: [src/, vendor/]\n    tests: [test/]\n', 'src/a.ts': 'a\n' });
    commitAll(dir, 'init');
    git(dir, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'vendor/lib']);
    commitAll(dir, 'add submodule');
    const list = cli(dir, ['list', '--format', 'json']);
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual((JSON.parse(list.stdout) as { features: { id: string }[] }).features.map((f) => f.id), ['app']);
    git(join(dir, 'vendor/lib'), ['checkout', '-q', 'HEAD~1']);
    git(dir, ['add', 'vendor/lib']);
    assert.deepEqual(changedCode(checkJson(dir)), ['vendor/lib']);
    assert.deepEqual(changedCode(checkJson(dir, ['--working'])), ['vendor/lib']);
  });

  it('sparse checkout: an OWNERSHIP.yml outside the checked-out cone is still read (from the index)', () => {
    const dir = basicRepo();
    write(dir, { 'pkg/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: pkg\n    code: [lib/]\n' });
    commitAll(dir, 'pkg');
    git(dir, ['sparse-checkout', 'set', 'src']);
    assert.equal(existsSync(join(dir, 'pkg/OWNERSHIP.yml')), false, 'not in the working tree');
    const r = cli(dir, ['which', 'pkg/lib/x.ts', 'src/a.ts']);
    assertNoCrash(r);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'pkg/lib/x.ts: pkg [pkg] code\nsrc/a.ts: App [app] code\n');
  });

  it('bare repository, or the .git folder itself: exit 2 with a clear message', () => {
    const bare = join(tempDir(), 'bare.git');
    git(tempDir(), ['init', '-q', '--bare', bare]);
    assertClearFailure(cli(bare, ['check']), /^ownership: .*bare\.git is a bare repository or a \.git folder: ownership needs a working tree/);
    const dir = basicRepo();
    assertClearFailure(cli(dir, ['validate', '-C', '.git']), /is a bare repository or a \.git folder/);
    assertClearFailure(cli(dir, ['validate', '-C', 'no/such/folder']), /^ownership: .*no\/such\/folder does not exist$/);
  });

  it('case-only rename: both spellings count as changed', () => {
    const dir = initRepo();
    write(dir, { 'OWNERSHIP.yml': BASIC, 'src/Readme.ts': 'a\n' });
    commitAll(dir);
    git(dir, ['mv', 'src/Readme.ts', 'src/README.ts']);
    assert.deepEqual(changedCode(checkJson(dir)), ['src/README.ts', 'src/Readme.ts']);
    commitAll(dir, 'rename');
    assert.deepEqual(changedCode(checkJson(dir, ['--base', 'HEAD~1'])), ['src/README.ts', 'src/Readme.ts']);
  });

  it('file names with newlines, leading dashes, quotes, backslashes, spaces and non-ASCII arrive intact', () => {
    const names = ['new\nline.ts', '--output=x', '-rf', 'q"uote\'s.ts', 'back\\slash.ts', 'with space.ts', 'tab\there.ts', 'ünï€😀.ts'];
    const dir = basicRepo();
    for (const n of names) write(dir, { [`src/${n}`]: 'x\n' });
    git(dir, ['add', '-A']);
    const expected = names.map((n) => `src/${n}`).sort();
    assert.deepEqual(changedCode(checkJson(dir)), expected);
    assert.deepEqual(changedCode(checkJson(dir, ['--working'])), expected);
    commitAll(dir, 'names');
    assert.deepEqual(changedCode(checkJson(dir, ['--base', 'HEAD~1'])), expected);
  });

  it('file names with invalid UTF-8 bytes: no crash, matched by folder, shown with U+FFFD (a documented limit)', function () {
    const dir = basicRepo();
    const raw = Buffer.concat([Buffer.from(join(dir, 'src', 'bad')), Buffer.from([0xff, 0xfe]), Buffer.from('.ts')]);
    try {
      writeFileSync(raw, 'x\n');
    } catch {
      this.skip(); // a file system that insists on UTF-8 names
    }
    git(dir, ['add', '-A']);
    assert.deepEqual(changedCode(checkJson(dir)), ['src/bad\ufffd\ufffd.ts']);
    const text = cli(dir, ['check']);
    assert.equal(text.status, 0);
    assert.match(text.stdout, /code: src\/bad\ufffd\ufffd\.ts/);
  });

  it('symbolic links in the change (to outside the repository, and loops) are paths, never followed', () => {
    const dir = basicRepo();
    symlinkSync('/etc/passwd', join(dir, 'src/passwd'));
    symlinkSync('loop2', join(dir, 'src/loop1'));
    symlinkSync('loop1', join(dir, 'src/loop2'));
    symlinkSync('..', join(dir, 'src/up'));
    git(dir, ['add', '-A']);
    assert.deepEqual(changedCode(checkJson(dir)), ['src/loop1', 'src/loop2', 'src/passwd', 'src/up']);
    assert.deepEqual(changedCode(checkJson(dir, ['--working'])), ['src/loop1', 'src/loop2', 'src/passwd', 'src/up']);
    const which = cli(dir, ['which', 'src/up/src/a.ts']);
    assert.equal(which.status, 0, which.stderr);
  });

  it('50,000 changed files in one commit: answered within a 256 MB heap', function () {
    this.timeout(180000);
    const dir = basicRepo();
    // One blob, 50,000 index entries: the index is what git diffs, no need to write the files.
    const blob = git(dir, ['hash-object', '-w', '--stdin'], 'x\n').trim();
    const entries = Array.from({ length: 50000 }, (_, i) => `100644 ${blob}\t${i % 2 ? 'src' : 'lib'}/d${i % 100}/file-${i}.ts\n`).join('');
    git(dir, ['update-index', '--index-info'], entries);
    git(dir, ['commit', '-q', '--no-verify', '-m', 'huge']);
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, 'check', '--base', 'HEAD~1', '--format', 'json'], { cwd: dir, env: ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 150000, killSignal: 'SIGKILL' });
    assertNoCrash({ status: r.status, stdout: r.stdout, stderr: r.stderr });
    assert.equal(r.status, 0, r.stderr);
    const v = JSON.parse(r.stdout) as JsonVerdict;
    assert.equal(changedCode(v).length, 25000);
    assert.equal(v.unowned.length, 25000);
    const text = cli(dir, ['check', '--base', 'HEAD~1']);
    assert.equal(text.status, 0);
    assert.match(text.stdout, /Unowned changes \(25000\): .*, … 24990 more/);
  });

  it('git missing from PATH: one clear line, exit 2', () => {
    const dir = basicRepo();
    const r = cli(dir, ['check'], { ...ENV, PATH: tempDir('own-empty-path-') });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'ownership: git was not found: install git and make sure it is on PATH\n');
  });

  it('a git older than 2.22: one clear line, exit 2', () => {
    const dir = basicRepo();
    const bin = fakeGitDir(`#!/bin/sh\nif [ "$1" = "--version" ]; then echo "git version 2.20.1"; exit 0; fi\nexec "${REAL_GIT}" "$@"\n`);
    const r = cli(dir, ['check'], { ...ENV, PATH: `${bin}:${process.env.PATH}` });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'ownership: git 2.20.1 is too old: ownership needs git 2.22 or later; upgrade git\n');
  });

  it('checks the version once per git binary: again after git is replaced, and a too-old one is still refused', () => {
    const dir = basicRepo();
    /** Whether a run of `list` asked git for its version (GIT_TRACE names every git command). */
    const askedVersion = (env: NodeJS.ProcessEnv): boolean => {
      const trace = join(tempDir('own-trace-'), 'trace.txt');
      const r = cli(dir, ['list', '--format', 'json'], { ...env, GIT_TRACE: trace });
      assert.equal(r.status, 0, r.stderr);
      return existsSync(trace) && readFileSync(trace, 'utf8').includes('trace: built-in: git version');
    };
    assert.equal(askedVersion(ENV), true, 'the first run checks');
    assert.equal(askedVersion(ENV), false, 'the next run remembers the binary ($GIT_DIR/ownership/git-checked)');
    // Another binary first on PATH (a wrapper, as an upgrade or a shim would be): checked again.
    const wrapper = fakeGitDir(`#!/bin/sh\nexec "${REAL_GIT}" "$@"\n`);
    assert.equal(askedVersion({ ...ENV, PATH: `${wrapper}:${process.env.PATH}` }), true);
    const old = fakeGitDir(`#!/bin/sh\nif [ "$1" = "--version" ]; then echo "git version 2.20.1"; exit 0; fi\nexec "${REAL_GIT}" "$@"\n`);
    const r = cli(dir, ['list'], { ...ENV, PATH: `${old}:${process.env.PATH}` });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'ownership: git 2.20.1 is too old: ownership needs git 2.22 or later; upgrade git\n');
  });

  it('a git 2.25 (no --path-format, no --end-of-options in rev-parse) still works', () => {
    // Emulates what git 2.25 (Ubuntu 20.04) does with the two newer rev-parse options: it echoes
    // an unknown option back, and `--verify` then sees two arguments.
    const bin = fakeGitDir([
      '#!/bin/sh',
      'if [ "$1" = "--version" ]; then echo "git version 2.25.1"; exit 0; fi',
      'if [ "$1" = "rev-parse" ]; then',
      '  for a in "$@"; do',
      '    case "$a" in --path-format=*) echo "$a";; --end-of-options) echo "fatal: Needed a single revision" >&2; exit 128;; esac',
      '  done',
      'fi',
      `exec "${REAL_GIT}" "$@"`,
      '',
    ].join('\n'));
    const dir = basicRepo();
    write(dir, { 'src/b.ts': 'b\n' });
    commitAll(dir, 'b');
    const env = { ...ENV, PATH: `${bin}:${process.env.PATH}` };
    const r = cli(dir, ['check', '--base', 'HEAD~1', '--format', 'json'], env);
    assertNoCrash(r);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(changedCode(JSON.parse(r.stdout) as JsonVerdict), ['src/b.ts']);
    mkdirSync(join(dir, 'sub'));
    const fromSub = cli(join(dir, 'sub'), ['which', '../src/b.ts'], env);
    assert.equal(fromSub.stdout, 'src/b.ts: App [app] code\n', fromSub.stderr);
  });
});
