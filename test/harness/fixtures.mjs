// Fixture repositories for the extension-host, UI and demo tiers: real git, created at test time
// (never committed .git folders).
//
// Usage from a Node script or a test (TypeScript gets types from fixtures.d.mts; esbuild bundles
// this file into the extension-host suite):
//
//   import { makeFixtureRepo, makeStandardFixture } from '../../harness/fixtures.mjs';
//
//   const repo = makeFixtureRepo('/tmp/x/repo', {
//     files: { 'OWNERSHIP.yml': yml, 'src/a.ts': 'export {};\n' }, // first commit
//     staged: { 'src/a.ts': 'export const a = 1;\n', 'src/old.ts': null }, // `git add` / `git rm`
//     unstaged: { 'README.md': 'work in progress\n' },                // written, not added
//   });
//   repo.git('diff', '--cached', '--name-status'); // runs git in the repo, returns stdout
//
// `makeStandardFixture(dir)` builds the shared scenario described at STANDARD_FILES below.
// Inside the extension host, the workspace the harness opened is process.env.FO_TEST_WORKSPACE
// (a standard fixture) and a scratch folder for more repositories is process.env.FO_TEST_RUN_DIR.
// Git runs without the system/global config and with a fixed identity and dates, so results do
// not depend on the machine.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Fixture Author',
  GIT_AUTHOR_EMAIL: 'author@fixture.invalid',
  GIT_COMMITTER_NAME: 'Fixture Author',
  GIT_COMMITTER_EMAIL: 'author@fixture.invalid',
  GIT_AUTHOR_DATE: '2024-01-01T12:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T12:00:00Z',
};

/** Runs git with `args` in `dir` (no shell) and returns its stdout. */
export function git(dir, ...args) {
  return execFileSync('git', args, {
    cwd: dir,
    env: { ...process.env, ...GIT_ENV },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Writes `files` (relative path -> content) under `dir`; a `null` content deletes the file. */
export function writeFiles(dir, files) {
  for (const [rel, content] of Object.entries(files)) {
    const file = join(dir, rel);
    if (content === null) {
      rmSync(file, { force: true });
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }
}

/**
 * Creates a git repository in `dir` (made if missing): `files` as the first commit on `branch`,
 * then `staged` written and staged (`null` = deleted and staged), then `unstaged` written only.
 */
export function makeFixtureRepo(dir, { files = {}, staged = {}, unstaged = {}, branch = 'main', message = 'Initial commit' } = {}) {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch', branch);
  // Stored in the repository too, so commits made later by tests or the extension work anywhere.
  git(dir, 'config', 'user.name', GIT_ENV.GIT_AUTHOR_NAME);
  git(dir, 'config', 'user.email', GIT_ENV.GIT_AUTHOR_EMAIL);
  git(dir, 'config', 'commit.gpgsign', 'false');
  writeFiles(dir, files);
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '--allow-empty', '--no-verify', '-m', message);
  writeFiles(dir, staged);
  const stagedPaths = Object.keys(staged);
  if (stagedPaths.length > 0) git(dir, 'add', '--all', '--', ...stagedPaths);
  writeFiles(dir, unstaged);
  return {
    dir,
    git: (...args) => git(dir, ...args),
    write: (more) => writeFiles(dir, more),
  };
}

/** OWNERSHIP.yml of the standard fixture: three features with different done-criteria. */
export const STANDARD_OWNERSHIP_YML = `version: 1
mode: warn
features:
  - id: checkout
    name: Checkout
    owners: ["@payments"]
    code: [src/checkout/]
    tests: [test/checkout/]
    docs: [docs/checkout.md]
    release-notes: [CHANGELOG.md]
  - id: search
    name: Search
    owner: "@discovery"
    code: [src/search/]
    tests: [test/search/]
    docs: [docs/search.md]
  - id: accounts
    name: Accounts
    owner: "@identity"
    code: [src/accounts/]
    tests: [test/accounts/]
    docs:
      paths: [docs/accounts.md]
      required: false
`;

/**
 * The standard scenario. Committed: OWNERSHIP.yml, code, tests and docs of all three features.
 * Staged: checkout code changed with no tests, docs or changelog (three gaps); search code and
 * its test added, docs missing (one gap); accounts untouched. Unstaged: a README edit.
 */
export const STANDARD_FILES = {
  'OWNERSHIP.yml': STANDARD_OWNERSHIP_YML,
  'README.md': '# Shop\n',
  'CHANGELOG.md': '# Changelog\n',
  'src/checkout/cart.ts': 'export function total(prices: number[]): number {\n  return prices.reduce((a, b) => a + b, 0);\n}\n',
  'test/checkout/cart.test.ts': "import { total } from '../../src/checkout/cart';\n\nif (total([1, 2]) !== 3) throw new Error('total');\n",
  'docs/checkout.md': '# Checkout\n',
  'src/search/index.ts': 'export function search(q: string): string[] {\n  return [q];\n}\n',
  'test/search/index.test.ts': "import { search } from '../../src/search/index';\n\nif (search('a').length !== 1) throw new Error('search');\n",
  'docs/search.md': '# Search\n',
  'src/accounts/login.ts': 'export const login = (user: string): boolean => user.length > 0;\n',
  'test/accounts/login.test.ts': "import { login } from '../../src/accounts/login';\n\nif (!login('a')) throw new Error('login');\n",
  'docs/accounts.md': '# Accounts\n',
};

export const STANDARD_STAGED = {
  'src/checkout/cart.ts':
    'export function total(prices: number[], discount = 0): number {\n  return prices.reduce((a, b) => a + b, 0) * (1 - discount);\n}\n',
  'src/search/rank.ts': 'export const rank = (hits: string[]): string[] => [...hits].sort();\n',
  'test/search/rank.test.ts': "import { rank } from '../../src/search/rank';\n\nif (rank(['b', 'a'])[0] !== 'a') throw new Error('rank');\n",
};

export const STANDARD_UNSTAGED = { 'README.md': '# Shop\n\nWork in progress.\n' };

/** Builds the standard scenario (see STANDARD_FILES) in `dir`. */
export function makeStandardFixture(dir) {
  return makeFixtureRepo(dir, { files: STANDARD_FILES, staged: STANDARD_STAGED, unstaged: STANDARD_UNSTAGED });
}

/** OWNERSHIP.yml of the second repository of the multi-root fixture: one feature, one gap staged. */
export const BILLING_OWNERSHIP_YML = `version: 1
features:
  - id: billing
    name: Billing
    owner: "@finance"
    code: [lib/]
    tests: [spec/]
`;

/**
 * The multi-root scenario: `alpha` (the standard fixture: 4 gaps), `beta` (Billing: its code
 * staged without its spec, 1 gap), and `multi.code-workspace` naming both. Returns the workspace
 * file and the folders.
 */
export function makeMultiRootFixture(dir) {
  const alpha = makeStandardFixture(join(dir, 'alpha'));
  const beta = makeFixtureRepo(join(dir, 'beta'), {
    files: { 'OWNERSHIP.yml': BILLING_OWNERSHIP_YML, 'lib/invoice.js': 'exports.total = 1;\n', 'spec/invoice.spec.js': '// spec\n' },
    staged: { 'lib/invoice.js': 'exports.total = 2;\n' },
  });
  const workspaceFile = join(dir, 'multi.code-workspace');
  writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'alpha' }, { path: 'beta' }], settings: {} }, null, 2));
  return { workspaceFile, folders: [alpha.dir, beta.dir] };
}

/**
 * One repository per layout Add Missing Piece knows (issue 14), each with one feature whose code is
 * staged without the piece under test, and `layouts.code-workspace` naming them all:
 * `colocated` (TypeScript, cart.ts → cart.test.ts, mocha), `mirrored` (src/checkout → test/checkout,
 * jest), `python` (tests/test_*.py, pytest), `golang` (cart_test.go), `changesets` (a workspace
 * package), `towncrier` (fragments in changes/, on branch fix/123-cart), `changelog` (CHANGELOG.md
 * without an Unreleased section).
 */
export function makeLayoutsFixture(dir) {
  const own = (feature) => `version: 1\nfeatures:\n${feature}`;
  const repos = {
    colocated: {
      files: {
        'OWNERSHIP.yml': own('  - id: cart\n    name: Cart\n    owners: ["@shop"]\n    code: [src/, "!src/**/*.test.ts"]\n    tests: ["src/**/*.test.ts"]\n'),
        'package.json': '{"name":"colocated","devDependencies":{"mocha":"^10.0.0"}}\n',
        'src/price.ts': 'export const price = 1;\n',
        'src/price.test.ts': "describe('price', () => { it('is 1', () => {}); });\n",
      },
      staged: { 'src/cart.ts': 'export const cart: string[] = [];\n' },
    },
    mirrored: {
      files: {
        'OWNERSHIP.yml': own('  - id: checkout\n    name: Checkout\n    owners: ["@payments"]\n    code: [src/checkout/]\n    tests: [test/checkout/]\n'),
        'package.json': '{"name":"mirrored","devDependencies":{"jest":"^29.0.0"}}\n',
        'src/checkout/price.ts': 'export const price = 1;\n',
        'test/checkout/price.test.ts': "test('price', () => {});\n",
      },
      staged: { 'src/checkout/cart.ts': 'export const cart: string[] = [];\n' },
    },
    python: {
      files: {
        'OWNERSHIP.yml': own('  - id: shop\n    name: Shop\n    code: [shop/]\n    tests: [tests/]\n'),
        'pyproject.toml': '[project]\nname = "shop"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n',
        'shop/__init__.py': '',
        'tests/test_price.py': 'def test_price():\n    assert True\n',
      },
      staged: { 'shop/cart.py': 'CART = []\n' },
    },
    golang: {
      files: {
        'OWNERSHIP.yml': own('  - id: cart\n    name: Cart\n    code: ["cart/*.go", "!cart/*_test.go"]\n    tests: ["cart/*_test.go"]\n'),
        'go.mod': 'module example.invalid/shop\n\ngo 1.22\n',
        'cart/price.go': 'package cart\n\nconst Price = 1\n',
      },
      staged: { 'cart/cart.go': 'package cart\n\nvar Items []string\n' },
    },
    changesets: {
      files: {
        'OWNERSHIP.yml': own('  - id: web\n    name: Web\n    code: [packages/web/src/]\n    release-notes: [".changeset/*.md"]\n'),
        'package.json': '{"name":"root","private":true,"workspaces":["packages/*"]}\n',
        'packages/web/package.json': '{"name":"@acme/web","version":"1.0.0"}\n',
        'packages/web/src/cart.ts': 'export const cart = [];\n',
        '.changeset/config.json': '{}\n',
      },
      staged: { 'packages/web/src/cart.ts': 'export const cart = [1];\n' },
    },
    towncrier: {
      files: {
        'OWNERSHIP.yml': own('  - id: shop\n    name: Shop\n    code: [shop/]\n    release-notes: [changes/]\n'),
        'pyproject.toml': '[tool.towncrier]\ndirectory = "changes"\nfilename = "CHANGES.md"\n\n[[tool.towncrier.type]]\ndirectory = "bugfix"\nname = "Bug fixes"\nshowcontent = true\n\n[[tool.towncrier.type]]\ndirectory = "feature"\nname = "Features"\nshowcontent = true\n',
        'shop/cart.py': 'CART = []\n',
        'changes/.gitkeep': '',
      },
      staged: { 'shop/cart.py': 'CART = [1]\n' },
      branch: 'fix/123-cart',
    },
    changelog: {
      files: {
        'OWNERSHIP.yml': own('  - id: cart\n    name: Cart\n    owners: ["@shop", "@web-platform"]\n    code: [src/]\n    release-notes: [CHANGELOG.md]\n    docs: [docs/cart.md]\n'),
        'CHANGELOG.md': '# Changelog\n\n## [1.0.0] - 2026-01-01\n\n- First release.\n',
        'src/cart.ts': 'export const cart = [];\n',
      },
      staged: { 'src/cart.ts': 'export const cart = [1];\n' },
    },
  };
  const folders = [];
  for (const [name, r] of Object.entries(repos)) {
    const repo = makeFixtureRepo(join(dir, name), { files: r.files });
    if (r.branch) repo.git('checkout', '--quiet', '-b', r.branch);
    writeFiles(repo.dir, r.staged);
    repo.git('add', '--all');
    folders.push(repo.dir);
  }
  const workspaceFile = join(dir, 'layouts.code-workspace');
  writeFileSync(workspaceFile, JSON.stringify({ folders: Object.keys(repos).map((path) => ({ path })), settings: {} }, null, 2));
  return { workspaceFile, folders };
}
