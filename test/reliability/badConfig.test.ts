// Reliability matrix, "Bad OWNERSHIP.yml": every broken configuration a user can commit gets one
// precise `file:line:col: message` from the built CLI, exit status 2, and never a crash.
import { strict as assert } from 'node:assert';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoCrash, BASIC, buildCli, cleanup, cli, commitAll, git, initRepo, write, type CliResult } from './support';

/** A repository whose only OWNERSHIP.yml has `content`, plus a staged change to src/. */
function repoWith(content: string | Buffer): string {
  const dir = initRepo();
  write(dir, { 'src/a.ts': 'a\n', 'OWNERSHIP.yml': content });
  git(dir, ['add', '-A']);
  return dir;
}

/**
 * `validate` and `check` refuse with exit 2 and print `expected` (a full problem line) first:
 * `check --staged` reads the staged file (from git), `check --working` the one on disk.
 */
function assertRefused(dir: string, expected: string | RegExp, checks: string[] = ['--staged', '--working']): CliResult {
  let last: CliResult | undefined;
  for (const args of [['validate'], ...checks.map((c) => ['check', c])]) {
    const r = cli(dir, args);
    assertNoCrash(r);
    assert.equal(r.status, 2, `${args[0]}: exit status\n${r.stderr}`);
    const first = r.stderr.split('\n')[0]!;
    if (typeof expected === 'string') assert.equal(first, expected, `${args[0]}: first line of stderr`);
    else assert.match(first, expected, `${args[0]}: first line of stderr`);
    last = r;
  }
  return last!;
}

describe('reliability: bad OWNERSHIP.yml', function () {
  before(buildCli);
  after(cleanup);

  it('an empty file', () => {
    assertRefused(repoWith(''), /^OWNERSHIP\.yml:1:1: OWNERSHIP\.yml is empty: it needs "version: 1" and a "features:" list/);
  });

  it('a file with only comments', () => {
    assertRefused(repoWith('# TODO: declare features\n# later\n'), /^OWNERSHIP\.yml:1:1: OWNERSHIP\.yml is empty/);
  });

  it('a directory named OWNERSHIP.yml (empty, or with files in it)', () => {
    const dir = initRepo();
    write(dir, { 'src/a.ts': 'a\n' });
    mkdirSync(join(dir, 'OWNERSHIP.yml'));
    git(dir, ['add', '-A']);
    // git does not store an empty folder: only the working tree has it.
    assertRefused(dir, 'OWNERSHIP.yml:1:1: OWNERSHIP.yml is a directory; it must be a YAML file', ['--working']);
    write(dir, { 'OWNERSHIP.yml/notes.txt': 'x\n', 'pkg/OWNERSHIP.yml/OWNERSHIP.yml': BASIC });
    git(dir, ['add', '-A']);
    for (const args of [['validate'], ['check', '--staged']]) {
      const r = cli(dir, args);
      assertNoCrash(r);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /^OWNERSHIP\.yml:1:1: OWNERSHIP\.yml is a directory; it must be a YAML file$/m, args.join(' '));
      assert.match(r.stderr, /^pkg\/OWNERSHIP\.yml:1:1: OWNERSHIP\.yml is a directory; it must be a YAML file$/m, args.join(' '));
    }
  });

  it('binary junk: a NUL byte, or bytes that are not UTF-8', () => {
    assertRefused(repoWith(Buffer.from('version: 1\nfeat\0\0ures\n', 'latin1')), /^OWNERSHIP\.yml:2:5: OWNERSHIP\.yml contains a NUL byte: is it a binary file\?/);
    // The first bytes of a PNG.
    assertRefused(repoWith(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])), 'OWNERSHIP.yml:1:1: OWNERSHIP.yml is not valid UTF-8 (byte 1): save it as UTF-8');
  });

  it('invalid UTF-8 (a Latin-1 file), at the first bad byte', () => {
    const text = Buffer.from('version: 1\nfeatures:\n  - id: cafe\n    name: Caf\xe9\n    code: [src/]\n', 'latin1');
    assertRefused(repoWith(text), 'OWNERSHIP.yml:4:14: OWNERSHIP.yml is not valid UTF-8 (byte 48): save it as UTF-8');
  });

  it('invalid UTF-8 near the end of a large file is found quickly', function () {
    // Locating the bad byte by decoding ever longer prefixes is quadratic: minutes for a few MB.
    this.timeout(20000);
    const features = Array.from({ length: 40000 }, (_, i) => `  - id: f${i}\n    code: [src/f${i}/]\n`).join('');
    const text = Buffer.concat([Buffer.from(`version: 1\nfeatures:\n${features}  - id: last\n    name: `), Buffer.from([0xff]), Buffer.from('\n    code: [x/]\n')]);
    assertRefused(repoWith(text), /^OWNERSHIP\.yml:80004:11: OWNERSHIP\.yml is not valid UTF-8 \(byte \d+\): save it as UTF-8$/);
  });

  it('a byte-order mark is accepted and does not shift columns', () => {
    const dir = repoWith('\ufeffversion: 1\nfeatures:\n  - id: app\n    code: [src/]\n');
    const ok = cli(dir, ['validate']);
    assert.equal(ok.status, 0, ok.stderr);
    write(dir, { 'OWNERSHIP.yml': '\ufeffversion: 1\nfeatures:\n  - id: App\n    code: [src/]\n' });
    git(dir, ['add', 'OWNERSHIP.yml']);
    assertRefused(dir, /^OWNERSHIP\.yml:3:9: invalid feature id "App"/);
  });

  it('tabs used for indentation', () => {
    assertRefused(repoWith('version: 1\nfeatures:\n\t- id: app\n\t  code: [src/]\n'), /^OWNERSHIP\.yml:3:1: YAML: Tabs are not allowed as indentation/);
  });

  it('50 MB is refused before parsing', () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 'x');
    big.write('version: 1\n# ');
    assertRefused(repoWith(big), 'OWNERSHIP.yml:1:1: OWNERSHIP.yml is 50.0 MB; the limit is 10 MB: split it into one OWNERSHIP.yml per folder');
  });

  it('more OWNERSHIP.yml files than the limit: one located error naming the first file left out', function () {
    this.timeout(120000);
    const files: Record<string, string> = { 'src/a.ts': 'a\n', 'OWNERSHIP.yml': BASIC };
    // 1,001 files besides the root's: the root (shallowest) and the first 999 by path are read.
    for (let i = 0; i <= 1000; i++) files[`pkg/p${String(i).padStart(4, '0')}/OWNERSHIP.yml`] = `version: 1\nfeatures:\n  - id: p${i}\n    code: [src/]\n`;
    const dir = initRepo();
    write(dir, files);
    git(dir, ['add', '-A']);
    const r = assertRefused(dir, /^pkg\/p0999\/OWNERSHIP\.yml:1:1: 1002 OWNERSHIP\.yml files in this repository; the limit is 1000: declare features in fewer files/);
    assert.equal(r.stderr.split('\n').filter((l) => l.includes('the limit is 1000')).length, 1, 'said once');
  });

  it('10,000 features are read (and a duplicate among them is found at its line)', function () {
    this.timeout(60000);
    const features = Array.from({ length: 10000 }, (_, i) => `  - id: f${i}\n    code: [src/f${i}/]\n    tests: [test/f${i}/]\n`).join('');
    const dir = repoWith(`version: 1\nfeatures:\n${features}`);
    const ok = cli(dir, ['check', '--staged', '--format', 'json']);
    assertNoCrash(ok);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).features.length, 10000);
    write(dir, { 'OWNERSHIP.yml': `version: 1\nfeatures:\n${features}  - id: f5000\n    code: [x/]\n` });
    git(dir, ['add', 'OWNERSHIP.yml']);
    assertRefused(dir, /^OWNERSHIP\.yml:30003:9: duplicate feature id "f5000" \(first declared at line 15003\)/);
  });

  it('deep nesting, in flow and in block style', () => {
    const flow = `version: 1\nfeatures: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    assertRefused(repoWith(flow), /^OWNERSHIP\.yml:2:\d+: YAML nesting is too deep to read: .*OWNERSHIP\.yml needs a few levels only/);
    const block = `version: 1\nfeatures:\n${Array.from({ length: 3000 }, (_, i) => `${'  '.repeat(i + 1)}- \n`).join('')}`;
    assertRefused(repoWith(block), /^OWNERSHIP\.yml:\d+:\d+: YAML nesting is too deep to read/);
    // Deep but readable values are just the wrong type.
    assertRefused(repoWith(`version: 1\nfeatures:\n  - id: app\n    code: [src/]\n    name: ${'['.repeat(200)}${']'.repeat(200)}\n`), 'OWNERSHIP.yml:5:11: "name" must be a string, not a list');
  });

  it('an alias bomb ("billion laughs") fails fast, pointing at the aliases', () => {
    const bomb = ['version: 1', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
      .concat('bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`))
      .concat('features: *i', '')
      .join('\n');
    assertRefused(repoWith(bomb), /^OWNERSHIP\.yml:3:\d+: too many YAML aliases \(more than 1000\): this looks like an alias bomb; write the values out instead$/);
  });

  it('duplicate keys', () => {
    assertRefused(repoWith('version: 1\nfeatures:\n  - id: app\n    code: [src/]\n    code: [lib/]\n'), /^OWNERSHIP\.yml:5:5: YAML: Map keys must be unique/);
  });

  it('an unsupported version', () => {
    assertRefused(repoWith('version: 2\nfeatures: []\n'), 'OWNERSHIP.yml:1:10: unsupported version 2: this tool reads "version: 1"; upgrade Feature Ownership or write version 1');
    assertRefused(repoWith('version: "1"\nfeatures: []\n'), 'OWNERSHIP.yml:1:10: "version" must be the number 1, not string "1"');
  });

  it('globs that are invalid, absolute, or escape the folder', () => {
    const r = assertRefused(repoWith('version: 1\nfeatures:\n  - id: app\n    code: [src/, "/etc/**", "../**", "a/[b", "sub/../../x"]\n'),
      'OWNERSHIP.yml:4:18: absolute path "/etc/**": globs are relative to the folder of this OWNERSHIP.yml; drop the leading "/"');
    const lines = r.stderr.split('\n');
    assert.equal(lines[1], 'OWNERSHIP.yml:4:29: glob "../**" leaves the folder of this OWNERSHIP.yml; move the feature to an OWNERSHIP.yml higher up instead of using ".."');
    assert.equal(lines[2], 'OWNERSHIP.yml:4:38: invalid glob "a/[b": unclosed "["');
    assert.match(lines[3]!, /^OWNERSHIP\.yml:4:46: glob "sub\/\.\.\/\.\.\/x" leaves the folder/);
  });

  it('one bad file among several: every command refuses, naming only the bad file and line', () => {
    const dir = initRepo();
    write(dir, {
      'OWNERSHIP.yml': BASIC,
      'pkg/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: pkg\n    code: [lib/]\n    tests: [../test/]\n',
      'src/a.ts': 'a\n',
    });
    commitAll(dir);
    for (const args of [['check'], ['check', '--base', 'HEAD'], ['which', 'src/a.ts'], ['list'], ['validate']]) {
      const r = cli(dir, args);
      assertNoCrash(r);
      assert.equal(r.status, 2, `${args.join(' ')}\n${r.stderr}`);
      assert.match(r.stderr, /^pkg\/OWNERSHIP\.yml:5:13: glob "\.\.\/test\/" leaves the folder of this OWNERSHIP\.yml/, args.join(' '));
      assert.doesNotMatch(r.stderr, /^OWNERSHIP\.yml:/m, 'the valid root file is not blamed');
    }
    // Fixing the one file brings every command back.
    write(dir, { 'pkg/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: pkg\n    code: [lib/]\n' });
    const ok = cli(dir, ['which', 'src/a.ts', 'pkg/lib/x.ts']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout, 'src/a.ts: App [app] code\npkg/lib/x.ts: pkg [pkg] code\n');
  });

  it('a symbolic-link loop named OWNERSHIP.yml', () => {
    const dir = initRepo();
    write(dir, { 'src/a.ts': 'a\n' });
    symlinkSync('OWNERSHIP.yml', join(dir, 'OWNERSHIP.yml'));
    git(dir, ['add', '-A']);
    assertRefused(dir, 'OWNERSHIP.yml:1:1: OWNERSHIP.yml is a symbolic link that loops or points to nothing: replace it with a file');
  });
});
