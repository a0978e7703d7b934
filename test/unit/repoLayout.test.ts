import * as assert from 'node:assert/strict';
import { detectPythonPackages, detectReleaseNotes, detectTestFramework, detectWorkspaces, isNonCodeFolder, isTestPath } from '../../src/core/repoLayout';

/** A repository as a map of path → text. */
function repo(files: Record<string, string>): [string[], (p: string) => string | undefined] {
  return [Object.keys(files), (p) => files[p]];
}

describe('repoLayout', () => {
  describe('detectReleaseNotes', () => {
    it('finds Changesets by its folder, before any CHANGELOG', () => {
      assert.deepEqual(detectReleaseNotes(...repo({ '.changeset/config.json': '{}', 'CHANGELOG.md': '', 'packages/a/CHANGELOG.md': '' })), { kind: 'changesets', dir: '.changeset' });
    });
    it('reads towncrier from pyproject.toml: fragment folder, types, output', () => {
      const pyproject = [
        '[project]', 'name = "x"', '', '[tool.towncrier]', 'directory = "changelog.d"', 'filename = "CHANGELOG.md"', '',
        '[[tool.towncrier.type]]', 'directory = "breaking"', 'name = "B"', '', '[[tool.towncrier.type]]', 'directory = "change"', 'name = "C"', '',
      ].join('\n');
      assert.deepEqual(detectReleaseNotes(...repo({ 'pyproject.toml': pyproject, 'CHANGELOG.md': '', 'changelog.d/1.change.md': '' })), {
        kind: 'towncrier', dir: 'changelog.d', types: ['breaking', 'change'], output: 'CHANGELOG.md',
      });
    });
    it('reads towncrier.toml with the table form of types and the package default folder', () => {
      const t = '[tool.towncrier]\npackage = "pkg"\npackage_dir = "src"\n[tool.towncrier.fragment.feature]\n[tool.towncrier.fragment.fix]\n';
      assert.deepEqual(detectReleaseNotes(...repo({ 'towncrier.toml': t })), { kind: 'towncrier', dir: 'src/pkg/newsfragments', types: ['feature', 'fix'], output: 'NEWS.rst' });
    });
    it('ignores a pyproject.toml without towncrier, and a broken one', () => {
      assert.deepEqual(detectReleaseNotes(...repo({ 'pyproject.toml': '[project]\nname="x"\n', 'HISTORY.rst': '' })), { kind: 'changelog', file: 'HISTORY.rst' });
      assert.deepEqual(detectReleaseNotes(...repo({ 'pyproject.toml': '[[[', 'CHANGES.md': '' })), { kind: 'changelog', file: 'CHANGES.md' });
    });
    it('reads changie, with its defaults', () => {
      assert.deepEqual(detectReleaseNotes(...repo({ '.changie.yaml': 'changesDir: .changes\nunreleasedDir: next\n' })), { kind: 'changie', dir: '.changes/next' });
      assert.deepEqual(detectReleaseNotes(...repo({ '.changie.yml': '' })), { kind: 'changie', dir: '.changes/unreleased' });
    });
    it('prefers CHANGELOG over CHANGES over HISTORY, top level only; none otherwise', () => {
      assert.deepEqual(detectReleaseNotes(...repo({ 'HISTORY.md': '', 'CHANGES.rst': '', 'CHANGELOG.md': '' })), { kind: 'changelog', file: 'CHANGELOG.md' });
      assert.deepEqual(detectReleaseNotes(...repo({ 'pkg/CHANGELOG.md': '', 'README.md': '' })), { kind: 'none' });
    });
  });

  describe('detectTestFramework', () => {
    it('reads config files, then package.json dependencies and scripts', () => {
      assert.equal(detectTestFramework(...repo({ 'vitest.config.ts': '' })), 'vitest');
      assert.equal(detectTestFramework(...repo({ 'jest.config.js': '' })), 'jest');
      assert.equal(detectTestFramework(...repo({ '.mocharc.json': '' })), 'mocha');
      assert.equal(detectTestFramework(...repo({ 'package.json': '{"devDependencies":{"mocha":"1"}}' })), 'mocha');
      assert.equal(detectTestFramework(...repo({ 'package.json': '{"scripts":{"test":"node --test test/"}}' })), 'node:test');
      assert.equal(detectTestFramework(...repo({ 'package.json': '{}', 'packages/a/package.json': '{"devDependencies":{"jest":"1"}}' })), 'jest');
    });
    it('knows Python, Go and Rust', () => {
      assert.equal(detectTestFramework(...repo({ 'pyproject.toml': '[tool.pytest.ini_options]\naddopts="-q"\n' })), 'pytest');
      assert.equal(detectTestFramework(...repo({ 'tox.ini': '[pytest]\n' })), 'pytest');
      assert.equal(detectTestFramework(...repo({ 'tests/test_a.py': '' })), 'unittest');
      assert.equal(detectTestFramework(...repo({ 'go.mod': 'module x\n', 'a_test.go': '' })), 'go');
      assert.equal(detectTestFramework(...repo({ 'Cargo.toml': '[package]\nname="x"\n' })), 'cargo');
      assert.equal(detectTestFramework(...repo({ 'README.md': '' })), 'unknown');
    });
  });

  describe('detectWorkspaces', () => {
    it('expands package.json, pnpm and lerna globs to folders that hold a package.json', () => {
      const r = repo({
        'package.json': '{"workspaces":["packages/*","!packages/skip"]}',
        'packages/a/package.json': '{"name":"@x/a"}', 'packages/b/package.json': '{}', 'packages/skip/package.json': '{}', 'packages/nopkg/x.ts': '',
      });
      assert.deepEqual(detectWorkspaces(...r), [{ dir: 'packages/a', name: '@x/a', from: 'package.json' }, { dir: 'packages/b', name: 'b', from: 'package.json' }]);
      const p = repo({ 'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - docs\n", 'packages/v/package.json': '{"name":"v"}', 'docs/package.json': '{}' });
      assert.deepEqual(detectWorkspaces(...p).map((w) => w.dir), ['docs', 'packages/v']);
      assert.deepEqual(detectWorkspaces(...repo({ 'lerna.json': '{}', 'packages/l/package.json': '{}' })).map((w) => [w.dir, w.from]), [['packages/l', 'lerna.json']]);
    });
    it('reads Cargo [workspace] members and go.work use', () => {
      const c = repo({ 'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/old"]\n', 'crates/core/Cargo.toml': '[package]\nname = "grep-core"\n', 'crates/old/Cargo.toml': '' });
      assert.deepEqual(detectWorkspaces(...c), [{ dir: 'crates/core', name: 'grep-core', from: 'Cargo.toml' }]);
      const g = repo({ 'go.work': 'go 1.22\nuse (\n\t./api\n\t./cli\n)\nuse ./missing\n', 'api/go.mod': 'module example.com/api/v2\n', 'cli/go.mod': 'module example.com/cli\n' });
      assert.deepEqual(detectWorkspaces(...g).map((w) => [w.dir, w.name]), [['api', 'api'], ['cli', 'cli']]);
    });
    it('finds nothing without workspace files', () => {
      assert.deepEqual(detectWorkspaces(...repo({ 'package.json': '{}', 'src/a.ts': '' })), []);
    });
  });

  it('finds Python packages: src layout first, else top-level packages that are not tests', () => {
    assert.deepEqual(detectPythonPackages(['src/attr/__init__.py', 'src/attrs/__init__.py', 'tests/__init__.py']), ['src/attr', 'src/attrs']);
    assert.deepEqual(detectPythonPackages(['mypkg/__init__.py', 'tests/__init__.py', 'docs/conf.py']), ['mypkg']);
  });

  it('tells test paths and non-code folders', () => {
    for (const p of ['a/b.test.ts', 'x/__tests__/y.ts', 'cmd_test.go', 'tests/test_x.py', 'pkg/foo_test.py', 'test/helpers.ts', 'crates/core/tests/it.rs']) assert.ok(isTestPath(p), p);
    for (const p of ['src/test_utils_not.ts', 'src/contest.ts', 'attestation/a.ts']) assert.ok(!isTestPath(p), p);
    for (const n of ['tests', 'docs', '.github', '.vscode', 'playground', 'examples', 'fixtures', 'vendor', 'dist']) assert.ok(isNonCodeFolder(n), n);
    for (const n of ['server', '$shared']) assert.ok(!isNonCodeFolder(n), n);
  });
});
