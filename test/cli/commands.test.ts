// `validate`, `which`, `list` and `--help` of the built CLI on real repositories.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { buildCli, checkJson, cleanup, cli, commitAll, feature, git, initRepo, tempDir, write } from './support';

const YML = `version: 1
ignore: ["**/*.snap"]
features:
  - id: checkout
    name: Checkout flow
    owners: ["@payments", "@web"]
    code: [src/checkout/, "!src/checkout/generated/"]
    tests: [test/checkout/]
    docs: {paths: [docs/checkout.md], required: false}
    criteria:
      migrations: [db/checkout/]
  - id: search
    owner: "@discovery"
    code: [src/search/]
    tests: [test/search/, src/search/*.test.ts]
`;

function repo(): string {
  const dir = initRepo();
  write(dir, {
    'OWNERSHIP.yml': YML,
    'src/checkout/cart.ts': 'x\n',
    'src/checkout/pay.ts': 'x\n',
    'src/checkout/generated/api.ts': 'x\n',
    'test/checkout/cart.test.ts': 'x\n',
    'docs/checkout.md': 'x\n',
    'src/search/index.ts': 'x\n',
    'src/search/index.test.ts': 'x\n',
    'a b/ü.txt': 'x\n',
  });
  commitAll(dir, 'init');
  write(dir, { 'src/search/untracked.ts': 'not counted by list\n' });
  return dir;
}

describe('ownership validate, which, list, --help', function () {
  this.timeout(60000);
  before(buildCli);
  after(cleanup);

  describe('validate', () => {
    it('exits 0 for valid files, naming them and the feature count', () => {
      const dir = repo();
      write(dir, { 'db/checkout/1.sql': 'x\n', 'test/search/a.test.ts': 'x\n' });
      commitAll(dir);
      const r = cli(dir, ['validate']);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, '✓ OWNERSHIP.yml: 2 features\n');
      assert.equal(r.status, 0);
    });

    it('warns, without failing, about globs that match no tracked file', () => {
      const dir = repo();
      write(dir, { 'packages/web/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: web\n    code: [src/]\n' });
      const r = cli(dir, ['validate']);
      assert.equal(r.status, 0);
      assert.deepEqual(r.stderr.trimEnd().split('\n'), [
        'OWNERSHIP.yml:11:19: warning: feature "checkout": no tracked file matches "migrations" (db/checkout/)',
        'packages/web/OWNERSHIP.yml:3:5: warning: feature "web": no tracked file matches its code globs (src/)',
      ]);
      assert.equal(r.stdout, '✓ OWNERSHIP.yml, packages/web/OWNERSHIP.yml: 3 features, 2 warnings\n');
    });

    it('exits 2 listing every problem of every file', () => {
      const dir = repo();
      write(dir, { 'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: a\n    code: []\n  - id: b\n    code: [../x]\n', 'sub/OWNERSHIP.yml': '' });
      const r = cli(dir, ['validate']);
      assert.equal(r.status, 2);
      assert.deepEqual(r.stderr.trimEnd().split('\n'), [
        'OWNERSHIP.yml:4:11: "code" must list at least one glob: it is the feature\'s footprint',
        'OWNERSHIP.yml:6:12: glob "../x" leaves the folder of this OWNERSHIP.yml; move the feature to an OWNERSHIP.yml higher up instead of using ".."',
        'sub/OWNERSHIP.yml:1:1: OWNERSHIP.yml is empty: it needs "version: 1" and a "features:" list (see the README for an example)',
        '✗ 3 errors in 2 OWNERSHIP.yml files',
      ]);
    });

    it('exits 2 without any OWNERSHIP.yml, and with -C finds the repository', () => {
      const dir = initRepo();
      const r = cli(tempDir(), ['validate', '-C', dir]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /no OWNERSHIP\.yml found in .*: create one at the repository root/);
      assert.equal(cli(tempDir(), ['validate', '-C', repo()]).status, 0);
    });
  });

  describe('which', () => {
    it('names the features and criteria of each path, with owners', () => {
      const dir = repo();
      const r = cli(dir, ['which', 'src/checkout/cart.ts', 'src/search/index.test.ts', 'src/checkout/generated/api.ts', 'x.snap', 'a b/ü.txt']);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.stdout.trimEnd().split('\n'), [
        'src/checkout/cart.ts: Checkout flow [checkout] code — @payments, @web',
        // criteria carve out of code: a co-located test under `code: [src/search/]` is a test only
        'src/search/index.test.ts: search [search] tests — @discovery',
        'src/checkout/generated/api.ts: no feature',
        'x.snap: ignored',
        'a b/ü.txt: no feature',
      ]);
    });

    it('takes paths relative to the current directory, or to -C; JSON on request', () => {
      const dir = repo();
      const fromSub = cli(join(dir, 'src/checkout'), ['which', '--format', 'json', 'cart.ts', '../../docs/checkout.md']);
      const fromC = cli(tempDir(), ['which', '--format', 'json', '-C', join(dir, 'src/checkout'), 'cart.ts', '../../docs/checkout.md']);
      assert.equal(fromSub.status, 0, fromSub.stderr);
      assert.equal(fromC.stdout, fromSub.stdout);
      assert.deepEqual(JSON.parse(fromSub.stdout), {
        schemaVersion: 1,
        paths: [
          { path: 'src/checkout/cart.ts', ignored: false, memberships: [{ feature: 'checkout', criterion: 'code', name: 'Checkout flow', owners: ['@payments', '@web'] }] },
          { path: 'docs/checkout.md', ignored: false, memberships: [{ feature: 'checkout', criterion: 'docs', name: 'Checkout flow', owners: ['@payments', '@web'] }] },
        ],
      });
    });

    it('refuses a path outside the repository, and needs at least one path', () => {
      const dir = repo();
      const outside = cli(dir, ['which', '../elsewhere.ts']);
      assert.equal(outside.status, 2);
      assert.match(outside.stderr, /\.\.\/elsewhere\.ts is outside the repository/);
      const none = cli(dir, ['which']);
      assert.equal(none.status, 2);
      assert.match(none.stderr, /missing required argument 'path'/);
    });
  });

  describe('list', () => {
    it('shows every feature with, per criterion, how many tracked files match', () => {
      const dir = repo();
      const r = cli(dir, ['list']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, [
        'Checkout flow [checkout] — @payments, @web  (OWNERSHIP.yml:4)',
        '    code: 2 files',
        '    tests: 1 file',
        '    docs (optional): 1 file',
        '    migrations: 0 files',
        'search [search] — @discovery  (OWNERSHIP.yml:12)',
        '    code: 1 file',
        '    tests: 1 file',
        '',
      ].join('\n'));
    });

    it('--format json gives the same counts', () => {
      const r = cli(repo(), ['list', '--format', 'json']);
      assert.equal(r.status, 0);
      const out = JSON.parse(r.stdout) as { schemaVersion: number; features: { id: string; owners: string[]; file: string; criteria: { name: string; required: boolean; files: number }[] }[] };
      assert.equal(out.schemaVersion, 1);
      assert.deepEqual(out.features.map((f) => [f.id, f.owners, f.file, f.criteria.map((c) => `${c.name}${c.required ? '' : '?'}=${c.files}`)]), [
        ['checkout', ['@payments', '@web'], 'OWNERSHIP.yml', ['code=2', 'tests=1', 'docs?=1', 'migrations=0']],
        ['search', ['@discovery'], 'OWNERSHIP.yml', ['code=1', 'tests=1']],
      ]);
    });

    it('counts files added to the index, not untracked ones', () => {
      const dir = repo();
      git(dir, ['add', 'src/search/untracked.ts']);
      assert.match(cli(dir, ['list']).stdout, /search \[search\] — @discovery {2}\(OWNERSHIP\.yml:12\)\n {4}code: 2 files\n/);
    });

    it('check, which and list agree on the carve-out: a test-only change touches nothing', () => {
      const dir = repo();
      write(dir, { 'src/search/index.test.ts': 'y\n' });
      git(dir, ['add', 'src/search/index.test.ts']);
      const only = checkJson(dir);
      assert.deepEqual(feature(only, 'search'), { ...feature(only, 'search'), touched: false, changed: { tests: ['src/search/index.test.ts'] }, gaps: [] });
      write(dir, { 'src/search/index.ts': 'y\n' });
      git(dir, ['add', 'src/search/index.ts']);
      const both = checkJson(dir);
      assert.deepEqual(feature(both, 'search').changed, { code: ['src/search/index.ts'], tests: ['src/search/index.test.ts'] });
      assert.deepEqual(feature(both, 'search').gaps, []);
    });
  });

  describe('--help', () => {
    it('every command has help, exiting 0', () => {
      const top = cli(tempDir(), ['--help']);
      assert.equal(top.status, 0);
      assert.match(top.stdout, /^Usage: ownership \[options\] \[command\]/);
      const commands = [...top.stdout.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
      for (const c of ['check', 'validate', 'which', 'list']) assert.ok(commands.includes(c), `${c} is listed`);
      for (const c of commands) {
        const r = cli(tempDir(), [c, '--help']);
        assert.equal(r.status, 0, `${c} --help: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(`^Usage: ownership ${c} `), c);
        assert.equal(cli(tempDir(), ['help', c]).stdout, r.stdout, `help ${c}`);
      }
    });

    it('check --help documents every option and the exit status', () => {
      const r = cli(tempDir(), ['check', '--help']);
      for (const flag of ['--staged', '--working', '--base <ref>', '--head <ref>', '--format <format>', '--strict', '--message-file <file>', '-C <dir>']) assert.ok(r.stdout.includes(flag), flag);
      assert.match(r.stdout, /Exit status: 0 no gaps \(or gaps in warn mode\), 1 gaps in strict mode, 2 usage error/);
    });

    it('--version prints the package version', () => {
      const r = cli(tempDir(), ['--version']);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /^\d+\.\d+\.\d+/);
    });
  });
});
