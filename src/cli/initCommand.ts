// `ownership init`: writes a first OWNERSHIP.yml at the repository root, scaffolded from the
// tracked files and CODEOWNERS (the same scaffold as the extension's "Create OWNERSHIP.yml").
import { Option, type Command } from 'commander';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CODEOWNERS_PATHS } from '../core/codeowners';
import { FILE_NAME } from '../core/parse';
import { scaffoldOwnership } from '../core/scaffold';
import { Git } from '../node/git';
import { formatReport } from '../core/reportFormat';
import { loadOrFail, type Io } from './main';
import { DEFAULT_REPORT_COUNT, reportFor, wholeNumber } from './reportCommand';

/** The repository's CODEOWNERS, from the first place GitHub looks that has one. */
async function readCodeowners(root: string): Promise<{ path: string; text: string } | undefined> {
  for (const path of CODEOWNERS_PATHS) {
    try {
      return { path, text: await readFile(join(root, path), 'utf8') };
    } catch {
      // not there: try the next place
    }
  }
  return undefined;
}

async function init(opts: { C?: string; force?: boolean; replay: number }, io: Io): Promise<number> {
  const git = await Git.open(resolve(io.cwd, opts.C ?? '.'));
  const target = join(git.root, FILE_NAME);
  const scaffold = scaffoldOwnership({ files: await git.trackedFiles(), codeowners: await readCodeowners(git.root) });
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
  const from = scaffold.source === 'codeowners' ? 'CODEOWNERS' : scaffold.source === 'folders' ? 'the top-level source folders' : 'an example (no source folders found)';
  io.out(`Created ${target} with ${scaffold.features} feature${scaffold.features === 1 ? '' : 's'} from ${from}.\nReview the guessed tests and docs, then run "ownership validate".\n`);
  if (opts.replay > 0) await replay(git, opts.replay, io);
  return 0;
}

/** How the new file would have judged the last `count` changes, before the hook is turned on. */
async function replay(git: Git, count: number, io: Io): Promise<void> {
  const report = await reportFor(git, async () => (await loadOrFail(git, io)).model, { maxCount: count }).catch((e: unknown) => e as Error);
  if (report instanceof Error) {
    io.err(`ownership: could not replay the history with the new file: ${report.message}\n`);
    return;
  }
  io.out(`\nHow these rules would have judged the last ${count === 1 ? 'change' : `${count} changes`} (ownership report --max-count ${count}):\n${formatReport(report, 'text')}`);
}

/** Adds `ownership init [-C dir] [--force]` to the program. */
export function registerInitCommand(program: Command, io: Io, setStatus: (code: number) => void): void {
  program
    .command('init')
    .description(`Create ${FILE_NAME} at the repository root, scaffolded from its source folders or CODEOWNERS.`)
    .option('--force', `replace an existing ${FILE_NAME}`)
    .addOption(new Option('--replay <n>', 'then show how the new rules would have judged the last <n> changes (0 skips)').argParser(wholeNumber).default(DEFAULT_REPORT_COUNT))
    .addOption(new Option('-C <dir>', 'run as if started in <dir>'))
    .action(async (opts: { C?: string; force?: boolean; replay: number }) => setStatus(await init(opts, io)));
}
