// The layering lint rules of eslint.config.mjs, applied to snippets placed where they would live:
// `vscode` only in the extension, no Node I/O in the pure core, by any kind of import.
import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = resolve(__dirname, '../..');

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  // Snippets live at paths that do not exist, which the type-aware project service cannot load:
  // the layering rules are syntactic, so type information is switched off for them.
  const eslint = new ESLint({ cwd: ROOT, overrideConfig: { files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked } });
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, filePath) });
  assert.ok(result);
  return result.messages.map((m) => m.ruleId ?? m.message).sort();
}

describe('lint boundaries', function () {
  this.timeout(60000);

  it('vscode is refused outside src/extension/ and test/vscode/', async () => {
    const code = "import * as vscode from 'vscode';\nexport const x = vscode;\n";
    for (const file of ['src/core/x.ts', 'src/node/x.ts', 'src/cli/x.ts', 'test/unit/x.test.ts']) {
      assert.deepEqual(await ruleIds(code, file), ['no-restricted-imports'], file);
    }
    assert.deepEqual(await ruleIds("import type { Uri } from 'vscode';\nexport type X = Uri;\n", 'src/core/x.ts'), ['no-restricted-imports']);
    for (const file of ['src/extension/x.ts', 'test/vscode/suite/x.test.ts']) assert.deepEqual(await ruleIds(code, file), [], file);
  });

  it('Node I/O is refused in src/core/, however it is imported', async () => {
    const cases = [
      "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n",
      "import * as fs from 'fs';\nexport const x = fs;\n",
      "import { execFile } from 'child_process';\nexport const x = execFile;\n",
      "import { join } from 'node:path';\nexport const x = join;\n",
      "import * as net from 'net';\nexport const x = net;\n",
      "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const x = require('node:child_process');\n",
      "export const x = import('fs');\n",
      "export type X = typeof import('node:fs');\n",
    ];
    for (const code of cases) {
      const ids = await ruleIds(code, 'src/core/x.ts');
      assert.ok(ids.length === 1 && /^no-restricted-(imports|syntax)$/.test(ids[0]!), `${code} -> ${ids.join(', ')}`);
    }
  });

  it('the same imports are fine in the Node adapters, and pure libraries are fine in the core', async () => {
    assert.deepEqual(await ruleIds("import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n", 'src/node/x.ts'), []);
    assert.deepEqual(await ruleIds("import picomatch from 'picomatch';\nexport const x = picomatch;\n", 'src/core/x.ts'), []);
    assert.deepEqual(await ruleIds("import { pathish } from './pathish';\nexport const x = pathish;\n", 'src/core/x.ts'), []);
  });

  it('layers: the core imports neither the Node adapters nor the extension; adapters and CLI never import the extension', async () => {
    const node = "import { HOOKS } from '../node/hooks';\nexport const y = HOOKS;\n";
    const ext = "import { activate } from '../extension/extension';\nexport const x = activate;\n";
    assert.deepEqual(await ruleIds(node, 'src/core/x.ts'), ['no-restricted-imports']);
    assert.deepEqual(await ruleIds(ext, 'src/core/x.ts'), ['no-restricted-imports']);
    assert.deepEqual(await ruleIds(ext, 'src/node/x.ts'), ['no-restricted-imports']);
    assert.deepEqual(await ruleIds(ext, 'src/cli/x.ts'), ['no-restricted-imports']);
    assert.deepEqual(await ruleIds(node, 'src/cli/x.ts'), []);
    assert.deepEqual(await ruleIds(node, 'src/extension/x.ts'), []);
  });
});
