// `ownership report` on real repositories: each first-parent commit is one change, a merge is its
// diff against its first parent with the waivers of the commits it brings in, and the pieces a
// change leaves out stay owed until a later change supplies them (or reverts the change).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { buildCli, cleanup, cli, git, initRepo, write } from './support';
import { ENV } from '../reliability/support';

const YML = `version: 1
features:
  - id: checkout
    name: Checkout flow
    owners: ["@payments", "@web"]
    code: [src/checkout/]
    tests: [test/checkout/]
    docs: [docs/checkout.md]
  - id: search
    owner: "@discovery"
    code: [src/search/]
    tests: [test/search/]
  - id: billing
    name: Billing
    code: [src/billing/]
    tests: [test/billing/]
`;

interface OwedJson { criterion: string; commit: string; subject: string; author: string; date: string; waived: boolean; reason: string }
interface ReportJson {
  schemaVersion: number;
  range: { head: string; commits: number };
  features: { id: string; name: string; owners: string[]; touched: number; complete: number; gaps: Record<string, number>; waived: Record<string, number>; owed: OwedJson[] }[];
  summary: { commits: number; touching: number; complete: number; withGaps: number; owed: number };
}

function report(dir: string, ...args: string[]): ReportJson {
  const r = cli(dir, ['report', '--format', 'json', ...args]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ReportJson;
}

function feature(r: ReportJson, id: string): ReportJson['features'][number] {
  const f = r.features.find((x) => x.id === id);
  assert.ok(f, `feature ${id} in the report`);
  return f;
}

/** Runs git with author and committer dates set to `day` (2026-01-<day> 12:00 UTC). */
function gitAt(dir: string, day: number, args: string[]): string {
  const date = `2026-01-${String(day).padStart(2, '0')}T12:00:00Z`;
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Writes `files`, stages everything and commits with `message` on `day`, hooks off (as --no-verify). */
function commitOn(dir: string, day: number, message: string, files: Record<string, string> = {}): string {
  write(dir, files);
  git(dir, ['add', '-A']);
  gitAt(dir, day, ['commit', '-q', '--no-verify', '--allow-empty', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

const date = (day: number) => `2026-01-${String(day).padStart(2, '0')}T12:00:00+00:00`;
const AUTHOR = 'Reliability Test';

/**
 * main, oldest first:
 *   c0 init: every feature complete
 *   c1 checkout code alone, docs waived          → owes checkout tests (settled by c4) and docs (waived)
 *   c2 search code alone (--no-verify)           → owes search tests (settled by the merge c5)
 *   c3 README only                               → touches nothing
 *   c4 checkout test only                        → settles checkout tests; touches nothing
 *   c5 merge of a branch: a search test, and billing code whose commit waives billing/tests
 *                                                → settles search tests; owes billing tests (waived, by the merge)
 *   c6 billing code alone                        → owes billing tests …
 *   c7 git revert of c6                          → … until the revert takes it back; owes nothing itself
 */
function history() {
  const dir = initRepo();
  const c0 = commitOn(dir, 1, 'init', {
    'OWNERSHIP.yml': YML,
    'src/checkout/cart.ts': 'cart\n', 'test/checkout/cart.test.ts': 't\n', 'docs/checkout.md': 'd\n',
    'src/search/index.ts': 's\n', 'test/search/index.test.ts': 't\n',
    'src/billing/b.ts': 'b\n', 'test/billing/b.test.ts': 't\n',
    'README.md': 'r\n',
  });
  const c1 = commitOn(dir, 2, 'checkout: coupons\n\nOwnership-Waived: checkout/docs docs next week', { 'src/checkout/cart.ts': 'cart 2\n' });
  const c2 = commitOn(dir, 3, 'search: hotfix', { 'src/search/index.ts': 's 2\n' });
  const c3 = commitOn(dir, 4, 'readme', { 'README.md': 'r 2\n' });
  const c4 = commitOn(dir, 5, 'checkout: tests for coupons', { 'test/checkout/cart.test.ts': 't 2\n' });
  git(dir, ['checkout', '-q', '-b', 'topic', `${c4}~1`]);
  const b1 = commitOn(dir, 5, 'search: more tests', { 'test/search/more.test.ts': 't\n' });
  const b2 = commitOn(dir, 5, 'billing: rounding\n\nOwnership-Waived: billing/tests covered by e2e', { 'src/billing/b.ts': 'b 2\n' });
  git(dir, ['checkout', '-q', 'main']);
  gitAt(dir, 6, ['merge', '-q', '--no-ff', '--no-verify', '-m', 'Merge topic', 'topic']);
  const c5 = git(dir, ['rev-parse', 'HEAD']).trim();
  const c6 = commitOn(dir, 7, 'billing: risky', { 'src/billing/c.ts': 'c\n' });
  gitAt(dir, 8, ['revert', '--no-edit', c6]);
  const c7 = git(dir, ['rev-parse', 'HEAD']).trim();
  return { dir, c0, c1, c2, c3, c4, c5, c6, c7, b1, b2 };
}

describe('ownership report', function () {
  this.timeout(60000);
  before(buildCli);
  after(cleanup);

  it('judges each first-parent change (a merge by its first-parent diff with the waivers it brings in) and follows what is owed', () => {
    const h = history();
    const r = report(h.dir);
    assert.deepEqual(r, {
      schemaVersion: 1,
      range: { head: h.c7, commits: 8 },
      features: [
        {
          id: 'checkout', name: 'Checkout flow', owners: ['@payments', '@web'], touched: 2, complete: 1,
          gaps: { tests: 1, docs: 0 }, waived: { tests: 0, docs: 1 },
          owed: [{ criterion: 'docs', commit: h.c1, subject: 'checkout: coupons', author: AUTHOR, date: date(2), waived: true, reason: 'docs next week' }],
        },
        { id: 'search', name: 'search', owners: ['@discovery'], touched: 2, complete: 1, gaps: { tests: 1 }, waived: { tests: 0 }, owed: [] },
        {
          id: 'billing', name: 'Billing', owners: [], touched: 4, complete: 1, gaps: { tests: 2 }, waived: { tests: 1 },
          owed: [{ criterion: 'tests', commit: h.c5, subject: 'Merge topic', author: AUTHOR, date: date(6), waived: true, reason: 'covered by e2e' }],
        },
      ],
      summary: { commits: 8, touching: 6, complete: 1, withGaps: 4, owed: 2 },
    });
  });

  it('without the later changes, the same pieces are still owed: waived, --no-verify, and the reverted change', () => {
    const h = history();
    const owedAt = (head: string) => Object.fromEntries(report(h.dir, '--head', head).features.map((f) => [f.id, f.owed.map((p) => `${p.criterion}@${p.commit}${p.waived ? ' waived' : ''}`)]));
    assert.deepEqual(owedAt(h.c2), { checkout: [`tests@${h.c1}`, `docs@${h.c1} waived`], search: [`tests@${h.c2}`], billing: [] });
    assert.deepEqual(owedAt(h.c4), { checkout: [`docs@${h.c1} waived`], search: [`tests@${h.c2}`], billing: [] }, 'a test-only change settles tests without touching the feature');
    assert.deepEqual(owedAt(h.c6), { checkout: [`docs@${h.c1} waived`], search: [], billing: [`tests@${h.c5} waived`, `tests@${h.c6}`] }, 'the merge settles search tests');
    assert.deepEqual(owedAt(h.c7), { checkout: [`docs@${h.c1} waived`], search: [], billing: [`tests@${h.c5} waived`] }, 'the revert takes back what the reverted change owed');
  });

  it('the commits a merge brings in are not changes of their own, and their waivers count for the merge only', () => {
    const h = history();
    const r = report(h.dir, '--head', h.c5);
    assert.equal(r.range.commits, 6);
    assert.deepEqual(feature(r, 'billing').waived, { tests: 1 });
    assert.deepEqual(feature(r, 'billing').gaps, { tests: 0 });
    // The branch's own history, judged from its head: b2 is an ordinary commit there.
    const topic = report(h.dir, '--head', 'topic');
    assert.equal(topic.range.head, h.b2);
    assert.equal(topic.range.commits, 6);
    assert.deepEqual(feature(topic, 'billing').owed.map((p) => p.commit), [h.b2]);
  });

  it('--max-count, --base and --since choose the changes; the default is the last 200', () => {
    const h = history();
    const last2 = report(h.dir, '--max-count', '2');
    assert.deepEqual([last2.range.commits, last2.summary.touching, last2.summary.withGaps], [2, 2, 2]);
    assert.deepEqual(feature(last2, 'billing').owed, [], 'c6 is reverted within the range');
    const afterC4 = report(h.dir, '--base', h.c4);
    assert.deepEqual([afterC4.range.commits, afterC4.summary.touching], [3, 3]);
    assert.deepEqual(feature(afterC4, 'billing').owed.map((p) => p.commit), [h.c5]);
    const since = report(h.dir, '--since', '2026-01-05T13:00:00Z');
    assert.equal(since.range.commits, 3, 'the merge (Jan 6) and after; not the branch commits of Jan 5');
    assert.equal(report(h.dir).range.commits, 8);
    const many = initRepo();
    commitOn(many, 1, 'init', { 'OWNERSHIP.yml': YML, 'src/search/a.ts': '0\n' });
    for (let i = 1; i <= 205; i++) commitOn(many, 2, `change ${i}`, { 'src/search/a.ts': `${i}\n` });
    const d = report(many);
    assert.deepEqual([d.range.commits, feature(d, 'search').touched, feature(d, 'search').owed.length], [200, 200, 200]);
    assert.equal(report(many, '--max-count', '0').range.commits, 0);
  });

  it('uses the working tree OWNERSHIP.yml, so a team can tune its rules and run it again', () => {
    const h = history();
    write(h.dir, { 'OWNERSHIP.yml': YML.replace('docs: [docs/checkout.md]', 'docs: {paths: [docs/checkout.md], required: false}') });
    const r = report(h.dir);
    assert.deepEqual(feature(r, 'checkout').gaps, { tests: 1 });
    assert.deepEqual(feature(r, 'checkout').owed, []);
    assert.equal(feature(r, 'checkout').complete, 1, 'the docs waiver no longer counts as one');
  });

  it('reads any file name verbatim: newlines, status-like names, control bytes', () => {
    const dir = initRepo();
    commitOn(dir, 1, 'init', { 'OWNERSHIP.yml': YML, 'src/checkout/k.ts': 'k\n', 'test/checkout/k.ts': 'k\n', 'docs/checkout.md': 'd\n' });
    commitOn(dir, 2, 'odd names', { 'src/search/we\x01ird\nname.ts': 'x\n', 'src/search/M': 'x\n', 'test/search/R100': 'x\n' });
    commitOn(dir, 3, 'more', { 'src/billing/\x01': 'x\n' });
    git(dir, ['mv', 'src/search/M', 'src/checkout/A']);
    commitOn(dir, 4, 'rename across features');
    const r = report(dir);
    assert.equal(r.range.commits, 4);
    assert.deepEqual([feature(r, 'search').touched, feature(r, 'search').gaps], [2, { tests: 1 }], 'the rename touches search (old path) and checkout (new path)');
    assert.deepEqual([feature(r, 'billing').touched, feature(r, 'checkout').touched], [1, 2]);
  });

  it('an empty repository reports no changes; bad refs and options exit 2 with a message', () => {
    const dir = initRepo();
    write(dir, { 'OWNERSHIP.yml': YML });
    const r = report(dir);
    assert.deepEqual([r.range, r.summary], [{ head: '', commits: 0 }, { commits: 0, touching: 0, complete: 0, withGaps: 0, owed: 0 }]);
    assert.equal(r.features.length, 3, 'every declared feature is listed');
    commitOn(dir, 1, 'init');
    for (const [args, message] of [
      [['--head', 'nope'], /unknown ref "nope"/],
      [['--base', 'nope'], /unknown ref "nope"/],
      [['--base', '--all'], /.+/],
      [['--max-count', 'ten'], /whole number/],
      [['--max-count', '3', '--since', 'yesterday'], /cannot be used with/],
      [['--since', '--all'], /.+/],
      [['--format', 'sarif'], /Allowed choices/],
    ] as const) {
      const x = cli(dir, ['report', ...args]);
      assert.equal(x.status, 2, `${args.join(' ')}: ${x.stdout}${x.stderr}`);
      assert.match(x.stderr, message);
      assert.doesNotMatch(x.stderr, /internal error/);
    }
  });

  it('text: a short table, noisiest feature first; --owed groups the owed pieces by owner', () => {
    const h = history();
    const t = cli(h.dir, ['report']);
    assert.equal(t.status, 0, t.stderr);
    const lines = t.stdout.split('\n');
    assert.equal(lines[0], `8 changes up to ${h.c7.slice(0, 7)}: 6 touched a feature — 1 complete, 4 with gaps, 1 complete only by waivers; 2 pieces still owed`);
    assert.match(lines[2]!, /^ {2}feature +owners +touched +complete +tests +docs +waived +owed$/);
    assert.match(lines[3]!, /^ {2}Billing \[billing\] +- +4 +1 +2 +- +1 +1$/);
    assert.match(lines[4]!, /^ {2}Checkout flow \[checkout\] +@payments, @web +2 +1 +1 +0 +1 +1$/);
    assert.match(lines[5]!, /^ {2}search \[search\] +@discovery +2 +1 +1 +- +0 +0$/);
    const o = cli(h.dir, ['report', '--owed']);
    assert.equal(o.stdout, [
      `2 pieces owed at ${h.c7.slice(0, 7)} (over 8 changes)`,
      '',
      '@payments',
      '  Checkout flow [checkout]',
      `    docs since ${h.c1.slice(0, 7)} 2026-01-02 ${AUTHOR}: checkout: coupons (waived: docs next week)`,
      '',
      '@web',
      '  Checkout flow [checkout]',
      `    docs since ${h.c1.slice(0, 7)} 2026-01-02 ${AUTHOR}: checkout: coupons (waived: docs next week)`,
      '',
      '(no owner)',
      '  Billing [billing]',
      `    tests since ${h.c5.slice(0, 7)} 2026-01-06 ${AUTHOR}: Merge topic (waived: covered by e2e)`,
      '',
    ].join('\n'));
  });

  it('init ends with the same report over the last changes (--replay <n>, 0 skips)', () => {
    const h = history();
    git(h.dir, ['rm', '-q', 'OWNERSHIP.yml']);
    commitOn(h.dir, 9, 'drop the rules');
    const r = cli(h.dir, ['init', '--replay', '3']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\nHow these rules judge the last 3 changes \(edit the file and run "ownership report" again\):\n3 changes up to [0-9a-f]{7}: /);
    const again = cli(h.dir, ['init', '--force', '--replay', '0']);
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /would have judged/);
  });

  it('markdown: the table and the owed pieces, with hostile names, subjects and reasons escaped', () => {
    const dir = initRepo();
    const hostile = '<img src=x onerror=alert(1)> | **bold** [link](https://e.vil) @everyone `tick`';
    commitOn(dir, 1, 'init', { 'OWNERSHIP.yml': YML.replace('name: Billing', `name: ${JSON.stringify(hostile)}`).replace('owner: "@discovery"', 'owner: "@discovery|<b>x</b>"') });
    commitOn(dir, 2, `${hostile}\n\nOwnership-Waived: billing/tests ${hostile}`, { 'src/billing/a.ts': 'x\n' });
    commitOn(dir, 3, `line one ${hostile}`, { 'src/search/a.ts': 'x\n' });
    for (const args of [[], ['--owed']]) {
      const r = cli(dir, ['report', '--format', 'markdown', ...args]);
      assert.equal(r.status, 0, r.stderr);
      const md = r.stdout;
      assert.doesNotMatch(md, /<(?!!)[a-z]/i, 'no HTML tag');
      assert.doesNotMatch(md, /\]\(|\*\*bold|@everyone|@discovery/, 'no link, emphasis or mention');
      const rows = md.split('\n').filter((l) => l.startsWith('|'));
      assert.ok(rows.length >= 3, md);
      // Every row of a table has as many cells as its header: no name or reason split one.
      const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
      for (const row of rows) assert.equal(cells(row), cells(rows[0]!), `${row}\n${md}`);
      assert.match(md, /&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62; &#124; &#42;&#42;bold&#42;&#42;/);
    }
  });
});
