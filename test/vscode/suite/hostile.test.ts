// A hostile OWNERSHIP.yml opened in the editor (issue 12): thousands of features with globs built
// to backtrack, arriving in a pull request. Parsing, compiling and analysing run in the engine's
// worker thread, so the extension host's event loop keeps turning while it happens (counted, not
// timed: a timer that asks to fire every millisecond), and the folder still gets its analysis.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activate, folderOf, note, settle, until, type Row, type State } from '../support';

/** Whether any row, at any depth given, is a hostile feature. */
const anyHostile = (rows: Row[] | undefined): boolean => !!rows?.some((r) => /hostile-/.test(r.label) || anyHostile(r.children));

/** `n` features whose globs are built to make a backtracking matcher take exponential time. */
function hostile(n: number): string {
  const evil = `${'a*'.repeat(11)}b`;
  return `version: 1\nfeatures:\n${Array.from({ length: n }, (_, i) => `  - id: hostile-${i}\n    code: ["h${i}/**/${evil}", "{x,y}/${evil}"]\n    tests: ["t${i}/{a,b}/**/*.test.ts"]\n`).join('')}`;
}

suite('A hostile OWNERSHIP.yml', () => {
  suiteSetup(async function () {
    this.timeout(60000);
    await activate();
  });

  test('leaves the extension host responsive while the engine works, and is analysed', async function () {
    this.timeout(240000);
    const folder = vscode.workspace.workspaceFolders![0]!;
    const file = join(folder.uri.fsPath, 'hostile', 'OWNERSHIP.yml');
    const name = folder.name;
    let s = await settle(name);
    const before = folderOf(s, name).generation;
    const parses = (x: State): [number, number] => [x.probe['parse'] ?? 0, x.probe['parse in worker'] ?? 0];
    const [hostBefore, workerBefore] = parses(s);
    let turns = 0;
    let longest = 0;
    let last = Date.now();
    let ticking = true;
    const tick = () => {
      const now = Date.now();
      longest = Math.max(longest, now - last);
      last = now;
      turns++;
      if (ticking) setTimeout(tick, 1);
    };
    setTimeout(tick, 1);
    const started = Date.now();
    try {
      mkdirSync(join(folder.uri.fsPath, 'hostile'), { recursive: true });
      writeFileSync(file, hostile(3000));
      s = await until('the hostile file is analysed', (x) => folderOf(x, name).generation > before && anyHostile(x.tree), 200000, 2);
    } finally {
      ticking = false;
    }
    const ms = Date.now() - started;
    note(`3,000 hostile features analysed in ${ms} ms; the host's event loop turned ${turns} times meanwhile, longest gap ${longest} ms`);
    // Every parse ran in the worker (counted by the probe, not timed), and the loop kept turning.
    const [hostAfter, workerAfter] = parses(s);
    assert.ok(workerAfter - workerBefore >= 1, 'the hostile file was parsed in the worker');
    assert.equal(hostAfter - hostBefore, workerAfter - workerBefore, 'no OWNERSHIP.yml was parsed on the extension host');
    assert.ok(turns >= ms / 100, `${turns} turns in ${ms} ms`);
    assert.equal(folderOf(s, name).error, null);
    rmSync(join(folder.uri.fsPath, 'hostile'), { recursive: true, force: true });
    await until('the hostile file is gone', (x) => !anyHostile(x.tree), 60000, 2);
  });
});
