// git's `-z` output, parsed verbatim: names with spaces, quotes, newlines, tabs and non-ASCII
// characters arrive exactly as they are on disk.
import { strict as assert } from 'node:assert';
import { parseNameStatusZ, parsePathsZ, parseStatusZ } from '../../src/core/gitParse';

describe('gitParse', () => {
  it('parseNameStatusZ: statuses, renames and copies with their scores, odd names', () => {
    const out = ['M', 'src/a.ts', 'A', 'new\nline "q" ü.txt', 'D', 'gone', 'T', 'link', 'R087', 'old name', 'new name', 'C100', 'src/a.ts', 'copy.ts', 'U', 'conflict', 'X', 'unknown', ''].join('\0');
    assert.deepEqual(parseNameStatusZ(out), [
      { status: 'M', path: 'src/a.ts' },
      { status: 'A', path: 'new\nline "q" ü.txt' },
      { status: 'D', path: 'gone' },
      { status: 'T', path: 'link' },
      { status: 'R', oldPath: 'old name', path: 'new name' },
      { status: 'C', oldPath: 'src/a.ts', path: 'copy.ts' },
      { status: 'U', path: 'conflict' },
      { status: 'M', path: 'unknown' },
    ]);
  });

  it('parseNameStatusZ: empty output and a truncated record', () => {
    assert.deepEqual(parseNameStatusZ(''), []);
    assert.deepEqual(parseNameStatusZ('M\0a\0R100\0only-old'), [{ status: 'M', path: 'a' }]);
  });

  it('parsePathsZ: one path per NUL, newlines kept', () => {
    assert.deepEqual(parsePathsZ('a\0b c\0new\nline\0'), ['a', 'b c', 'new\nline']);
    assert.deepEqual(parsePathsZ(''), []);
  });

  it('parseStatusZ: staged, unstaged, untracked, renames (new then old), conflicts; ignored skipped', () => {
    const out = ['M  staged.ts', ' M unstaged.ts', 'MM both.ts', 'A  added', ' D deleted', '?? new\nfile', '!! ignored.log', 'R  new.ts', 'old.ts', 'UU conflict', 'AA both-added', ' T typechange', ''].join('\0');
    assert.deepEqual(parseStatusZ(out), [
      { status: 'M', path: 'staged.ts' },
      { status: 'M', path: 'unstaged.ts' },
      { status: 'M', path: 'both.ts' },
      { status: 'A', path: 'added' },
      { status: 'D', path: 'deleted' },
      { status: '?', path: 'new\nfile' },
      { status: 'R', path: 'new.ts', oldPath: 'old.ts' },
      { status: 'U', path: 'conflict' },
      { status: 'U', path: 'both-added' },
      { status: 'T', path: 'typechange' },
    ]);
  });
});
