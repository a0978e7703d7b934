// Reads one tier's results file and prints "<passed> <failed>" as the last line, for run-all.sh.
// A missing or unreadable file counts as one failure: the tier did not get to report.
// Usage: node test/harness/report.mjs mocha|vscode|ui FILE
//   mocha:  mocha's json reporter output; also lists every test (the json reporter prints nothing)
//   vscode: test/vscode/index.ts Results; ui: test/harness/ui-test.mjs summary
import { readFileSync } from 'node:fs';

const [kind, file] = process.argv.slice(2);

function counts() {
  let data;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    console.log(`  (no results in ${file})`);
    return [0, 1];
  }
  switch (kind) {
    case 'mocha': {
      for (const t of data.tests ?? []) {
        const failed = t.err && Object.keys(t.err).length > 0;
        const pending = !failed && t.duration === undefined && data.pending?.some((p) => p.fullTitle === t.fullTitle);
        const mark = failed ? '✘' : pending ? '-' : '✔';
        console.log(`  ${mark} ${t.fullTitle}${failed ? `\n      ${String(t.err.message).split('\n').join('\n      ')}` : ''}`);
      }
      // Failures in hooks are reported as failures without a matching test.
      return [data.stats?.passes ?? 0, data.stats?.failures ?? 0];
    }
    case 'vscode': {
      const failed = (data.failed?.length ?? 0) + (data.error && !data.failed?.length ? 1 : 0);
      return [data.passed?.length ?? 0, failed];
    }
    case 'ui':
      return [data.passed ?? 0, data.failed ?? 0];
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

const [passed, failed] = counts();
console.log(`${passed} ${failed}`);
