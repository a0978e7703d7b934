// The CLI as users install it: `npm pack` makes a tarball with only the bundle, its schema and
// docs and no runtime dependencies, and the README's Install section — the dev-dependency, global
// and CI blocks — runs exactly as written in fresh projects, with that tarball in place of the
// registry name and npm offline (so the install provably fetches nothing).
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV, ROOT } from '../reliability/support';
import { buildCli, cleanup, commitAll, git, initRepo, tempDir, write } from './support';

interface Block {
  lang: string;
  code: string;
}

/** The fenced code blocks of the README's `## Install` section, in order. */
function installBlocks(): Block[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Install\n');
  assert.ok(start >= 0, 'README.md has an "## Install" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  // `text` blocks are not commands (the pre-commit configuration needs the published address).
  return [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, code: m[2]! })).filter((b) => b.lang !== 'text');
}

/** The README's registry name → the local tarball (only where it stands as a package spec). */
function withTarball(code: string, tarball: string): string {
  return code.replace(/(^|[\s=])feature-ownership(?=\s|$)/gm, `$1${tarball}`);
}

describe('the CLI as an npm package', function () {
  this.timeout(180_000);
  let work: string;
  let tarball: string;
  let env: NodeJS.ProcessEnv;
  const blocks = installBlocks();

  before(() => {
    buildCli();
    work = tempDir('own-pack-');
    // --ignore-scripts: prepack would rebuild dist/ minified under the other tests; the bundle is
    // built (buildCli), and a separate test checks that prepack builds it from a fresh clone.
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', env: { ...ENV, npm_config_loglevel: 'error' } });
    const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
    assert.ok(info);
    tarball = join(work, info.filename);
    packFiles = info.files.map((f) => f.path).sort();
    const globalPrefix = join(work, 'global');
    env = {
      ...ENV,
      npm_config_offline: 'true',
      npm_config_cache: join(work, 'npm-cache'),
      npm_config_prefix: globalPrefix,
      npm_config_update_notifier: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      PATH: `${join(globalPrefix, 'bin')}:${ENV.PATH ?? ''}`,
    };
  });
  after(cleanup);
  let packFiles: string[] = [];

  it('packs the bundle, schema and docs, with no runtime dependencies and a prepack build', () => {
    assert.deepEqual(packFiles, ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli.js', 'dist/cliMain.js', 'docs/commit-check.md', 'docs/real-repos.md', 'docs/reliability.md', 'package.json', 'schemas/ownership.schema.json']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string>; dependencies?: object; scripts: Record<string, string> };
    assert.equal(pkg.name, 'feature-ownership');
    assert.deepEqual(pkg.bin, { ownership: 'dist/cli.js' });
    assert.equal(pkg.dependencies, undefined, 'dist/cli.js is a bundle: installing it must fetch nothing');
    assert.match(pkg.scripts.prepack ?? '', /esbuild\.mjs --production/, 'npm pack from a fresh clone builds dist/cli.js');
  });

  it('the README has the blocks this test runs: extension, dev dependency, global, CI', () => {
    assert.equal(blocks.length, 4, blocks.map((b) => b.code).join('\n---\n'));
    assert.match(blocks[0]!.code, /^code --install-extension dist\/feature-ownership\.vsix$/m);
    assert.match(blocks[1]!.code, /npm install --save-dev feature-ownership\n/);
    assert.match(blocks[2]!.code, /npm install --global feature-ownership\n/);
    assert.equal(blocks[3]!.lang, 'yaml');
  });

  /** A repository with a feature whose code changed on `topic` without its tests. */
  function project(): string {
    const dir = initRepo();
    write(dir, { 'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: app\n    name: App\n    code: [src/]\n    tests: [test/]\n', 'src/a.ts': 'a\n', 'test/a.test.ts': 't\n' });
    commitAll(dir, 'init');
    return dir;
  }

  function bash(cwd: string, script: string): { status: number | null; out: string } {
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd, env, encoding: 'utf8', timeout: 120_000 });
    return { status: r.status, out: r.stdout + r.stderr };
  }

  it('as a dev dependency: npm install --save-dev, npx ownership init and check, offline', () => {
    const dir = initRepo();
    write(dir, { 'package.json': '{ "name": "app", "version": "1.0.0", "private": true }\n', 'src/a.ts': 'a\n' });
    commitAll(dir, 'init');
    write(dir, { 'src/a.ts': 'b\n' });
    git(dir, ['add', '-A']);
    const r = bash(dir, withTarball(blocks[1]!.code, tarball));
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /OWNERSHIP\.yml/, 'init reported the file it wrote');
    assert.match(r.out, /missing|gap/i, `check reported the change's gaps:\n${r.out}`);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string>; dependencies?: object };
    assert.ok(pkg.devDependencies?.['feature-ownership'], 'saved as a dev dependency');
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    assert.deepEqual(Object.keys(lock.packages).sort(), ['', 'node_modules/feature-ownership'], 'nothing but the package itself was installed');
  });

  it('globally: npm install --global, then ownership on PATH', () => {
    const dir = project();
    write(dir, { 'src/a.ts': 'changed\n' });
    git(dir, ['add', '-A']);
    const r = bash(dir, withTarball(blocks[2]!.code, tarball));
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /App/);
    assert.match(r.out, /tests/);
  });

  it("the CI workflow's run step, on a clone of a pull request's branch", () => {
    const origin = project();
    const clone = tempDir('own-ci-');
    git(clone, ['clone', '-q', origin, '.']);
    git(clone, ['config', 'user.name', 'CI']);
    git(clone, ['config', 'user.email', 'ci@example.invalid']);
    git(clone, ['checkout', '-q', '-b', 'topic']);
    write(clone, { 'src/a.ts': 'changed on topic\n' });
    commitAll(clone, 'change code only');
    const steps = [...blocks[3]!.code.matchAll(/^\s*- run: (.+)$/gm)].map((m) => m[1]!);
    assert.equal(steps.length, 1, 'one run step');
    // What GitHub substitutes before the shell sees the line.
    const line = withTarball(steps[0]!, tarball).replace('${{ github.base_ref }}', 'main');
    mkdirSync(join(work, 'ci-home'), { recursive: true });
    const r = bash(clone, line);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /^::warning file=/m, `GitHub annotations:\n${r.out}`);
  });

  it('the extension block names the VSIX npm run package writes', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const vsix = /code --install-extension (\S+)/.exec(blocks[0]!.code)?.[1];
    assert.ok(vsix && pkg.scripts.package?.includes(`-o ${vsix}`), `npm run package writes ${vsix}`);
  });
});
