// The editor writes and reads `Ownership-Waived` trailers in the Source Control box with pure
// functions; they must agree byte for byte with the real `git interpret-trailers` (what the
// commit-msg hook runs and what `ownership check --message-file` parses), on hand-picked messages
// and on thousands of generated ones.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { addWaiverTrailer, removeWaiverTrailer, waiverValues } from '../../src/core/commitMessage';
import { ENV } from '../reliability/support';

const TRAILER = 'Ownership-Waived: checkout/tests e2e covers it';

function gitTrailers(message: string, args: string[], commentChar = '#'): string {
  // A timeout: some inputs make git itself loop forever (see below), which must fail, not stall.
  return execFileSync('git', ['-c', `core.commentChar=${commentChar}`, 'interpret-trailers', ...args], { input: message, encoding: 'utf8', env: ENV, timeout: 10_000 });
}

/**
 * git 2.39 loops forever when a `---` patch divider comes before a scissors line (its cut-off
 * lands past the end it computes from the divider); the editor's function does not, but there
 * is no git answer to compare with.
 */
function gitLoopsOn(message: string, commentChar = '#'): boolean {
  const divider = /^---[ \t\r\n]/m.exec(`${message}\n`)?.index;
  const scissors = message.indexOf(`${commentChar} ------------------------ >8 ------------------------\n`);
  return divider !== undefined && scissors > divider;
}

/** What the commit-msg hook runs: the message completed with a final newline, then git's --trailer. */
function gitAdd(message: string, commentChar = '#'): string {
  return gitTrailers(message && !message.endsWith('\n') ? `${message}\n` : message, ['--trailer', TRAILER], commentChar);
}

function gitParse(message: string, commentChar = '#'): string[] {
  return gitTrailers(message, ['--parse'], commentChar).split('\n').map((l) => /^Ownership-Waived: (.*)$/i.exec(l)?.[1]).filter((v): v is string => v !== undefined && v !== '');
}

const add = (m: string, c = '#') => addWaiverTrailer(m, 'checkout', 'tests', 'e2e covers it', c);

/** Messages that exercise every rule of git's trailer detection. */
const MESSAGES = [
  '', 'Subject', 'Subject\n', 'Subject\n\n', 'Subject\n\nBody\n', 'Subject\n\nBody', '\n\nSubject\n',
  'Subject\n\nSigned-off-by: A <a@example.invalid>\n',
  'Subject\n\nBody line.\n\nSigned-off-by: A <a@example.invalid>\nOwnership-Waived: checkout/docs later\n',
  'Subject\n\nBody\n# Please enter the commit message.\n#\n',
  'Subject\n\nKey:value\nOther :  spaced  \n', 'Subject\n\nKey: v\n  continued\n\tagain\n', 'Subject\n\nKey:\n',
  'Signed-off-by: A\n', 'Key: v\n\nBody\n',
  'S\n\nprose line\nSigned-off-by: A\n', 'S\n\nprose\nmore prose\nmore\nmore\nSigned-off-by: A\n', 'S\n\nprose\nKey: v\n',
  'S\n\nKey: v\n# a comment inside the block\nOther: w\n',
  'S\n# ------------------------ >8 ------------------------\n# Do not modify\ndiff --git a/x b/x\n',
  '# ------------------------ >8 ------------------------\nbelow\n',
  'S\n\nBody\n---\nnotes after a patch divider\n', 'S\n\n--- not a divider\n', 'S\n\nBody\n---x\n',
  'S\n\nConflicts:\n\ta.txt\n\tb.txt\n', 'S\n\nKey: v\n   \n', 'S\n\n\n\nKey: v\n\n\n# c\n',
  `S\n\n${TRAILER}\n`, `S\n\n${TRAILER.toUpperCase()}\n`, `S\n\n${TRAILER}\nSigned-off-by: A\n`, 'S\n\nOwn: checkout/tests e2e covers it\n',
  'S\n\n(cherry picked from commit 0123456789abcdef)\nsome prose\n',
];

describe('commit message trailers: exactly as git interpret-trailers', () => {
  it('adds the waiver where git does, on messages with and without trailers, comments, scissors, dividers', () => {
    for (const m of MESSAGES) assert.equal(add(m), gitAdd(m), JSON.stringify(m));
  });

  it('follows core.commentChar', () => {
    for (const m of ['S\n\nBody\n; comment\n', 'S\n\nKey: v\n; c\n', 'S\n; ------------------------ >8 ------------------------\nx\n', 'S\n\nBody\n# not a comment\n']) {
      assert.equal(add(m, ';'), gitAdd(m, ';'), JSON.stringify(m));
    }
  });

  it('keeps CRLF line ends, placing the trailer where git places it in the LF form', () => {
    const m = 'Subject\r\n\r\nBody line.\r\n\r\nSigned-off-by: A <a@example.invalid>\r\n';
    const got = add(m);
    assert.equal(got, gitAdd(m.replace(/\r\n/g, '\n')).replace(/\n/g, '\r\n'));
    assert.equal(got, 'Subject\r\n\r\nBody line.\r\n\r\nSigned-off-by: A <a@example.invalid>\r\nOwnership-Waived: checkout/tests e2e covers it\r\n');
  });

  it('reads waivers as `git interpret-trailers --parse` does', () => {
    for (const m of [...MESSAGES, 'S\n\nOwnership-Waived: checkout/tests a\n  folded reason\nownership-waived:docs/x\n']) {
      assert.deepEqual(waiverValues(m), gitParse(m), JSON.stringify(m));
    }
  });

  it('a message without a final newline gets one first, as the hook does, so the trailer starts its own block', () => {
    assert.equal(add('Cart keeps its items'), 'Cart keeps its items\n\nOwnership-Waived: checkout/tests e2e covers it\n');
    assert.deepEqual(waiverValues(add('Cart keeps its items')), ['checkout/tests e2e covers it']);
  });

  it('one reason per line: a reason with line breaks stays one trailer', () => {
    assert.equal(addWaiverTrailer('S\n', 'checkout', 'docs', 'first\nsecond\r\n'), 'S\n\nOwnership-Waived: checkout/docs first second\n');
    assert.deepEqual(waiverValues(addWaiverTrailer('S\n', 'checkout', 'docs', '')), ['checkout/docs']);
  });

  it('removing un-waives: only that feature/criterion goes, every other line stays as written', () => {
    const m = 'S\n\nBody\n\nSigned-off-by:A\nOwnership-Waived: checkout/tests e2e\nOwnership-Waived: checkout/testsuite x\n  more\nOwnership-Waived: checkout/docs later\n# c\n';
    assert.equal(removeWaiverTrailer(m, 'checkout', 'tests'), 'S\n\nBody\n\nSigned-off-by:A\nOwnership-Waived: checkout/testsuite x\n  more\nOwnership-Waived: checkout/docs later\n# c\n');
    assert.equal(removeWaiverTrailer(m, 'checkout', 'testsuite'), 'S\n\nBody\n\nSigned-off-by:A\nOwnership-Waived: checkout/tests e2e\nOwnership-Waived: checkout/docs later\n# c\n');
    // The block was only this waiver: the blank line that separated it goes too.
    assert.equal(removeWaiverTrailer(add('Subject\n\nBody\n'), 'checkout', 'tests'), 'Subject\n\nBody\n');
    assert.equal(removeWaiverTrailer(add('Subject\r\n'), 'checkout', 'tests'), 'Subject\r\n');
    assert.equal(removeWaiverTrailer('S\n\nBody\n', 'checkout', 'tests'), 'S\n\nBody\n');
  });

  it('generated messages: add matches git, and add then remove gives back a message without the waiver', function () {
    this.timeout(120_000);
    const line = fc.constantFrom(
      'Subject', 'Body text here.', '', '  ', 'Key: value', 'Key:value', 'key :  v ', 'Signed-off-by: A <a@example.invalid>', '  continued', '\tcont',
      '# comment', '#', '---', '--- x', 'Conflicts:', '\ta.txt', 'Ownership-Waived: checkout/tests e2e covers it', 'Ownership-Waived: checkout/docs x',
      '# ------------------------ >8 ------------------------', 'no colon here', 'Two words: v', '(cherry picked from commit abc)', 'http://x.invalid',
    );
    const message = fc.tuple(fc.array(line, { maxLength: 10 }), fc.boolean()).map(([ls, nl]) => ls.join('\n') + (nl && ls.length ? '\n' : ''));
    const samples = fc.sample(message, { numRuns: 300, seed: 14 }).filter((m) => !gitLoopsOn(m));
    assert.ok(samples.length > 200, `${samples.length} samples`);
    let recognised = 0;
    for (const [i, m] of samples.entries()) {
      const added = add(m);
      assert.equal(added, gitAdd(m), JSON.stringify(m));
      if (i % 3 === 0) assert.deepEqual(waiverValues(added), gitParse(added), JSON.stringify(added));
      // git itself does not read back what it added after a title-only message ("A: b\nC: d"): a one-paragraph message has no trailers.
      if (!waiverValues(added).includes('checkout/tests e2e covers it')) continue;
      recognised++;
      assert.ok(!waiverValues(removeWaiverTrailer(added, 'checkout', 'tests')).some((v) => /^checkout\/tests( |$)/.test(v)), JSON.stringify(m));
    }
    assert.ok(recognised > samples.length * 0.6, `${recognised} of ${samples.length}`);
  });
});
