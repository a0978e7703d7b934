// Closed or full output: `ownership <cmd> | head -1` (the reader goes away) ends quietly with
// status 141, as git does; a full disk (`> /dev/full`) is one line on stderr and status 2. Every
// command is covered: the table below must name each command `ownership --help` lists.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { outputFailure, EXIT_OUTPUT_CLOSED } from '../../src/cli/closedOutput';
import { CLI, ENV } from '../reliability/support';
import { buildCli, cleanup, cli, commitAll, initRepo, write } from './support';

/** Each command with arguments that make it write to stdout in the repository `repo()` makes (init: in a scratch copy). */
const COMMANDS: Record<string, string[][]> = {
  check: [['check', '--base', 'HEAD~1'], ['check', '--base', 'HEAD~1', '--format', 'json'], ['check', '--base', 'HEAD~1', '--format', 'github']],
  validate: [['validate']],
  which: [['which', 'src/a.ts']],
  list: [['list']],
  init: [['init', '--force']],
  hook: [['hook', 'status'], ['hook', 'install'], ['hook', '--help']],
  report: [['report'], ['report', '--format', 'markdown']],
  '--help': [['--help'], ['--version']],
};

/** A repository whose last commit changes a feature's code without its tests. */
function repo(features = 0): string {
  const dir = initRepo();
  const many = Array.from({ length: features }, (_, i) => `  - id: feature-${i}\n    name: Feature number ${i} with a long name\n    code: [src/]\n`).join('');
  write(dir, { 'OWNERSHIP.yml': `version: 1\nfeatures:\n  - id: app\n    code: [src/]\n    tests: [test/]\n${many}`, 'src/a.ts': 'a\n', 'test/a.test.ts': 't\n' });
  commitAll(dir, 'one');
  write(dir, { 'src/a.ts': 'b\n' });
  commitAll(dir, 'two');
  return dir;
}

interface Run {
  status: number | null;
  stderr: string;
}

/** Where `args` runs: `init --force` rewrites OWNERSHIP.yml, so it gets a repository of its own. */
function cwdFor(dir: string, args: string[]): string {
  if (args[0] !== 'init') return dir;
  const scratch = initRepo();
  write(scratch, { 'src/a.ts': 'a\n' });
  commitAll(scratch, 'one');
  return scratch;
}

/** Runs the CLI with its stdout a pipe whose reading end we close before the CLI writes. */
function runWithClosedStdout(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

function runToDevFull(cwd: string, args: string[]): Run {
  const fd = openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: ENV, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, stderr: r.stderr };
  } finally {
    closeSync(fd);
  }
}

describe('closed or full output', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    buildCli();
    dir = repo();
  });
  after(cleanup);

  it('covers every command ownership --help lists', () => {
    const help = cli(dir, ['--help']).stdout;
    const listed = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    assert.ok(listed.length >= 6, `commands found in --help: ${listed.join(', ')}`);
    assert.deepEqual(listed.sort(), Object.keys(COMMANDS).filter((c) => !c.startsWith('-')).sort());
  });

  for (const [name, runs] of Object.entries(COMMANDS)) {
    for (const args of runs) {
      it(`ownership ${args.join(' ')}: a closed stdout ends it quietly with status 141`, async () => {
        const r = await runWithClosedStdout(cwdFor(dir, args), args);
        assert.equal(r.stderr, '', `${name} wrote to stderr`);
        assert.equal(r.status, EXIT_OUTPUT_CLOSED);
      });

      it(`ownership ${args.join(' ')} > /dev/full: one line on stderr, status 2`, () => {
        const r = runToDevFull(cwdFor(dir, args), args);
        assert.equal(r.stderr, 'ownership: cannot write to stdout: no space left on device (ENOSPC)\n');
        assert.equal(r.status, 2);
      });
    }
  }

  it('ownership list | head -1 in a shell: the first line, no stack trace, 141 under pipefail', () => {
    // 1,500 features: `list` writes well past a pipe's 64 KiB buffer, so head exits first.
    const big = repo(1500);
    const r = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" list | head -1', process.execPath, CLI], { cwd: big, env: ENV, encoding: 'utf8' });
    assert.match(r.stdout, /^app \[app\]/);
    assert.equal(r.stdout.split('\n').length, 2);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 141);
  });

  it('names other write errors in one line, status 2; EPIPE has no message', () => {
    assert.deepEqual(outputFailure('stdout', Object.assign(new Error('write EIO'), { code: 'EIO' })), { code: 2, message: 'ownership: cannot write to stdout: write EIO' });
    assert.deepEqual(outputFailure('stderr', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })), { code: 141 });
  });
});
