// Reliability matrix, "Security": what a hostile repository (file names, OWNERSHIP.yml, links)
// can make the built CLI print, read, write or run. Names are chosen by whoever pushes a branch.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoCrash, BASIC, buildCli, cleanup, cli, commitAll, git, initRepo, tempDir, write } from './support';

/** File names that try to break out of each output format. */
const HOSTILE = [
  '::error::x',
  '::add-mask::x',
  'a%0Ab',
  'a%25b',
  'new\nline.ts',
  'x\n::error file=README.md::pwned',
  'cr\rreturn.ts',
  'comma,colon:name',
  'quote"and\\backslash.ts',
  'ctl\u0001\u001b[31mred\u001b[0m.ts',
  'bidi\u202egnp.ts',
  '--output=x',
  '-rf',
  '$(touch pwned)',
  '`touch pwned2`',
  ';touch pwned3',
];

/** A repository with the hostile names staged under src/ (owned) and lib/ (unowned). */
function hostileRepo(): string {
  const dir = initRepo();
  write(dir, { 'OWNERSHIP.yml': BASIC, 'src/a.ts': 'a\n' });
  commitAll(dir, 'init');
  for (const n of HOSTILE) write(dir, { [`src/${n}`]: 'x\n', [`lib/${n}`]: 'x\n' });
  git(dir, ['add', '-A']);
  return dir;
}

/** The workflow commands GitHub Actions would see in `text`: every line starting with `::`. */
function workflowCommands(text: string): string[] {
  return text.split(/\r?\n|\r/).filter((l) => l.trimStart().startsWith('::'));
}

/** Undoes the escaping of a workflow-command property value. */
function unescapeProp(s: string): string {
  return s.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

describe('reliability: security', function () {
  before(buildCli);
  after(cleanup);

  describe('output escaping', () => {
    it('--format github: each hostile name is one annotation whose file= round-trips, nothing else', () => {
      const dir = hostileRepo();
      const r = cli(dir, ['check', '--format', 'github']);
      assertNoCrash(r);
      assert.equal(r.status, 0, r.stderr);
      const out = r.stdout.replace(/\n$/, '').split('\n');
      const commands = workflowCommands(r.stdout);
      // The gap on the feature's first three changed code files (hostile names too) and on its
      // line in OWNERSHIP.yml, one notice per unowned file, and the headline.
      assert.equal(commands.length, 4 + HOSTILE.length, r.stdout);
      assert.equal(out.length, commands.length + 1);
      const gapFiles = commands.slice(0, 3).map((c) => {
        const m = /^::warning file=([^,:]*),title=Ownership%3A App::App is missing tests in this change, which edits its code here \(/.exec(c);
        assert.ok(m, `not a well-formed gap warning: ${JSON.stringify(c)}`);
        return unescapeProp(m[1]!);
      });
      for (const f of gapFiles) assert.ok(HOSTILE.map((n) => `src/${n}`).includes(f), `${JSON.stringify(f)} round-trips to a changed file`);
      assert.match(commands[3]!, /^::warning file=OWNERSHIP\.yml,line=3,title=Ownership%3A App::App is missing tests in this change \(changed code: /);
      const files = commands.slice(4).map((c) => {
        const m = /^::notice file=([^,:]*),title=Ownership%3A unowned change::(.*)$/.exec(c);
        assert.ok(m, `not a well-formed notice: ${JSON.stringify(c)}`);
        assert.doesNotMatch(m[2]!, /[\r\n]/);
        return unescapeProp(m[1]!);
      });
      assert.deepEqual(files.sort(), HOSTILE.map((n) => `lib/${n}`).sort());
      assert.deepEqual(workflowCommands(r.stderr), []);
    });

    it('text output (which CI logs also scan for workflow commands) never starts a line with a hostile name', () => {
      const dir = hostileRepo();
      for (const args of [['check'], ['check', '--working'], ['which', ...HOSTILE.map((n) => `src/${n}`)]]) {
        const r = cli(dir, args);
        assertNoCrash(r);
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(workflowCommands(r.stdout), [], `${args[0]} stdout`);
        assert.deepEqual(workflowCommands(r.stderr), [], `${args[0]} stderr`);
        assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f\u202e]/, `${args[0]}: raw control or bidi characters`);
      }
      const which = cli(dir, ['which', 'src/new\nline.ts', 'src/ctl\u0001\u001b[31mred\u001b[0m.ts']);
      assert.equal(which.stdout, 'src/new\\nline.ts: App [app] code\nsrc/ctl\\x01\\x1b[31mred\\x1b[0m.ts: App [app] code\n');
    });

    it('strings from OWNERSHIP.yml (names, globs) cannot inject lines either', () => {
      const dir = initRepo();
      write(dir, {
        'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: app\n    name: "App\\n::error::pwned"\n    owners: ["@a\\r::warning::x"]\n    code: [src/]\n    tests: [test/]\n',
        'src/a.ts': 'a\n',
      });
      git(dir, ['add', '-A']);
      for (const args of [['check'], ['list'], ['which', 'src/a.ts'], ['check', '--format', 'github']]) {
        const r = cli(dir, args);
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(workflowCommands(r.stdout).filter((l) => !l.startsWith('::warning file=OWNERSHIP.yml,line=3,') && !l.startsWith('::warning file=src/a.ts,title=')), [], `${args.join(' ')}: ${r.stdout}`);
      }
      write(dir, { 'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: app\n    code: ["/x\\n::error::pwned", "src/\\u001b]0;title\\u0007"]\n' });
      const bad = cli(dir, ['validate']);
      assert.equal(bad.status, 2);
      assert.deepEqual(workflowCommands(bad.stderr), []);
      assert.match(bad.stderr, /^OWNERSHIP\.yml:4:12: absolute path "\/x\\n::error::pwned": globs are relative/m);
      assert.doesNotMatch(bad.stderr, /\u001b/);
    });

    it('--format json and sarif are valid JSON that carries every hostile name exactly', () => {
      const dir = hostileRepo();
      const json = cli(dir, ['check', '--format', 'json']);
      assert.equal(json.status, 0, json.stderr);
      const v = JSON.parse(json.stdout) as { features: { changed: Record<string, string[]> }[]; unowned: string[] };
      assert.deepEqual([...v.unowned].sort(), HOSTILE.map((n) => `lib/${n}`).sort());
      assert.deepEqual([...v.features[0]!.changed.code!].sort(), HOSTILE.map((n) => `src/${n}`).sort());

      const sarif = cli(dir, ['check', '--format', 'sarif']);
      assert.equal(sarif.status, 0, sarif.stderr);
      const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
      const unowned = log.runs[0]!.results.filter((r) => r.ruleId === 'ownership/unowned');
      const uris = unowned.map((r) => decodeURIComponent(r.locations[0]!.physicalLocation.artifactLocation.uri));
      assert.deepEqual(uris.sort(), HOSTILE.map((n) => `lib/${n}`).sort());
      // URIs are percent-encoded: no raw control, space-like or quote character survives.
      for (const r of unowned) assert.match(r.locations[0]!.physicalLocation.artifactLocation.uri, /^[A-Za-z0-9\-._~%!*'()/]+$/);
    });
  });

  describe('no shell, no option injection', () => {
    it('names and refs that look like shell code or options are data', () => {
      const dir = hostileRepo();
      for (const args of [['check'], ['check', '--working'], ['list'], ['validate'], ['which', '--', '-rf', '--output=x']]) {
        const r = cli(dir, args);
        assertNoCrash(r);
        assert.ok(r.status === 0, `${args.join(' ')}: ${r.stderr}`);
      }
      for (const ref of ['$(touch pwned)', '--output=pwned', '-rf', 'HEAD;touch pwned']) {
        const r = cli(dir, ['check', `--base=${ref}`]);
        assertNoCrash(r);
        assert.equal(r.status, 2, ref);
        assert.match(r.stderr, /^ownership: (unknown|invalid) ref /);
      }
      assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('pwned')), []);
      assert.equal(existsSync(join(dir, 'x')), false);
      assert.equal(existsSync(join(dir, 'src', 'x')), false);
    });
  });

  describe('a malicious OWNERSHIP.yml cannot reach outside the repository', () => {
    /** A folder outside the repository with a file that must never be read. */
    function outside(): string {
      const d = tempDir('own-outside-');
      write(d, { 'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: outside-secret\n    code: [src/]\n', 'secret.txt': 'TOP SECRET\n' });
      return d;
    }

    it('an OWNERSHIP.yml that is a symbolic link out of the repository is refused, and not read', () => {
      const out = outside();
      const dir = initRepo();
      write(dir, { 'src/a.ts': 'a\n' });
      symlinkSync(join(out, 'OWNERSHIP.yml'), join(dir, 'OWNERSHIP.yml'));
      commitAll(dir);
      assert.equal(git(dir, ['ls-files', '-s', 'OWNERSHIP.yml']).slice(0, 6), '120000', 'git stores it as a link');
      for (const args of [['validate'], ['check'], ['list'], ['which', 'src/a.ts']]) {
        const r = cli(dir, args);
        assertNoCrash(r);
        assert.equal(r.status, 2, `${args[0]}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, /^OWNERSHIP\.yml:1:1: OWNERSHIP\.yml is a symbolic link \(or inside a linked folder\) leading outside the repository, so it is not read: replace it with a file$/m);
        assert.doesNotMatch(r.stdout + r.stderr, /outside-secret/);
      }
      // The same link to a secret that is not YAML leaks nothing of it either.
      const dir2 = initRepo();
      symlinkSync(join(out, 'secret.txt'), join(dir2, 'OWNERSHIP.yml'));
      const r = cli(dir2, ['validate']);
      assert.equal(r.status, 2);
      assert.doesNotMatch(r.stdout + r.stderr, /TOP SECRET/);
    });

    it('a folder that is a link out of the repository: its OWNERSHIP.yml is never read', () => {
      const out = outside();
      // Committed as a link: git lists no file below it.
      const dir = initRepo();
      write(dir, { 'OWNERSHIP.yml': BASIC, 'src/a.ts': 'a\n' });
      symlinkSync(out, join(dir, 'pkg'));
      commitAll(dir, 'link');
      const r = cli(dir, ['list']);
      assertNoCrash(r);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /outside-secret/);

      // Index says pkg/OWNERSHIP.yml is a file, the working tree has pkg/ as a link: refused.
      const dir2 = initRepo();
      write(dir2, { 'OWNERSHIP.yml': BASIC, 'src/a.ts': 'a\n', 'pkg/OWNERSHIP.yml': BASIC.replace('id: app', 'id: pkg') });
      commitAll(dir2);
      rmSync(join(dir2, 'pkg'), { recursive: true });
      symlinkSync(out, join(dir2, 'pkg'));
      const r2 = cli(dir2, ['list']);
      assertNoCrash(r2);
      assert.equal(r2.status, 2, r2.stdout);
      assert.match(r2.stderr, /^pkg\/OWNERSHIP\.yml:1:1: OWNERSHIP\.yml is a symbolic link \(or inside a linked folder\) leading outside the repository/m);
      assert.doesNotMatch(r2.stdout + r2.stderr, /outside-secret/);
    });

    it('a symbolic link that stays inside the repository is followed', () => {
      const dir = initRepo();
      write(dir, { 'config/ownership.yml': BASIC, 'src/a.ts': 'a\n' });
      symlinkSync('config/ownership.yml', join(dir, 'OWNERSHIP.yml'));
      git(dir, ['add', '-A']);
      const r = cli(dir, ['which', 'src/a.ts']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'src/a.ts: App [app] code\n');
    });

    it('globs cannot name files outside the folder of their OWNERSHIP.yml', () => {
      const dir = initRepo();
      write(dir, { 'pkg/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: pkg\n    code: ["../**", "/etc/passwd", "C:/Windows/**", "./../x"]\n', 'src/a.ts': 'a\n' });
      git(dir, ['add', '-A']);
      const r = cli(dir, ['validate']);
      assert.equal(r.status, 2);
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('pkg/'));
      assert.equal(lines.length, 4, r.stderr);
      assert.match(lines[0]!, /^pkg\/OWNERSHIP\.yml:4:12: glob "\.\.\/\*\*" leaves the folder/);
      assert.match(lines[1]!, /^pkg\/OWNERSHIP\.yml:4:21: absolute path "\/etc\/passwd"/);
      assert.match(lines[2]!, /^pkg\/OWNERSHIP\.yml:4:36: absolute path "C:\/Windows\/\*\*"/);
      assert.match(lines[3]!, /^pkg\/OWNERSHIP\.yml:4:53: glob "\.\/\.\.\/x" leaves the folder/);
    });

    it('no command writes to the repository; `init --force` replaces a linked OWNERSHIP.yml instead of writing through it', () => {
      const out = outside();
      const before = readFileSync(join(out, 'OWNERSHIP.yml'), 'utf8');
      const dir = initRepo();
      write(dir, { 'src/a.ts': 'a\n' });
      symlinkSync(join(out, 'OWNERSHIP.yml'), join(dir, 'OWNERSHIP.yml'));
      commitAll(dir);
      for (const args of [['check'], ['check', '--working'], ['validate'], ['list'], ['which', 'src/a.ts']]) cli(dir, args);
      assert.equal(git(dir, ['status', '--porcelain', '--ignored']), '', 'nothing written in the repository');
      const r = cli(dir, ['init', '--force']);
      assertNoCrash(r);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(readFileSync(join(out, 'OWNERSHIP.yml'), 'utf8'), before, 'the file outside is untouched');
      assert.match(readFileSync(join(dir, 'OWNERSHIP.yml'), 'utf8'), /^version: 1/m);
    });
  });
});
