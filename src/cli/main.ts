// `ownership`: the same engine as the extension, for git hooks and CI. Arguments are parsed by
// commander (well kept, generates --help, rejects unknown options); exit codes are the contract:
// 0 no gaps (or gaps in warn mode), 1 gaps in strict mode, 2 usage/config/git errors,
// 141 output closed by its reader, as git (see closedOutput.ts).
import { Command, CommanderError, Option } from 'commander';
import { realpathSync, writeSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { FORMATS, formatProblemsGithub, formatVerdict, type Format } from '../core/format';
import { analyze, classify, inventory, isStrictFailure, parseWaivers } from '../core/model';
import { FILE_NAME, formatProblem } from '../core/parse';
import { escapeControls } from '../core/printable';
import type { Problem } from '../core/types';
import { backgroundSettled } from '../node/background';
import { Git, GitFailure, type ChangeSource } from '../node/git';
import { FolderAnalysis, loadRules, type Rules } from '../node/folderAnalysis';
import { guardOutput } from './closedOutput';
import { registerInitCommand } from './initCommand';
import { registerHookCommand } from './hookCommand';
import { markdownExtras, registerReportCommand } from './reportCommand';

declare const PACKAGE_VERSION: string | undefined;
const VERSION = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev';

/** An error that ends the command with exit status 2 and a message on stderr. */
export class UsageError extends Error {}

export interface Io {
  out(s: string): void;
  err(s: string): void;
  cwd: string;
}

/** Where the command runs: `-C <dir>` as git means it, so relative paths resolve from there too. */
function startDir(dir: string | undefined, io: Io): string {
  return resolve(io.cwd, dir ?? '.');
}

async function openRepo(dir: string | undefined, io: Io): Promise<Git> {
  return Git.open(startDir(dir, io));
}

/** Loads the model, reporting problems; throws (exit 2) when the configuration is unusable. */
export async function loadOrFail(git: Git, io: Io, format: string = 'text', rules: Promise<Rules> = loadRules(git), from?: { where: string; analysis: FolderAnalysis }): Promise<Rules> {
  const loaded = await rules;
  // None where the change keeps its rules, but some in the working tree: say how to include them.
  if (loaded.paths.length === 0 && from && (await from.analysis.ownershipPaths()).length) throw new UsageError(`no ${FILE_NAME} in ${from.where}: the check judges a change with the rules it carries; add ${FILE_NAME} to it (e.g. "git add ${FILE_NAME}"), or create one with "ownership init"`);
  if (loaded.paths.length === 0) {
    throw new UsageError(`no ${FILE_NAME} found in ${git.root}: create one at the repository root with "ownership init" (scaffolded from its folders or CODEOWNERS), or by hand, e.g.\n  version: 1\n  features:\n    - id: my-feature\n      code: [src/]\n      tests: [test/]`);
  }
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    reportProblems(loaded.problems, io, format);
    throw new UsageError(`${plural(errors.length, 'problem')} in ${FILE_NAME}: fix ${errors.length === 1 ? 'it' : 'them'} and run again`);
  }
  for (const p of loaded.problems) io.err(formatProblem(p) + '\n');
  return loaded;
}

/** One line of text output: names and paths come from the repository, so controls are escaped. */
function line(s: string): string {
  return escapeControls(s) + '\n';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function reportProblems(problems: readonly Problem[], io: Io, format: string): void {
  if (format === 'github') io.out(formatProblemsGithub([...problems]));
  for (const p of problems) io.err(formatProblem(p) + '\n');
}

function describeSource(s: ChangeSource): string {
  if (s.kind === 'staged') return 'staged changes';
  if (s.kind === 'working') return 'working tree changes';
  return `changes from the merge base of ${s.base} to ${s.head}`;
}

interface CheckOptions {
  staged?: boolean;
  working?: boolean;
  base?: string;
  head?: string;
  format: Format;
  strict?: boolean;
  messageFile?: string;
  C?: string;
}

async function check(opts: CheckOptions, io: Io): Promise<number> {
  if (opts.head && !opts.base) throw new UsageError('--head needs --base <ref>');
  if (opts.messageFile && (opts.base || opts.working)) throw new UsageError('--message-file applies to --staged only (in range mode the commits\' own trailers count)');
  const git = await openRepo(opts.C, io);
  const source: ChangeSource = opts.base ? { kind: 'range', base: opts.base, head: opts.head ?? 'HEAD' } : opts.working ? { kind: 'working' } : { kind: 'staged' };
  const analysis = new FolderAnalysis(git);
  // git computes the change while the configuration loads: on a large repository the diff is
  // most of the run. Configuration errors still come first.
  const pending = analysis.changes(source, opts.messageFile ? { file: resolve(startDir(opts.C, io), opts.messageFile) } : undefined);
  pending.catch(() => undefined); // awaited below, unless loading fails first
  // The rules the change carries: the index for --staged, the head commit for --base/--head,
  // the working tree for --working.
  const loaded = await loadOrFail(git, io, opts.format, analysis.rulesFor(source), source.kind === 'working' ? undefined : { where: source.kind === 'staged' ? 'the index' : `the head commit (${source.head})`, analysis });
  const { changes, waivers, range } = await pending;
  const verdict = analyze(loaded.model, changes, parseWaivers(waivers));
  const markdown = opts.format === 'markdown' ? await markdownExtras(git, loaded.model, range) : {};
  io.out(formatVerdict(verdict, opts.format, { strict: opts.strict, describe: describeSource(source), version: VERSION, ...markdown }));
  return isStrictFailure(verdict, opts.strict) ? 1 : 0;
}

async function validate(opts: { C?: string; format?: string }, io: Io): Promise<number> {
  const git = await openRepo(opts.C, io);
  const loaded = await loadRules(git);
  if (loaded.paths.length === 0) throw new UsageError(`no ${FILE_NAME} found in ${git.root}: create one at the repository root (see the README)`);
  const problems = [...loaded.problems];
  const errors = problems.filter((p) => p.severity === 'error');
  if (!errors.length) {
    // Globs that match no tracked file are most often typos: warn, never fail.
    const tracked = await git.trackedFiles();
    const inv = inventory(loaded.model, tracked);
    for (const f of loaded.model.features) {
      const m = inv.get(f.id)!;
      if (m.get('code')!.length === 0) problems.push({ file: f.file, ...f.range, severity: 'warning', code: 'no-match', message: `feature "${f.id}": no tracked file matches its code globs (${f.code.join(', ')})` });
      for (const c of f.criteria) {
        if (!c.inherited && c.patterns.length && m.get(c.name)!.length === 0) {
          problems.push({ file: f.file, ...(c.range ?? f.range), severity: 'warning', code: 'no-match', message: `feature "${f.id}": no tracked file matches "${c.name}" (${c.patterns.join(', ')})` });
        }
      }
    }
  }
  reportProblems(problems, io, opts.format ?? 'text');
  const warnings = problems.length - errors.length;
  if (errors.length) {
    io.err(`✗ ${plural(errors.length, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''} in ${plural(loaded.paths.length, FILE_NAME + ' file')}\n`);
    return 2;
  }
  io.out(line(`✓ ${loaded.paths.join(', ')}: ${plural(loaded.model.features.length, 'feature')}${warnings ? `, ${plural(warnings, 'warning')}` : ''}`));
  return 0;
}

async function which(paths: string[], opts: { C?: string; format?: string }, io: Io): Promise<number> {
  const git = await openRepo(opts.C, io);
  const loaded = await loadOrFail(git, io);
  const byId = new Map(loaded.model.features.map((f) => [f.id, f]));
  // git reports the top level with symlinks resolved (/tmp -> /private/tmp on macOS): so is the start.
  const here = realpathSync(startDir(opts.C, io));
  const results = paths.map((p) => {
    const abs = resolve(here, p).split(sep).join('/');
    const rel = abs.startsWith(git.root + '/') ? abs.slice(git.root.length + 1) : undefined;
    if (rel === undefined) throw new UsageError(`${p} is outside the repository ${git.root}`);
    const { memberships, ignored } = classify(loaded.model, rel);
    return { path: rel, ignored, memberships: memberships.map((m) => ({ ...m, name: byId.get(m.feature)!.name, owners: byId.get(m.feature)!.owners })) };
  });
  if (opts.format === 'json') {
    io.out(JSON.stringify({ schemaVersion: 1, paths: results }, null, 2) + '\n');
    return 0;
  }
  for (const r of results) {
    if (!r.memberships.length) {
      io.out(line(`${r.path}: ${r.ignored ? 'ignored' : 'no feature'}`));
      continue;
    }
    for (const m of r.memberships) io.out(line(`${r.path}: ${m.name} [${m.feature}] ${m.criterion}${m.owners.length ? ` — ${m.owners.join(', ')}` : ''}`));
  }
  return 0;
}

async function list(opts: { C?: string; format?: string }, io: Io): Promise<number> {
  const git = await openRepo(opts.C, io);
  const tracked = git.trackedFiles(); // listed while the configuration loads
  tracked.catch(() => undefined);
  const loaded = await loadOrFail(git, io);
  const inv = inventory(loaded.model, await tracked);
  const features = loaded.model.features.map((f) => {
    const m = inv.get(f.id)!;
    const criteria = [
      { name: 'code', required: true, files: m.get('code')!.length },
      ...f.criteria.map((c) => ({ name: c.name, required: c.required, files: m.get(c.name)!.length })),
    ];
    return { id: f.id, name: f.name, owners: f.owners, file: f.file, line: f.range.line, criteria };
  });
  if (opts.format === 'json') {
    io.out(JSON.stringify({ schemaVersion: 1, features }, null, 2) + '\n');
    return 0;
  }
  for (const f of features) {
    io.out(line(`${f.name} [${f.id}]${f.owners.length ? ` — ${f.owners.join(', ')}` : ''}  (${f.file}:${f.line})`));
    for (const c of f.criteria) io.out(line(`    ${c.name}${c.required ? '' : ' (optional)'}: ${plural(c.files, 'file')}`));
  }
  return 0;
}

/** Builds the program; `run` resolves to the exit status. */
export function buildProgram(io: Io, setStatus: (code: number) => void): Command {
  const program = new Command();
  program
    .name('ownership')
    .description('Feature Ownership: for a change, which features it touches and which of their tests, docs and release notes it leaves behind.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(run with --help for usage)');

  const dirOption = () => new Option('-C <dir>', 'run as if started in <dir>');

  program
    .command('check')
    .description('Check a change: which features it touches and which required criteria it leaves out.')
    .addOption(new Option('--staged', 'the index against HEAD (default)').conflicts(['working', 'base']))
    .addOption(new Option('--working', 'everything git status shows: staged, unstaged and untracked').conflicts(['staged', 'base']))
    .addOption(new Option('--base <ref>', 'from the merge base of <ref> and --head to --head, as a pull request shows'))
    .addOption(new Option('--head <ref>', 'the head of the range (with --base)').default(undefined, 'HEAD'))
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS as Format[]).default('text'))
    .option('--strict', 'exit 1 when gaps remain, whatever the mode in OWNERSHIP.yml')
    .option('--message-file <file>', 'read Ownership-Waived trailers from this commit message (with --staged)')
    .addOption(dirOption())
    .addHelpText('after', '\nExit status: 0 no gaps (or gaps in warn mode), 1 gaps in strict mode, 2 usage error, invalid OWNERSHIP.yml or git failure.')
    .action(async (opts: CheckOptions) => setStatus(await check(opts, io)));

  program
    .command('validate')
    .description('Check every OWNERSHIP.yml; warn about globs that match no tracked file.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'github']).default('text'))
    .addOption(dirOption())
    .action(async (opts) => setStatus(await validate(opts, io)));

  program
    .command('which')
    .description('Show the features and criteria each path belongs to, with owners.')
    .argument('<path...>', 'paths, relative to the current directory')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(dirOption())
    .action(async (paths: string[], opts) => setStatus(await which(paths, opts, io)));

  program
    .command('list')
    .description('List every feature with, per criterion, how many tracked files match.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(dirOption())
    .action(async (opts) => setStatus(await list(opts, io)));

  registerInitCommand(program, io, setStatus);
  registerHookCommand(program, io, setStatus);
  registerReportCommand(program, io, setStatus);

  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) }).showHelpAfterError('(run with --help for usage)');
  return program;
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit status. */
export async function run(argv: string[], io: Io): Promise<number> {
  let status = 0;
  const program = buildProgram(io, (c) => { status = c; });
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    if (e instanceof UsageError || e instanceof GitFailure) {
      // A git failure is one line that may quote a path or ref; usage errors may span lines.
      io.err(`ownership: ${e instanceof GitFailure ? escapeControls(e.message) : e.message.split('\n').map(escapeControls).join('\n')}\n`);
      return 2;
    }
    io.err(`ownership: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
}

/** For the launcher: whether this run parsed or scaffolded (its code cache is then not kept). */
export { ranColdPath } from '../core/coldPath';

/** Runs the command line of this process (dist/cli.js, the launcher, calls it). */
export function main(): void {
  guardOutput({
    stdout: process.stdout,
    stderr: process.stderr,
    report: (s) => {
      try {
        writeSync(2, s);
      } catch {
        // stderr is gone too: the exit status says it.
      }
    },
    exit: (code) => process.exit(code),
  });
  const io: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), cwd: process.cwd() };
  void run(process.argv.slice(2), io).then(async (code) => {
    process.exitCode = code;
    await backgroundSettled();
    exitOnceWritten(code);
  });
}

/**
 * Ends the process as soon as its output is written. A process left to end by itself first
 * waits for V8's background work (optimising compiles queued for functions that will not run
 * again, concurrent marking) and tears its heap down: 27 ms from the output of a `report` to the
 * end of the process, against 15 ms with an exit right away (bench/README.md).
 */
function exitOnceWritten(code: number): void {
  const streams = [process.stdout, process.stderr];
  // A failed write is guardOutput's to report, with its own status (its 'error' event comes on a later tick).
  if (streams.some((s) => s.errored || s.destroyed)) return;
  // Files, terminals and Linux pipes are written synchronously: nothing is left to write.
  if (streams.every((s) => s.writableLength === 0)) process.exit(code);
  // Output still queued (asynchronous pipes, as on macOS): the callbacks come once it is written.
  let waiting = streams.length;
  for (const s of streams) s.write('', (e) => { if (!e && --waiting === 0) process.exit(code); });
}

if (require.main === module) main();
