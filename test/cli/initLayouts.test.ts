// `ownership init` on the layouts of real repositories (docs/real-repos.md), rebuilt here as small
// git repositories with a history that shows the team's practice — the layouts, not their code.
// On each: a change to a package's source alone shows a tests gap and a release-notes gap where
// the history shows the team supplies them; with a test beside it and a release note it shows
// neither; README-only, generated-CHANGELOG-only and test-only changes touch nothing; a test
// folder is never a feature's code.
import * as assert from 'node:assert/strict';
import { cleanup, git as gitArgs, initRepo, ownershipInProcess as ownership, write } from './support';

const git = (dir: string, ...args: string[]): string => gitArgs(dir, args);

interface Layout {
  name: string;
  /** The repository's files at the start. */
  files: Record<string, string>;
  /** Each entry one commit: the paths it changes (the team's practice). */
  history: string[][];
  /** A source file of a package, the feature it belongs to, a test the layout puts beside it, a release note. */
  source: string;
  feature: string;
  test: string;
  note: string;
  /** The gaps of a source-only change. */
  gaps: string[];
  readme?: string;
  generated?: string;
}

const times = (n: number, paths: string[]): string[][] => Array.from({ length: n }, () => paths);

const LAYOUTS: Layout[] = [
  {
    name: 'changesets/changesets: pnpm workspace, co-located *.test.ts, Changesets, generated CHANGELOGs',
    files: {
      'package.json': '{"private":true}\n', 'pnpm-workspace.yaml': 'packages:\n  - packages/*\n  - site\n', 'pnpm-lock.yaml': 'x\n',
      '.changeset/config.json': '{}\n', '.changeset/README.md': 'x\n', '.github/CODEOWNERS': '/.github/** @a @b @c\n',
      'packages/cli/package.json': '{"name":"@changesets/cli"}\n', 'packages/cli/src/run.ts': 'x\n', 'packages/cli/src/run.test.ts': 'x\n',
      'packages/cli/README.md': 'x\n', 'packages/cli/CHANGELOG.md': 'x\n',
      'packages/parse/package.json': '{"name":"@changesets/parse"}\n', 'packages/parse/src/index.ts': 'x\n', 'packages/parse/src/index.test.ts': 'x\n', 'packages/parse/CHANGELOG.md': 'x\n',
      'site/package.json': '{"name":"site"}\n', 'site/index.ts': 'x\n',
    },
    history: [...times(6, ['packages/cli/src/run.ts', 'packages/cli/src/run.test.ts', '.changeset/some-change.md']), ...times(2, ['packages/cli/src/run.ts', '.changeset/other.md'])],
    source: 'packages/cli/src/run.ts', feature: 'cli', test: 'packages/cli/src/run.test.ts', note: '.changeset/brave-owls.md',
    gaps: ['tests', 'release-notes'], readme: 'packages/cli/README.md', generated: 'packages/cli/CHANGELOG.md',
  },
  {
    name: 'microsoft/vscode-eslint: client/ and server/ folders, tests under src/tests/, one CHANGELOG.md',
    files: {
      'package.json': '{"name":"vscode-eslint"}\n', 'package-lock.json': 'x\n', 'CHANGELOG.md': 'x\n', 'README.md': 'x\n', 'esbuild.js': 'x\n',
      'client/package.json': '{}\n', 'client/src/extension.ts': 'x\n', 'client/src/tests/glob.test.ts': 'x\n',
      'server/package.json': '{}\n', 'server/src/eslintServer.ts': 'x\n', 'server/src/tests/server.test.ts': 'x\n',
      'playgrounds/ts/a.ts': 'x\n', 'build/bin/all.js': 'x\n', '$shared/settings.ts': 'x\n', '.vscode/launch.json': '{}\n',
    },
    history: times(8, ['server/src/eslintServer.ts', 'server/src/tests/server.test.ts', 'CHANGELOG.md']),
    source: 'server/src/eslintServer.ts', feature: 'server', test: 'server/src/tests/server.test.ts', note: 'CHANGELOG.md',
    gaps: ['tests', 'release-notes'],
  },
  {
    name: 'python-attrs/attrs: src/<pkg>/, mirrored tests/ found from history, towncrier fragments in changelog.d/',
    files: {
      'pyproject.toml': '[project]\nname = "attrs"\n\n[tool.towncrier]\ndirectory = "changelog.d"\nfilename = "CHANGELOG.md"\n\n[[tool.towncrier.type]]\ndirectory = "change"\nname = "Changes"\n',
      'CHANGELOG.md': 'x\n', 'README.md': 'x\n', 'uv.lock': 'x\n', 'changelog.d/.gitignore': '!.gitignore\n',
      'src/attr/__init__.py': 'x\n', 'src/attr/_make.py': 'x\n', 'tests/__init__.py': '', 'tests/test_make.py': 'x\n', 'docs/index.md': 'x\n', 'typing_tests/t.py': 'x\n',
    },
    history: [...times(7, ['src/attr/_make.py', 'tests/test_make.py', 'changelog.d/1.change.md']), ['src/attr/_make.py', 'changelog.d/2.change.md']],
    source: 'src/attr/_make.py', feature: 'attr', test: 'tests/test_make.py', note: 'changelog.d/1234.change.md',
    gaps: ['tests', 'release-notes'], generated: 'CHANGELOG.md',
  },
  {
    name: 'BurntSushi/ripgrep: Cargo workspace crates/*, root package in crates/core, integration tests in tests/, one CHANGELOG.md',
    files: {
      'Cargo.toml': '[package]\nname = "ripgrep"\n\n[[bin]]\nname = "rg"\npath = "crates/core/main.rs"\n\n[workspace]\nmembers = ["crates/searcher", "crates/ignore"]\n',
      'Cargo.lock': 'x\n', 'CHANGELOG.md': 'x\n', 'README.md': 'x\n',
      'crates/core/main.rs': 'x\n', 'crates/core/flags.rs': 'x\n', 'tests/regression.rs': 'x\n', 'tests/util.rs': 'x\n',
      'crates/searcher/Cargo.toml': '[package]\nname = "grep-searcher"\n', 'crates/searcher/src/lib.rs': 'x\n', 'crates/searcher/README.md': 'x\n',
      'crates/ignore/Cargo.toml': '[package]\nname = "ignore"\n', 'crates/ignore/src/lib.rs': 'x\n', 'crates/ignore/tests/gitignore.rs': 'x\n',
      'benchsuite/run.py': 'x\n', 'fuzz/fuzz.rs': 'x\n', 'ci/test.sh': 'x\n',
    },
    history: times(8, ['crates/core/flags.rs', 'tests/regression.rs', 'CHANGELOG.md']),
    source: 'crates/core/flags.rs', feature: 'ripgrep', test: 'tests/regression.rs', note: 'CHANGELOG.md',
    gaps: ['tests', 'release-notes'],
  },
  {
    name: 'spf13/cobra: a Go module at the root, *_test.go beside the code, no release-notes tool',
    files: {
      'go.mod': 'module github.com/spf13/cobra\n', 'go.sum': 'x\n', 'README.md': 'x\n', 'command.go': 'x\n', 'command_test.go': 'x\n', 'args.go': 'x\n',
      'completions.go': 'x\n', 'site/content/user_guide.md': 'x\n', '.github/workflows/test.yml': 'x\n',
    },
    history: times(8, ['command.go', 'command_test.go']),
    source: 'command.go', feature: 'cobra', test: 'command_test.go', note: 'command_test.go',
    gaps: ['tests'], readme: 'README.md',
  },
  {
    name: 'vitejs/vite: pnpm workspace, __tests__ beside the code, e2e tests in playground/ from history, per-package CHANGELOG.md',
    files: {
      'package.json': '{"private":true}\n', 'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - 'playground/**'\n  - docs\n", 'pnpm-lock.yaml': 'x\n',
      'packages/vite/package.json': '{"name":"vite"}\n', 'packages/vite/src/node/config.ts': 'x\n', 'packages/vite/src/node/__tests__/config.spec.ts': 'x\n',
      'packages/vite/README.md': 'x\n', 'packages/vite/CHANGELOG.md': 'x\n',
      'packages/create-vite/package.json': '{"name":"create-vite"}\n', 'packages/create-vite/src/index.ts': 'x\n', 'packages/create-vite/CHANGELOG.md': 'x\n',
      'playground/css/package.json': '{}\n', 'playground/css/__tests__/css.spec.ts': 'x\n', 'playground/css/main.ts': 'x\n', 'docs/package.json': '{}\n', 'docs/guide/index.md': 'x\n',
    },
    history: [...times(4, ['packages/vite/src/node/config.ts', 'playground/css/__tests__/css.spec.ts', 'packages/vite/CHANGELOG.md']), ...times(4, ['packages/vite/src/node/config.ts', 'packages/vite/src/node/__tests__/config.spec.ts', 'packages/vite/CHANGELOG.md'])],
    source: 'packages/vite/src/node/config.ts', feature: 'vite', test: 'packages/vite/src/node/__tests__/config.spec.ts', note: 'packages/vite/CHANGELOG.md',
    gaps: ['tests', 'release-notes'], readme: 'packages/vite/README.md',
  },
];

interface CheckJson {
  features: { id: string; touched: boolean; gaps: string[]; changed: Record<string, string[]> }[];
  summary: { touched: number };
}

describe('ownership init on the layouts of real repositories', function () {
  this.timeout(120000);
  // simple-git refuses to run while EDITOR is set (npm and npx set it); see init.test.ts.
  const editor = process.env.EDITOR;
  before(() => { delete process.env.EDITOR; });
  after(() => {
    if (editor !== undefined) process.env.EDITOR = editor;
    cleanup();
  });

  for (const layout of LAYOUTS) {
    describe(layout.name, () => {
      let dir = '';
      before(async () => {
        dir = initRepo();
        write(dir, layout.files);
        git(dir, 'add', '--all');
        git(dir, 'commit', '--quiet', '--no-verify', '-m', 'init');
        layout.history.forEach((paths, i) => {
          write(dir, Object.fromEntries(paths.map((p) => [p, `change ${i}\n`])));
          git(dir, 'add', '--all');
          git(dir, 'commit', '--quiet', '--no-verify', '-m', `change ${i}`);
        });
        const r = await ownership(dir, 'init');
        assert.equal(r.code, 0, r.err);
        git(dir, 'add', 'OWNERSHIP.yml');
        git(dir, 'commit', '--quiet', '--no-verify', '-m', 'ownership');
        const v = await ownership(dir, 'validate');
        assert.equal(v.code, 0, v.err);
      });
      afterEach(() => {
        git(dir, 'reset', '--quiet', '--hard');
        git(dir, 'clean', '-fdq');
      });

      /** Stages `paths` (written with new content) and returns the check verdict. */
      const stage = async (...paths: string[]): Promise<CheckJson> => {
        write(dir, Object.fromEntries(paths.map((p) => [p, 'staged change\n'])));
        git(dir, 'add', '--all');
        const r = await ownership(dir, 'check', '--format', 'json');
        assert.equal(r.code, 0, r.err);
        return JSON.parse(r.out) as CheckJson;
      };
      const feature = (v: CheckJson) => {
        const f = v.features.find((x) => x.id === layout.feature);
        assert.ok(f, `feature ${layout.feature} among ${v.features.map((x) => x.id).join(', ')}`);
        return f;
      };

      it('a source-only change shows the gaps the team usually fills', async () => {
        const f = feature(await stage(layout.source));
        assert.equal(f.touched, true);
        assert.deepEqual(f.gaps.filter((g) => g !== 'docs'), layout.gaps);
      });

      it('the same change with a test beside it and a release note shows neither', async () => {
        const f = feature(await stage(layout.source, layout.test, layout.note));
        assert.deepEqual(f.gaps.filter((g) => g !== 'docs'), []);
      });

      it('README-only, generated-CHANGELOG-only and test-only changes touch nothing', async () => {
        for (const only of [layout.readme, layout.generated, layout.test]) {
          if (only === undefined) continue;
          const v = await stage(only);
          assert.deepEqual(v.features.filter((f) => f.touched).map((f) => f.id), [], only);
          git(dir, 'reset', '--quiet', '--hard');
        }
      });

      it('a test folder is never a feature\'s code', async () => {
        const r = await ownership(dir, 'which', '--format', 'json', layout.test);
        assert.equal(r.code, 0, r.err);
        const { paths } = JSON.parse(r.out) as { paths: { memberships: { criterion: string }[] }[] };
        assert.deepEqual(paths[0]!.memberships.filter((m) => m.criterion === 'code'), []);
        assert.ok(paths[0]!.memberships.some((m) => m.criterion === 'tests'), 'the test belongs to a tests criterion');
      });
    });
  }
});
