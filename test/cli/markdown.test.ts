// `check --format markdown` (for a pull-request comment or the job summary) and the GitHub Action
// that writes it: run on real repositories, with file names, feature names and waiver reasons
// built to inject Markdown and HTML, and the action's script run with GitHub's variables set.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { buildCli, cleanup, cli, commitAll, git, initRepo, tempDir, write } from './support';
import { ENV, ROOT } from '../reliability/support';

const HOSTILE = '<img src=x onerror=alert(1)>|**b**[l](https://e.vil)`t`@all\n# h';
const YML = `version: 1
features:
  - id: app
    name: ${JSON.stringify(`App ${HOSTILE}`)}
    owners: ["@team", ${JSON.stringify(`@x ${HOSTILE}`)}]
    code: [src/]
    tests: [test/]
    docs: [docs/]
    release-notes: {paths: [CHANGELOG.md], required: false}
  - id: lib
    code: [lib/]
    tests: [test-lib/]
`;

/** A repository whose main owes app's tests; branch `feat` settles them and leaves docs (waived). */
function repo(): { dir: string; fileName: string } {
  const dir = initRepo();
  write(dir, { 'OWNERSHIP.yml': YML, 'src/a.ts': 'a\n', 'test/a.ts': 't\n', 'docs/a.md': 'd\n' });
  commitAll(dir, 'init');
  write(dir, { 'src/b.ts': 'b\n' });
  commitAll(dir, 'app: b without tests');
  git(dir, ['checkout', '-q', '-b', 'feat']);
  const fileName = `src/${HOSTILE.replaceAll('/', '_')}.ts`;
  write(dir, { [fileName]: 'x\n', 'test/b.ts': 't\n' });
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--no-verify', '-m', `feat ${HOSTILE}`, '-m', `Ownership-Waived: app/docs ${HOSTILE.replace('\n', ' ')}`]);
  return { dir, fileName };
}

/** Markdown with every code span removed: what is left is what GitHub would parse as markup. */
function outsideCode(md: string): string {
  return md.replace(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, '');
}

function assertInert(md: string): void {
  const rest = outsideCode(md);
  assert.doesNotMatch(rest, /<(?!\/?(details|summary)>)[a-z/!]/i, 'no HTML but our own <details>');
  assert.doesNotMatch(rest, /\]\(|\*\*b\*\*|@all|@team|@x|^# h/m, 'no link, emphasis, mention or heading from the input');
  const lines = md.split('\n');
  for (const [i, l] of lines.entries()) {
    if (!l.startsWith('|')) continue;
    // Rows of one table have as many cells as its header.
    let h = i;
    while (h > 0 && lines[h - 1]!.startsWith('|')) h--;
    const cells = (s: string) => outsideCode(s.replace(/\\\|/g, '')).split('|').length;
    assert.equal(cells(l), cells(lines[h]!), `row ${i}: ${l}`);
  }
}

describe('markdown for pull requests', function () {
  this.timeout(60000);
  before(buildCli);
  after(cleanup);

  it('check --format markdown: the verdict, a table per touched feature, waivers, and what the branch settles and leaves owed', () => {
    const { dir, fileName } = repo();
    const r = cli(dir, ['check', '--base', 'main', '--format', 'markdown']);
    assert.equal(r.status, 0, r.stderr);
    const md = r.stdout;
    assertInert(md);
    const lines = md.split('\n');
    assert.equal(lines[0], '### ✓ No gaps: the touched feature is complete');
    assert.ok(md.includes(`| code | \`\`${fileName.replace('\n', '\\n').replace('|', '\\|')}\`\` | changed |`), md);
    assert.match(md, /\| tests \| `test\/b\.ts` \| ✓ changed \|/);
    assert.match(md, /\| docs \| — \| waived: &#60;img /);
    assert.match(md, /\| release&#45;notes \| — \| optional \|/);
    const sha = (ref: string) => git(dir, ['rev-parse', '--short=7', ref]).trim();
    assert.match(md, new RegExp(`settles a piece owed before it\\*\\*\\n\\n.*\\n.*\\n\\| App .* \\| tests \\| \`${sha('main')}\` app&#58; b without tests \\| not waived \\|`));
    assert.match(md, new RegExp(`leaves a piece owed\\*\\*\\n\\n.*\\n.*\\n\\| App .* \\| docs \\| \`${sha('feat')}\` feat &#60;img.* \\| waived: &#60;img`));
  });

  it('check --format markdown on staged changes with gaps: the missing pieces and how to waive one', () => {
    const { dir } = repo();
    write(dir, { 'src/c.ts': 'c\n', 'a b|c.md': 'x\n' });
    git(dir, ['add', '-A']);
    const r = cli(dir, ['check', '--format', 'markdown']);
    assertInert(r.stdout);
    assert.match(r.stdout, /^### ✗ 2 gaps in 1 of 1 touched feature\n/);
    assert.match(r.stdout, /\| tests \| — \| ✗ \*\*missing\*\* \|/);
    assert.match(r.stdout, /Unowned changes \(1\)<\/summary>\n\n`a b\|c\.md`/);
    assert.match(r.stdout, /`Ownership-Waived: app\/tests <reason>`/);
  });

  describe('the GitHub Action', () => {
    it('is composite (no Docker) and passes its inputs as environment variables, never into the script', () => {
      const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string; steps: { run?: string; env?: Record<string, string> }[] } };
      assert.equal(action.runs.using, 'composite');
      const run = action.runs.steps.find((s) => s.run);
      assert.ok(run?.run && run.env);
      assert.doesNotMatch(run.run, /\$\{\{/);
    });

    function runAction(dir: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string; summary: string } {
      const summary = join(tempDir(), 'summary.md');
      const r = spawnSync('bash', [join(ROOT, 'action/run.sh')], {
        cwd: tempDir(), encoding: 'utf8',
        env: { ...ENV, PATH: `${dirname(process.execPath)}:${ENV.PATH ?? ''}`, GITHUB_ACTION_PATH: ROOT, GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: summary, ...env },
      });
      let text = '';
      try { text = readFileSync(summary, 'utf8'); } catch { /* not written */ }
      return { status: r.status, stdout: r.stdout, stderr: r.stderr, summary: text };
    }

    it('on a pull request: annotations on stdout, the Markdown in the job summary, exit 1 in strict mode with gaps', () => {
      const { dir } = repo();
      const origin = initRepo(tempDir(), ['--bare']);
      git(dir, ['remote', 'add', 'origin', origin]);
      git(dir, ['push', '-q', 'origin', 'main']);
      git(dir, ['fetch', '-q', 'origin']);
      write(dir, { 'lib/d.ts': 'd\n' });
      commitAll(dir, 'lib: d without tests');
      const r = runAction(dir, { GITHUB_BASE_REF: 'main', OWNERSHIP_STRICT: 'true', OWNERSHIP_OWED: 'true', OWNERSHIP_DIR: '.' });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /^::error .*title=Ownership%3A lib::lib is missing tests/m);
      assert.match(r.summary, /^### ✗ 1 gap in 1 of 2 touched features\n/);
      assert.match(r.summary, /### Owed pieces/);
      assertInert(r.summary);
      const lax = runAction(dir, { GITHUB_BASE_REF: 'main' });
      assert.equal(lax.status, 0, 'warn mode: gaps annotate, the job passes');
    });

    it('on a push: compares with the commit before the push; a bad base fails with status 2 and a message', () => {
      const { dir } = repo();
      const before = git(dir, ['rev-parse', 'HEAD~1']).trim();
      const r = runAction(dir, { OWNERSHIP_PUSH_BEFORE: before, OWNERSHIP_OWED: 'false' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.summary, /^### ✓ No gaps/);
      assert.doesNotMatch(r.summary, /Owed pieces/);
      const bad = runAction(dir, { OWNERSHIP_BASE: 'no-such-branch' });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /unknown ref "no-such-branch"/);
    });
  });
});
