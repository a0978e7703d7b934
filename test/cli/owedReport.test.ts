// The editor's owed computation (src/node/owed.ts) on a real repository: the same report as
// `ownership report`, judged a few changes at a time with the event loop free between steps.
import { strict as assert } from 'node:assert';
import { buildReport } from '../../src/core/report';
import { Git } from '../../src/node/git';
import { readHistory } from '../../src/node/history';
import { loadRules } from '../../src/node/folderAnalysis';
import { owedReport } from '../../src/node/owed';
import { cleanup, commitAll, initRepo, write } from './support';

const YML = 'version: 1\nfeatures:\n  - id: app\n    owner: "@a"\n    code: [src/]\n    tests: [test/]\n    docs: [docs/]\n';

describe('owed pieces for the editor', function () {
  this.timeout(120000);
  after(cleanup);

  it('equals the report over the same changes, computed in steps that let timers run', async () => {
    const dir = initRepo();
    write(dir, { 'OWNERSHIP.yml': YML, 'src/a.ts': '0\n', 'test/a.ts': '0\n', 'docs/a.md': '0\n' });
    commitAll(dir, 'init');
    for (let i = 1; i <= 45; i++) {
      write(dir, { 'src/a.ts': `${i}\n`, ...(i % 3 === 0 ? { 'test/a.ts': `${i}\n` } : {}), ...(i % 10 === 0 ? { 'docs/a.md': `${i}\n` } : {}) });
      commitAll(dir, `change ${i}`);
    }
    const git = await Git.open(dir);
    const model = (await loadRules(git)).model;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const owed = await owedReport(git, model, 40, 5);
    clearInterval(timer);
    const history = await readHistory(git, { head: 'HEAD', maxCount: 40 });
    const { steps, ...report } = owed;
    assert.deepEqual(report, buildReport(model, history.head, history.chain, history.brought));
    assert.equal(steps, 8, '40 changes, 5 per step');
    assert.ok(ticks >= 1, 'a timer ran while the report was being built');
    // Owed: tests since the last change that supplied them (45 % 3 === 0: none), docs since change 40.
    assert.deepEqual(report.features[0]!.owed.map((p) => p.criterion), ['docs', 'docs', 'docs', 'docs', 'docs']);
    const none = await owedReport(git, model, 0);
    assert.equal(none.summary.commits, 0);
  });
});
