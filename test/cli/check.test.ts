// `ownership check` on real repositories, one rule per test: what a change is in each mode, what
// it touches, what it leaves behind, what waives it, and the exit status that follows.
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, checkJson, cleanup, cli, commit, commitAll, feature, firstLine, gapsOf, git, initRepo, tempDir, write } from './support';

const YML = `version: 1
defaults:
  release-notes: {paths: [CHANGELOG.md], required: false}
ignore: [package-lock.json]
features:
  - id: checkout
    name: Checkout flow
    owners: ["@payments", "@web"]
    code: [src/checkout/, "!src/checkout/generated/"]
    tests: [test/checkout/]
    docs: [docs/checkout.md]
  - id: search
    owner: "@discovery"
    code: [src/search/]
    tests: [test/search/]
`;

const FILES = {
  'OWNERSHIP.yml': YML,
  'src/checkout/cart.ts': 'cart\n',
  'src/checkout/generated/api.ts': 'api\n',
  'test/checkout/cart.test.ts': 'test\n',
  'docs/checkout.md': 'docs\n',
  'src/search/index.ts': 'search\n',
  'test/search/index.test.ts': 'test\n',
  'README.md': 'readme\n',
};

/** A repository with FILES committed on main. */
function shop(extra: Record<string, string> = {}): string {
  const dir = initRepo();
  write(dir, { ...FILES, ...extra });
  commitAll(dir, 'init');
  return dir;
}

function stage(dir: string, files: Record<string, string>): void {
  write(dir, files);
  git(dir, ['add', '--', ...Object.keys(files)]);
}

describe('ownership check', function () {
  this.timeout(60000);
  before(buildCli);
  after(cleanup);

  describe('--staged (the default)', () => {
    it('compares the index with HEAD; unstaged and untracked changes do not count', () => {
      const dir = shop();
      stage(dir, { 'src/checkout/cart.ts': 'cart 2\n' });
      write(dir, { 'test/checkout/cart.test.ts': 'unstaged\n', 'docs/checkout.md': 'unstaged\n', 'test/checkout/new.test.ts': 'untracked\n' });
      for (const args of [[], ['--staged']]) {
        const r = cli(dir, ['check', ...args]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(firstLine(r), '✗ 2 gaps in 1 of 1 touched feature (staged changes)');
        assert.match(r.stdout, /✗ Checkout flow \[checkout\] @payments, @web: missing tests and docs\n {6}code: src\/checkout\/cart\.ts\n/);
        assert.match(r.stdout, /Ownership-Waived: checkout\/tests <reason>/);
      }
    });

    it('before the first commit, compares the index with the empty tree', () => {
      const dir = initRepo();
      write(dir, FILES);
      git(dir, ['add', 'OWNERSHIP.yml', 'src/checkout/cart.ts', 'src/search/index.ts', 'test/search/index.test.ts', 'README.md']);
      const v = checkJson(dir);
      assert.deepEqual(gapsOf(v), { checkout: ['tests', 'docs'], search: [] });
      assert.deepEqual(feature(v, 'search').changed, { code: ['src/search/index.ts'], tests: ['test/search/index.test.ts'] });
      assert.deepEqual(v.unowned, ['README.md'], 'the OWNERSHIP.yml being added is never unowned');
    });

    it('works in a SHA-256 repository, before and after its first commit', () => {
      const dir = initRepo(tempDir(), ['--object-format=sha256']);
      write(dir, FILES);
      git(dir, ['add', 'OWNERSHIP.yml', 'src/search/index.ts']);
      assert.deepEqual(gapsOf(checkJson(dir)), { search: ['tests'] });
      commit(dir, 'first');
      stage(dir, { 'src/search/index.ts': 'v2\n', 'test/search/index.test.ts': 't\n' });
      assert.deepEqual(gapsOf(checkJson(dir)), { search: [] });
      assert.deepEqual(gapsOf(checkJson(dir, '--base', 'HEAD~0')), {});
    });

    it('a change that touches no feature passes with a clear verdict', () => {
      const dir = shop();
      const r = cli(dir, ['check']);
      assert.equal(r.status, 0);
      assert.equal(firstLine(r), '✓ No gaps: the change touches no feature (staged changes)');
    });

    it('a partially staged file counts as staged; its unstaged part is not needed', () => {
      const dir = shop({ 'src/search/index.ts': 'one\ntwo\nthree\n' });
      write(dir, { 'src/search/index.ts': 'ONE\ntwo\nthree\n' });
      git(dir, ['add', 'src/search/index.ts']);
      write(dir, { 'src/search/index.ts': 'ONE\ntwo\nTHREE\n', 'test/search/index.test.ts': 'unstaged edit\n' });
      assert.deepEqual(gapsOf(checkJson(dir)), { search: ['tests'] });
      assert.deepEqual(gapsOf(checkJson(dir, '--working')), { search: [] });
      // Staging only the test, leaving code partially staged, completes the staged change.
      git(dir, ['add', 'test/search/index.test.ts']);
      assert.deepEqual(gapsOf(checkJson(dir)), { search: [] });
    });

    it('every declared feature appears in JSON, touched or not', () => {
      const dir = shop();
      stage(dir, { 'src/search/x.ts': 'x\n' });
      const v = checkJson(dir);
      assert.equal(v.schemaVersion, 1);
      assert.deepEqual(v.features.map((f) => [f.id, f.name, f.owners, f.file, f.touched]), [
        ['checkout', 'Checkout flow', ['@payments', '@web'], 'OWNERSHIP.yml', false],
        ['search', 'search', ['@discovery'], 'OWNERSHIP.yml', true],
      ]);
      assert.deepEqual(Object.keys(v.features[0]!), ['id', 'name', 'owners', 'file', 'touched', 'changed', 'gaps', 'waived']);
      assert.deepEqual(v.summary, { touched: 1, incomplete: 1, gaps: 1 });
    });
  });

  describe('what changed', () => {
    it('a rename counts both the old and the new path', () => {
      const dir = shop();
      git(dir, ['mv', 'src/checkout/cart.ts', 'lib/cart.ts'.replace('lib', 'src/search')]);
      const v = checkJson(dir);
      assert.deepEqual(feature(v, 'checkout').changed, { code: ['src/checkout/cart.ts'] });
      assert.deepEqual(feature(v, 'search').changed, { code: ['src/search/cart.ts'] });
      assert.deepEqual(gapsOf(v), { checkout: ['tests', 'docs'], search: ['tests'] });
    });

    it('a rename out of every feature: the new path is unowned, the feature touched', () => {
      const dir = shop();
      mkdirSync(join(dir, 'lib'));
      git(dir, ['mv', 'src/checkout/cart.ts', 'lib/cart.ts']);
      const v = checkJson(dir);
      assert.equal(feature(v, 'checkout').touched, true);
      assert.deepEqual(v.unowned, ['lib/cart.ts']);
    });

    it('a deletion counts: deleting a test is changing tests', () => {
      const dir = shop();
      git(dir, ['rm', '-q', 'test/search/index.test.ts']);
      stage(dir, { 'src/search/index.ts': 'v2\n' });
      const v = checkJson(dir);
      assert.deepEqual(feature(v, 'search').changed, { code: ['src/search/index.ts'], tests: ['test/search/index.test.ts'] });
      assert.deepEqual(gapsOf(v), { search: [] });
    });

    it('nested files deep below a folder glob belong to it', () => {
      const dir = shop();
      stage(dir, { 'src/checkout/a/b/c/d.ts': 'd\n', 'test/checkout/a/b/d.test.ts': 't\n', 'docs/checkout.md': 'v2\n' });
      assert.deepEqual(gapsOf(checkJson(dir)), { checkout: [] });
    });

    it('`!` excludes a subfolder from a feature\'s code', () => {
      const dir = shop();
      stage(dir, { 'src/checkout/generated/api.ts': 'regenerated\n' });
      const v = checkJson(dir);
      assert.equal(feature(v, 'checkout').touched, false);
      assert.deepEqual(v.unowned, ['src/checkout/generated/api.ts']);
    });

    it('ignore globs are never unowned; a changed OWNERSHIP.yml is never unowned', () => {
      const dir = shop();
      stage(dir, { 'package-lock.json': '{}\n', 'README.md': 'v2\n', 'OWNERSHIP.yml': `${YML}  - id: extra\n    code: [extra/]\n` });
      assert.deepEqual(checkJson(dir).unowned, ['README.md']);
    });

    it('names with spaces, quotes, newlines and non-ASCII characters come through verbatim', () => {
      const dir = shop();
      const names = ['src/checkout/with space.ts', 'src/checkout/"quoted".ts', 'src/checkout/new\nline.ts', 'src/checkout/ünïcødé ✓.ts', 'src/checkout/tab\there.ts'];
      stage(dir, Object.fromEntries(names.map((n) => [n, 'x\n'])));
      stage(dir, { 'docs/new\nline ü.md': 'unowned\n' });
      const v = checkJson(dir);
      assert.deepEqual(feature(v, 'checkout').changed.code, [...names].sort());
      assert.deepEqual(v.unowned, ['docs/new\nline ü.md']);
      const text = cli(dir, ['check']);
      assert.equal(text.status, 0);
      assert.ok(text.stdout.includes('code: src/checkout/"quoted".ts, src/checkout/new\\nline.ts'), 'text shows names unquoted, a newline escaped');
      assert.ok(text.stdout.includes('docs/new\\nline ü.md'));
    });
  });

  describe('--working', () => {
    it('counts staged, unstaged and untracked files, but not ignored ones', () => {
      const dir = shop({ '.gitignore': 'docs/*.tmp\n' });
      stage(dir, { 'src/checkout/cart.ts': 'staged\n' });
      write(dir, { 'test/checkout/cart.test.ts': 'unstaged\n', 'src/search/new.ts': 'untracked\n', 'docs/checkout.md.tmp': 'ignored\n', 'notes/untracked.txt': 'x\n' });
      const v = checkJson(dir, '--working');
      assert.deepEqual(feature(v, 'checkout').changed, { code: ['src/checkout/cart.ts'], tests: ['test/checkout/cart.test.ts'] });
      assert.deepEqual(feature(v, 'search').changed, { code: ['src/search/new.ts'] });
      assert.deepEqual(gapsOf(v), { checkout: ['docs'], search: ['tests'] });
      assert.deepEqual(v.unowned, ['notes/untracked.txt']);
      assert.match(firstLine(cli(dir, ['check', '--working'])), /\(working tree changes\)$/);
    });

    it('counts a staged rename by both paths and a deletion', () => {
      const dir = shop();
      mkdirSync(join(dir, 'lib'));
      git(dir, ['mv', 'src/checkout/cart.ts', 'lib/cart.ts']);
      git(dir, ['rm', '-q', '--cached', 'README.md']);
      const v = checkJson(dir, '--working');
      assert.equal(feature(v, 'checkout').touched, true);
      assert.deepEqual(v.unowned, ['README.md', 'lib/cart.ts']);
    });
  });

  describe('--base (range mode)', () => {
    /** main: init, then a commit after the branch point; topic: commits on its own. */
    function branches(): string {
      const dir = shop();
      git(dir, ['checkout', '-q', '-b', 'topic']);
      stage(dir, { 'src/checkout/cart.ts': 'topic 1\n' });
      commit(dir, 'Change the cart\n\nOwnership-Waived: checkout/docs documented in the wiki');
      stage(dir, { 'src/search/index.ts': 'topic 2\n' });
      commit(dir, 'Tweak search\n\nCo-authored-by: X <x@example.invalid>\nOwnership-Waived: search/tests covered by e2e\nOwnership-Waived: checkout/release-notes not needed');
      git(dir, ['checkout', '-q', 'main']);
      // Landed on main after the branch point: in the diff main..topic, not in what topic changed.
      stage(dir, { 'test/checkout/cart.test.ts': 'main moved on\n', 'docs/checkout.md': 'main moved on\n' });
      commit(dir, 'main work\n\nOwnership-Waived: checkout/tests not in range');
      git(dir, ['checkout', '-q', 'topic']);
      return dir;
    }

    it('diffs from the merge base to the head, with waivers from every commit in the range', () => {
      const dir = branches();
      const v = checkJson(dir, '--base', 'main');
      assert.deepEqual(feature(v, 'checkout').changed, { code: ['src/checkout/cart.ts'] }, 'main\'s later test and doc edits are not part of the range');
      assert.deepEqual(gapsOf(v), { checkout: ['tests'], search: [] }, 'a waiver from a commit outside the range does not count');
      assert.deepEqual(feature(v, 'checkout').waived, [{ criterion: 'docs', reason: 'documented in the wiki' }]);
      assert.deepEqual(feature(v, 'search').waived, [{ criterion: 'tests', reason: 'covered by e2e' }]);
      const r = cli(dir, ['check', '--base', 'main']);
      assert.equal(firstLine(r), '✗ 1 gap in 1 of 2 touched features (changes from the merge base of main to HEAD)');
      assert.match(r.stdout, /waived docs: documented in the wiki/);
    });

    it('--head picks the head of the range; the checked-out branch does not matter', () => {
      const dir = branches();
      git(dir, ['checkout', '-q', 'main']);
      const v = checkJson(dir, '--base', 'main', '--head', 'topic');
      assert.deepEqual(gapsOf(v), { checkout: ['tests'], search: [] });
      // From topic's side the range main-only: no feature code changed there.
      assert.deepEqual(gapsOf(checkJson(dir, '--base', 'topic', '--head', 'main')), {});
    });

    it('an empty range touches nothing', () => {
      const dir = shop();
      assert.deepEqual(checkJson(dir, '--base', 'HEAD').summary, { touched: 0, incomplete: 0, gaps: 0 });
    });
  });

  describe('--message-file', () => {
    it('reads waivers from the trailer block, ignoring comments and everything below the scissors line', () => {
      const dir = shop();
      stage(dir, { 'src/checkout/cart.ts': 'v2\n' });
      const msg = join(tempDir(), 'COMMIT_EDITMSG');
      writeFileSync(msg, [
        'Change the cart',
        '',
        'Ownership-Waived: checkout/release-notes in the body, not a trailer',
        '',
        'More body.',
        '',
        'Ownership-Waived: checkout/docs docs come in #42',
        'Signed-off-by: A <a@example.invalid>',
        '# Please enter the commit message for your changes.',
        '# Ownership-Waived: checkout/tests only a comment',
        '# ------------------------ >8 ------------------------',
        '# Do not modify or remove the line above.',
        'diff --git a/x b/x',
        '',
        'Ownership-Waived: checkout/tests below the scissors',
        '',
      ].join('\n'));
      const v = checkJson(dir, '--message-file', msg);
      assert.deepEqual(gapsOf(v), { checkout: ['tests'] });
      assert.deepEqual(feature(v, 'checkout').waived, [{ criterion: 'docs', reason: 'docs come in #42' }]);
      assert.deepEqual(gapsOf(checkJson(dir)), { checkout: ['tests', 'docs'] }, 'without the message, no waiver');
    });

    it('a relative message file is found from the current directory', () => {
      const dir = shop();
      stage(dir, { 'src/search/a.ts': 'a\n' });
      write(dir, { 'sub/msg.txt': 'Subject\n\nOwnership-Waived: search/tests later\n' });
      const r = cli(join(dir, 'sub'), ['check', '--format', 'json', '--message-file', 'msg.txt']);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).summary, { touched: 1, incomplete: 0, gaps: 0 });
    });

    it('a missing message file is an error naming it', () => {
      const dir = shop();
      const r = cli(dir, ['check', '--message-file', 'nope.txt']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /nope\.txt/);
    });
  });

  describe('monorepo', () => {
    function monorepo(): string {
      const dir = initRepo();
      write(dir, {
        'OWNERSHIP.yml': 'version: 1\nmode: warn\nignore: ["**/*.lock"]\nfeatures:\n  - id: styles\n    code: ["**/*.css"]\n    docs: [docs/styles.md]\n',
        'packages/web/OWNERSHIP.yml': 'version: 1\nmode: strict\nfeatures:\n  - id: web\n    code: [src/]\n    tests: ["*.test.ts", test/]\n',
        'packages/web/src/app.ts': 'app\n',
        'packages/api/src/server.ts': 'server\n',
        'src/index.ts': 'root\n',
      });
      commitAll(dir, 'init');
      return dir;
    }

    it('a nested file governs its folder only, with globs relative to it; its mode is its own', () => {
      const dir = monorepo();
      stage(dir, { 'packages/web/src/app.ts': 'v2\n' });
      const v = checkJson(dir);
      assert.equal(v.status, 1, 'a gap of a feature declared in a strict file fails');
      assert.deepEqual(gapsOf(v), { web: ['tests'] });
      assert.equal(feature(v, 'web').file, 'packages/web/OWNERSHIP.yml');
      assert.deepEqual(feature(v, 'web').changed, { code: ['packages/web/src/app.ts'] }, 'paths are repository-relative');
    });

    it('files outside the nested folder are not governed by it', () => {
      const dir = monorepo();
      stage(dir, { 'src/index.ts': 'v2\n', 'packages/api/src/server.ts': 'v2\n' });
      const v = checkJson(dir);
      assert.equal(v.status, 0);
      assert.deepEqual(gapsOf(v), {});
      assert.deepEqual(v.unowned, ['packages/api/src/server.ts', 'src/index.ts']);
    });

    it('parent globs keep applying below a nested file; a warn-mode gap there does not fail', () => {
      const dir = monorepo();
      stage(dir, { 'packages/web/src/app.css': 'a{}\n', 'packages/web/app.test.ts': 't\n', 'packages/web/yarn.lock': 'x\n' });
      const v = checkJson(dir);
      assert.deepEqual(gapsOf(v), { styles: ['docs'], web: [] });
      assert.deepEqual(v.unowned, [], 'the root ignore applies below too');
      assert.equal(v.status, 0);
    });

    it('a git-ignored OWNERSHIP.yml is not read; an untracked one only by --working; a staged one by --staged', () => {
      const dir = monorepo();
      write(dir, {
        '.gitignore': 'scratch/\n',
        'scratch/OWNERSHIP.yml': 'this: is: not valid\n',
        'packages/api/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: api\n    code: [src/]\n    tests: [test/]\n',
      });
      stage(dir, { 'packages/api/src/server.ts': 'v2\n' });
      assert.deepEqual(checkJson(dir).features.map((f) => f.id), ['styles', 'web'], '--staged judges with the rules in the index');
      assert.deepEqual(checkJson(dir, '--working').features.map((f) => f.id), ['styles', 'api', 'web']);
      git(dir, ['add', 'packages/api/OWNERSHIP.yml']);
      const v = checkJson(dir);
      assert.deepEqual(v.features.map((f) => f.id), ['styles', 'api', 'web']);
      assert.deepEqual(gapsOf(v), { api: ['tests'] });
    });

    it('an id declared twice across files is an error naming both places', () => {
      const dir = monorepo();
      stage(dir, { 'packages/api/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: styles\n    code: [src/]\n' });
      const r = cli(dir, ['check']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^packages\/api\/OWNERSHIP\.yml:3:5: duplicate feature id "styles": already declared in OWNERSHIP\.yml:5/m);
    });
  });

  describe('exit status', () => {
    it('0 when gaps remain in warn mode, 1 with --strict', () => {
      const dir = shop();
      stage(dir, { 'src/search/a.ts': 'a\n' });
      assert.equal(cli(dir, ['check']).status, 0);
      const r = cli(dir, ['check', '--strict']);
      assert.equal(r.status, 1);
      assert.equal(firstLine(r), '✗ 1 gap in 1 of 1 touched feature (staged changes)');
    });

    it('1 when the file says mode: strict; 0 once the gap is filled or waived', () => {
      const dir = shop({ 'OWNERSHIP.yml': YML.replace('version: 1\n', 'version: 1\nmode: strict\n') });
      stage(dir, { 'src/search/a.ts': 'a\n' });
      assert.equal(cli(dir, ['check']).status, 1);
      const msg = join(tempDir(), 'msg');
      writeFileSync(msg, 'x\n\nOwnership-Waived: search/tests trivial\n');
      assert.equal(cli(dir, ['check', '--message-file', msg]).status, 0);
      stage(dir, { 'test/search/a.test.ts': 't\n' });
      assert.equal(cli(dir, ['check']).status, 0);
    });

    it('2 for usage errors: unknown flag, bad format, --head without --base, conflicting modes, extra arguments', () => {
      const dir = shop();
      const cases: [string[], RegExp][] = [
        [['check', '--bogus'], /unknown option '--bogus'/],
        [['check', '--format', 'xml'], /argument 'xml' is invalid.*text, json, github, sarif/],
        [['check', '--head', 'HEAD'], /--head needs --base <ref>/],
        [['check', '--staged', '--working'], /cannot be used with/],
        [['check', '--working', '--base', 'main'], /cannot be used with/],
        [['check', '--message-file', 'm', '--base', 'main'], /--message-file applies to --staged only/],
        [['check', 'extra'], /too many arguments/],
        [['bogus'], /unknown command 'bogus'/],
        [['--nope'], /unknown option '--nope'/],
        [[], /Usage: ownership/],
      ];
      for (const [args, message] of cases) {
        const r = cli(dir, args);
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr + r.stdout, message, args.join(' '));
      }
    });

    it('2 for an invalid OWNERSHIP.yml, listing every problem as file:line:col: message', () => {
      const dir = shop();
      stage(dir, {
        'OWNERSHIP.yml': 'version: 1\nmode: sometimes\nfeatures:\n  - id: a\n    code: []\n    tset: [t/]\n  - id: a\n    code: [/abs]\n',
        'packages/web/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: b\n    code: [src/\n',
      });
      const r = cli(dir, ['check']);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.deepEqual(r.stderr.trimEnd().split('\n'), [
        'OWNERSHIP.yml:2:7: "mode" must be one of: warn, strict',
        'OWNERSHIP.yml:5:11: "code" must list at least one glob: it is the feature\'s footprint',
        'OWNERSHIP.yml:6:5: unknown key "tset" (expected one of: id, name, owners, owner, code, tests, docs, release-notes, criteria; put custom criteria under "criteria:")',
        'OWNERSHIP.yml:7:9: duplicate feature id "a" (first declared at line 4): ids must be unique across the repository',
        'OWNERSHIP.yml:8:12: absolute path "/abs": globs are relative to the folder of this OWNERSHIP.yml; drop the leading "/"',
        'packages/web/OWNERSHIP.yml:5:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
        'ownership: 6 problems in OWNERSHIP.yml: fix them and run again',
      ]);
    });

    /** `check` in a repository whose one commit holds `files`: refused with status 2. */
    function refusedCheck(files: Record<string, string>): string {
      const dir = initRepo();
      write(dir, files);
      commitAll(dir);
      const r = cli(dir, ['check']);
      assert.equal(r.status, 2);
      return r.stderr;
    }

    it('2 when there is no OWNERSHIP.yml, saying how to create one', () => {
      const stderr = refusedCheck({ 'a.txt': 'a\n' });
      // None anywhere (index or working tree): how to create one, with `ownership init` first. (One
      // only in the working tree gets "not in the index … git add", test/hook/rulesSource.test.ts.)
      assert.match(stderr, /^ownership: no OWNERSHIP\.yml found in .*: create one at the repository root with "ownership init"/);
    });

    it('an empty OWNERSHIP.yml is explained without naming an editor command', () => {
      const stderr = refusedCheck({ 'OWNERSHIP.yml': '' });
      assert.match(stderr, /^OWNERSHIP\.yml:1:1: OWNERSHIP\.yml is empty: it needs "version: 1" and a "features:" list/);
      assert.doesNotMatch(stderr, /Ownership: Create|command palette/i);
    });

    it('2 outside a git repository', () => {
      const dir = tempDir();
      write(dir, { 'OWNERSHIP.yml': YML });
      const r = cli(dir, ['check']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /is not inside a git repository \(run "git init" first\)/);
    });

    it('2 for an unknown ref, named in the message', () => {
      const dir = shop();
      for (const args of [['--base', 'no-such-branch'], ['--base', 'main', '--head', 'nope']]) {
        const r = cli(dir, ['check', ...args]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, new RegExp(`unknown ref "${args[args.length - 1]}"`));
        assert.equal(r.stdout, '');
      }
    });
  });

  describe('formats end to end', () => {
    function gapRepo(): string {
      const dir = shop();
      stage(dir, { 'src/checkout/cart.ts': 'v2\n', 'notes/x,y:z.txt': 'x\n' });
      return dir;
    }

    it('github: workflow commands with escaped properties, then the verdict', () => {
      const r = cli(gapRepo(), ['check', '--format', 'github']);
      assert.equal(r.status, 0);
      assert.deepEqual(r.stdout.trimEnd().split('\n'), [
        '::warning file=src/checkout/cart.ts,title=Ownership%3A Checkout flow::Checkout flow (@payments, @web) is missing tests and docs in this change, which edits its code here (waive with "Ownership-Waived: checkout/tests <reason>")',
        '::warning file=OWNERSHIP.yml,line=6,title=Ownership%3A Checkout flow::Checkout flow (@payments, @web) is missing tests and docs in this change (changed code: src/checkout/cart.ts) (waive with "Ownership-Waived: checkout/tests <reason>")',
        '::notice file=notes/x%2Cy%3Az.txt,title=Ownership%3A unowned change::notes/x,y:z.txt belongs to no feature in OWNERSHIP.yml',
        '✗ 2 gaps in 1 of 1 touched feature',
      ]);
      assert.match(cli(gapRepo(), ['check', '--format', 'github', '--strict']).stdout, /^::error file=src\/checkout\/cart\.ts,title=.*\n::error file=OWNERSHIP\.yml,line=6,/);
    });

    it('sarif: one SARIF 2.1.0 log', () => {
      const r = cli(gapRepo(), ['check', '--format', 'sarif']);
      assert.equal(r.status, 0);
      const log = JSON.parse(r.stdout);
      assert.equal(log.version, '2.1.0');
      assert.deepEqual(log.runs[0].results.map((x: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri]), [
        ['ownership/gap', 'src/checkout/cart.ts'],
        ['ownership/gap', 'OWNERSHIP.yml'],
        ['ownership/unowned', 'notes/x%2Cy%3Az.txt'],
      ]);
    });

    it('invalid configuration in github format is annotated on stdout too', () => {
      const dir = shop({ 'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: a\n    code: []\n' });
      const r = cli(dir, ['check', '--format', 'github']);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '::error file=OWNERSHIP.yml,line=4,col=11::"code" must list at least one glob: it is the feature\'s footprint\n');
    });
  });

  describe('where it runs', () => {
    it('-C <dir> runs as if started there; from a subfolder, paths stay repository-relative', () => {
      const dir = shop();
      stage(dir, { 'src/search/a.ts': 'a\n' });
      const elsewhere = tempDir();
      const fromC = cli(elsewhere, ['check', '--format', 'json', '-C', dir]);
      assert.equal(fromC.status, 0, fromC.stderr);
      assert.deepEqual(JSON.parse(fromC.stdout).features[1].changed, { code: ['src/search/a.ts'] });
      const fromSub = cli(join(dir, 'src/search'), ['check', '--format', 'json']);
      assert.equal(fromSub.stdout, fromC.stdout);
      const missing = cli(elsewhere, ['check', '-C', join(elsewhere, 'nope')]);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /nope does not exist/);
    });

    it('from a subfolder, finds every OWNERSHIP.yml of the repository, tracked or not, as from the root', () => {
      // Discovery asks git from the root, whatever folder the command started in.
      const dir = initRepo();
      const nested = 'version: 1\nfeatures:\n  - id: pay\n    code: [./]\n';
      write(dir, { 'OWNERSHIP.yml': YML, 'services/pay/OWNERSHIP.yml': nested, 'src/search/a.ts': 'a\n', 'services/pay/p.ts': 'p\n', 'tools/t.ts': 't\n' });
      commitAll(dir);
      write(dir, { 'tools/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: tools\n    code: [./]\n' }); // untracked
      const ids = (cwd: string) => {
        const r = cli(cwd, ['list', '--format', 'json']);
        assert.equal(r.status, 0, r.stderr);
        return (JSON.parse(r.stdout) as { features: { id: string }[] }).features.map((f) => f.id).sort();
      };
      const fromRoot = ids(dir);
      assert.ok(fromRoot.includes('pay') && fromRoot.includes('tools') && fromRoot.length > 2, fromRoot.join(', '));
      for (const sub of ['src/search', 'services/pay', 'tools']) assert.deepEqual(ids(join(dir, sub)), fromRoot, sub);
      const working = cli(join(dir, 'src/search'), ['check', '--working', '--format', 'json']);
      assert.equal(working.status, 0, working.stderr);
    });

    it('works whatever EDITOR, PAGER, GIT_EDITOR and GIT_ASKPASS say (terminals, VS Code and hooks set them)', () => {
      const dir = shop();
      stage(dir, { 'src/search/a.ts': 'a\n' });
      const env = { ...process.env, EDITOR: 'vi', PAGER: 'less', GIT_EDITOR: ':', GIT_ASKPASS: '/bin/false', GIT_PAGER: 'cat' };
      const r = cli(dir, ['check'], env);
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
      assert.equal(firstLine(r), '✗ 1 gap in 1 of 1 touched feature (staged changes)');
    });
  });
});
