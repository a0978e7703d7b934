// `ownership init`: writes a first OWNERSHIP.yml at the repository root, scaffolded from what the
// repository says about itself — its workspace packages, test layout, release-notes tool,
// CODEOWNERS and recent history (the same engine as the extension's "Create OWNERSHIP.yml").
import { Option, type Command } from 'commander';
import { unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { markColdPath } from '../core/coldPath';
import { FILE_NAME } from '../core/parse';
import { Git } from '../node/git';
import { formatReport } from '../core/reportFormat';
import { HISTORY_DEPTH, scanRepository } from '../node/repoScan';
import { loadOrFail, type Io } from './main';
import { DEFAULT_REPORT_COUNT, reportFor, wholeNumber } from './reportCommand';

// The scaffold (and through it `yaml` and `smol-toml`, tens of milliseconds to evaluate) loads
// when `init` runs, not on every `check` the hook makes: esbuild evaluates a module reached only
// through require() on first use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const scaffolder = (): typeof import('../core/scaffold') => (markColdPath(), require('../core/scaffold'));

interface InitOptions {
  C?: string;
  force?: boolean;
  history: number;
  replay: number;
}

async function init(opts: InitOptions, io: Io): Promise<number> {
  const git = await Git.open(resolve(io.cwd, opts.C ?? '.'));
  const target = join(git.root, FILE_NAME);
  const scaffold = scaffolder().scaffoldOwnership(await scanRepository(git, { historyDepth: opts.history }));
  try {
    // --force removes the old entry first: a committed OWNERSHIP.yml that is a symbolic link is
    // replaced, never written through (it may lead outside the repository).
    if (opts.force) await unlink(target).catch(() => undefined);
    // 'wx' fails when the file exists, so a concurrent writer is never overwritten either.
    await writeFile(target, scaffold.text, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    io.err(`ownership: ${target} already exists: edit it, or run "ownership init --force" to replace it with a new scaffold\n`);
    return 2;
  }
  io.out(`Created ${target} with ${scaffold.features} feature${scaffold.features === 1 ? '' : 's'} from ${scaffold.from}.\nIts comments say what was detected and how often recent changes supplied each criterion; review them, then run "ownership validate".\n`);
  if (opts.replay > 0) {
    // What the new rules would have flagged, before anyone turns the hook on (`ownership report`).
    const report = await reportFor(git, () => loadOrFail(git, io), { maxCount: opts.replay });
    // A repository without commits has nothing to replay yet.
    if (report.range.commits > 0) io.out(`\nHow these rules judge the last ${report.range.commits} change${report.range.commits === 1 ? '' : 's'} (edit the file and run "ownership report" again):\n${formatReport(report, 'text')}`);
  }
  return 0;
}


/** Adds `ownership init [-C dir] [--force] [--history <n>]` to the program. */
export function registerInitCommand(program: Command, io: Io, setStatus: (code: number) => void): void {
  program
    .command('init')
    .description(`Create ${FILE_NAME} at the repository root, scaffolded from its packages, test layout, release-notes tool, CODEOWNERS and recent history.`)
    .option('--force', `replace an existing ${FILE_NAME}`)
    .addOption(new Option('--history <n>', 'recent first-parent changes to learn tests and each criterion\'s rate from (0: none)').argParser(wholeNumber).default(HISTORY_DEPTH))
    .addOption(new Option('--replay <n>', 'then report how the new file judges the last <n> changes (0: skip)').argParser(wholeNumber).default(DEFAULT_REPORT_COUNT))
    .addOption(new Option('-C <dir>', 'run as if started in <dir>'))
    .action(async (opts: InitOptions) => setStatus(await init(opts, io)));
}
