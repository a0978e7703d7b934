// Packages the extension the way users get it and checks the VSIX (the `package` step of npm test):
//   1. `npm run package` succeeds (a failure is a failed check, never a fallback to the folder);
//   2. the VSIX holds exactly the files in test/harness/vsix-files.txt (no tests, bench, sources,
//      source maps or caches; a new file is a decision that updates the list);
//   3. every relative link and image in README.md points at a file inside the VSIX (the README is
//      the extension's page in VS Code, where relative links resolve against the installed folder);
//   4. the README's extension install line (`code --install-extension …`) runs as written, with
//      code-server's CLI as `code`, and unpacks the extension;
//   5. the manifest is Marketplace-ready: a 128×128 PNG icon, categories, keywords, a gallery
//      banner, no placeholder repository.
// Prints the VSIX's size and one line per check, then "N passed, N failed"; exits 0 only if all
// passed. Usage: node test/harness/vsix.mjs [--no-package] [--no-install] [--vsix FILE]
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, ensureCodeServer } from './codeServer.mjs';

const { values: opts } = parseArgs({
  options: { 'no-package': { type: 'boolean', default: false }, 'no-install': { type: 'boolean', default: false }, vsix: { type: 'string', default: join(REPO_ROOT, 'dist', 'feature-ownership.vsix') } },
});

const results = [];
function check(name, fn) {
  try {
    const note = fn();
    results.push({ name, ok: true });
    console.log(`  ok    ${name}${note ? ` — ${note}` : ''}`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`  FAIL  ${name}: ${String(e?.message ?? e)}`);
  }
}

/** The paths a VSIX (a zip) holds, from unzip's listing. */
function vsixFiles(file) {
  return execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Relative link and image targets in a Markdown text, without #fragments or ?queries. */
export function relativeLinks(markdown) {
  const targets = new Set();
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = m[1].replace(/[#?].*$/, '');
    if (target && !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('/')) targets.add(decodeURI(target));
  }
  return [...targets].sort();
}

function pngSize(file) {
  const b = readFileSync(file);
  if (b.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error(`${file} is not a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

let packaged = opts['no-package'];
if (!packaged) {
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  check('npm run package succeeds', () => {
    if (r.status !== 0) throw new Error(`exit ${r.status}\n${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`);
    packaged = true;
    return `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  });
}

if (packaged) {
  check('the VSIX holds exactly test/harness/vsix-files.txt', () => {
    const expected = readFileSync(join(REPO_ROOT, 'test', 'harness', 'vsix-files.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const actual = vsixFiles(opts.vsix);
    const extra = actual.filter((f) => !expected.includes(f));
    const missing = expected.filter((f) => !actual.includes(f));
    if (extra.length || missing.length)
      throw new Error([...extra.map((f) => `+ ${f}`), ...missing.map((f) => `- ${f}`)].join(', ') + ' (update vsix-files.txt if intended)');
    const { size } = statSync(opts.vsix);
    return `${actual.length} files, ${(size / 1024).toFixed(1)} KB`;
  });

  check("README.md's relative links and images are inside the VSIX", () => {
    const inVsix = new Set(vsixFiles(opts.vsix).map((f) => f.replace(/^extension\//, '').toLowerCase()));
    const links = relativeLinks(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
    const broken = links.filter((l) => !inVsix.has(l.replace(/^\.\//, '').toLowerCase()));
    if (broken.length) throw new Error(`not shipped: ${broken.join(', ')}`);
    return `${links.length} links`;
  });
}

if (packaged && !opts['no-install']) {
  const entry = await ensureCodeServer();
  check("README.md's `code --install-extension` line installs the VSIX", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const line = /^code --install-extension .+$/m.exec(readme)?.[0];
    if (!line) throw new Error('README.md has no `code --install-extension` line');
    const tmp = mkdtempSync('/tmp/fo-vsix-');
    try {
      // `code` for this line: code-server's CLI, with a throwaway extensions folder.
      writeFileSync(join(tmp, 'code'), `#!/bin/sh\nexec '${process.execPath}' '${entry}' --extensions-dir '${tmp}/e' "$@"\n`);
      chmodSync(join(tmp, 'code'), 0o755);
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', line], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${tmp}:${process.env.PATH}`, XDG_CONFIG_HOME: join(tmp, 'xdg') },
      });
      if (r.status !== 0) throw new Error(`${line}: exit ${r.status}\n${r.stderr}`);
      const installed = existsSync(join(tmp, 'e')) ? readdirSync(join(tmp, 'e')) : [];
      const folder = installed.find((f) => f.startsWith('feature-ownership.feature-ownership-'));
      if (!folder || !existsSync(join(tmp, 'e', folder, 'dist', 'extension.js'))) throw new Error(`nothing installed (${installed.join(', ')})`);
      return line;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}

check('the manifest is Marketplace-ready', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const problems = [];
  if (!pkg.icon?.endsWith('.png')) problems.push('icon is not a PNG');
  else {
    const { width, height } = pngSize(join(REPO_ROOT, pkg.icon));
    if (width !== 128 || height !== 128) problems.push(`icon is ${width}×${height}, not 128×128`);
  }
  if (!pkg.categories?.length) problems.push('no categories');
  if (!pkg.keywords?.length || pkg.keywords.length > 30) problems.push('keywords missing or more than 30');
  if (!/^#[0-9a-f]{6}$/i.test(pkg.galleryBanner?.color ?? '') || !['dark', 'light'].includes(pkg.galleryBanner?.theme)) problems.push('no galleryBanner');
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (repo !== undefined && /example\.|\.invalid\b|localhost/.test(repo)) problems.push(`placeholder repository ${repo}`);
  if (pkg.dependencies && Object.keys(pkg.dependencies).length) problems.push('runtime dependencies (the bundles need none)');
  if (problems.length) throw new Error(problems.join('; '));
});

const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
