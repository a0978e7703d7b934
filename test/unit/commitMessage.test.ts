import { strict as assert } from 'node:assert';
import { isEmptyMessage, usesCrlf } from '../../src/core/commitMessage';

describe('commit message: what commit-msg must know before adding trailers', () => {
  it('empty: blank and comment lines only, or nothing above the scissors line', () => {
    assert.equal(isEmptyMessage(''), true);
    assert.equal(isEmptyMessage('\n  \n# Please enter the commit message.\n#\n'), true);
    assert.equal(isEmptyMessage('# c\n# ------------------------ >8 ------------------------\n# Do not modify\ndiff --git a/x b/x\n+x\n'), true);
    assert.equal(isEmptyMessage('; c\nSubject\n', ';'), false);
    assert.equal(isEmptyMessage('; only\n', ';'), true);
    assert.equal(isEmptyMessage('# not a comment with ;\n', ';'), false);
    assert.equal(isEmptyMessage('! auto picks one of #;@!$%^&|:\n', 'auto'), true);
  });

  it('not empty: any other line, even below a blank or above a scissors line', () => {
    assert.equal(isEmptyMessage('Subject\n'), false);
    assert.equal(isEmptyMessage('\n\n  x\n# c\n'), false);
    assert.equal(isEmptyMessage('Subject\n# ------------------------ >8 ------------------------\n'), false);
  });

  it('CRLF: only when every line break is "\\r\\n"', () => {
    assert.equal(usesCrlf('a\r\nb\r\n'), true);
    assert.equal(usesCrlf('a\r\nb\n'), false);
    assert.equal(usesCrlf('a'), false);
    assert.equal(usesCrlf('a\rb'), false);
  });
});
