import { strict as assert } from 'node:assert';
import { freeName, issueNumber, testFileCandidates, unreleasedBullet } from '../../src/core/addMissing';

function applied(text: string, summary: string): { out: string; atCursor: string } {
  const r = unreleasedBullet(text, summary);
  const out = text.slice(0, r.offset) + r.text + text.slice(r.offset);
  return { out, atCursor: out.split('\n')[r.cursor.line]!.replace(/\r$/, '').slice(0, r.cursor.character) };
}

describe('Add Missing Piece: pure planning helpers', () => {
  it('Keep a Changelog: a bullet on top of ## [Unreleased] (its first ### subsection), the section made when absent, the cursor at its end', () => {
    const cases: [string, string][] = [
      ['', '## [Unreleased]\n\n- Fix\n'],
      ['# Changelog', '# Changelog\n\n## [Unreleased]\n\n- Fix\n'],
      ['# C\n\n## [Unreleased]\n', '# C\n\n## [Unreleased]\n\n- Fix\n'],
      ['# C\n\n## [Unreleased]', '# C\n\n## [Unreleased]\n\n- Fix\n'],
      ['# C\n\n## [Unreleased]\n\n* old\n\n## [1.0.0]\n', '# C\n\n## [Unreleased]\n\n* Fix\n* old\n\n## [1.0.0]\n'],
      ['# C\n\n## [Unreleased]\n\n### Added\n\n- old\n', '# C\n\n## [Unreleased]\n\n### Added\n\n- Fix\n- old\n'],
      ['# C\n\n## [Unreleased]\n## [1.0.0]\n', '# C\n\n## [Unreleased]\n\n- Fix\n\n## [1.0.0]\n'],
      ['# C\n\n## Unreleased\n\n## [1.0.0]\n', '# C\n\n## Unreleased\n\n- Fix\n\n## [1.0.0]\n'],
      ['# C\n\nintro\n\n## 1.0.0\n- x\n', '# C\n\nintro\n\n## [Unreleased]\n\n- Fix\n\n## 1.0.0\n- x\n'],
      ['# C\r\n\r\n## [1.0.0]\r\n', '# C\r\n\r\n## [Unreleased]\r\n\r\n- Fix\r\n\r\n## [1.0.0]\r\n'],
    ];
    for (const [before, after] of cases) {
      const { out, atCursor } = applied(before, 'Fix');
      assert.equal(out, after, JSON.stringify(before));
      assert.match(atCursor, /^[-*] Fix$/, JSON.stringify(before));
    }
  });

  it('issue numbers from branch names', () => {
    assert.equal(issueNumber('fix/123-cart'), '123');
    assert.equal(issueNumber('gh-42'), '42');
    assert.equal(issueNumber('PROJ-7_total'), '7');
    assert.equal(issueNumber('123'), '123');
    assert.equal(issueNumber('main'), undefined);
    assert.equal(issueNumber('v2cart'), undefined);
    assert.equal(issueNumber(undefined), undefined);
  });

  it('free names: the path, else name-2, name-3…', () => {
    const taken = new Set(['docs/a.md', 'docs/a-2.md']);
    assert.equal(freeName('docs/b.md', (p) => taken.has(p)), 'docs/b.md');
    assert.equal(freeName('docs/a.md', (p) => taken.has(p)), 'docs/a-3.md');
  });

  it('test files follow the layout the existing tests show, .spec when they use it', () => {
    const files = ['src/a/x.ts', 'spec/a/x.spec.ts', 'src/a/y.ts'];
    assert.equal(testFileCandidates('src/a/y.ts', files, ['spec/a/x.spec.ts'])[0], 'spec/a/y.spec.ts');
    assert.equal(testFileCandidates('lib/q.py', ['lib/p.py', 'lib/test_p.py'], [])[0], 'lib/test_q.py');
    assert.equal(testFileCandidates('src/k.ts', ['src/k.ts'], [])[0], 'src/k.test.ts');
  });
});
