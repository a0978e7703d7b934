// `ownership hook install|uninstall|status` and the hooks' own entry, `ownership hook run`.
//
// pre-commit asks once, in the place the commit came from: a commit from VS Code's Source
// Control view (its git carries VSCODE_GIT_COMMAND) asks the extension over its local channel;
// a commit from a terminal asks on that terminal (even when VS Code is open on the repository,
// the person is looking at the terminal); anything else asks the extension if one serves this
// repository, and otherwise prints the gaps. VS Code shows only the first stderr line of a
// failed hook (microsoft/vscode#169871), so every refusal starts with a line that stands alone.
//
// pre-commit cannot see the message, so it cannot see an `Ownership-Waived` trailer the user
// typed: it only asks. Strict gaps in a non-interactive commit are therefore enforced in
// commit-msg, which reads the trailers and refuses only what they leave unwaived.
import { type Command, Option } from 'commander';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isEmptyMessage, usesCrlf } from '../core/commitMessage';
import { formatText, gapSentence } from '../core/format';
import { isStrictFailure, parseWaivers } from '../core/model';
import type { FeatureVerdict } from '../core/types';
import { Git, GitFailure } from '../node/git';
import { HookError, hookStatus, installHooks, uninstallHooks, type HookRuntime } from '../node/hooks';
import { askExtension, type CommitAnswer, type CommitQuestion } from '../node/ipc';
import { FolderAnalysis } from '../node/folderAnalysis';
import { clearPending, commitProcess, pendingFile, stagedFingerprint, takePending, writePending } from '../node/pendingDecision';
import type { Io } from './main';
import { askOnTty, openTty } from './ttyPrompt';

/** "Checkout flow (@payments) is missing tests and docs" (+ "and 2 more features have gaps"). */
function gapSummary(gapped: FeatureVerdict[]): string {
  const [head] = gapped;
  if (!head) return '';
  const first = gapSentence(head);
  const more = gapped.length - 1;
  return more ? `${first}, and ${more} more feature${more === 1 ? ' has' : 's have'} gaps` : first;
}

/** A reason as one trailer-safe line. */
function cleanReason(reason: string): string {
  // eslint-disable-next-line no-control-regex
  return reason.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
}

function indent(text: string): string {
  return text.split('\n').map((l) => (l ? `  ${l}` : l)).join('\n');
}

/** The answer, or why the editor was not asked (undefined when no editor serves the repository). */
async function ask(git: Git, question: CommitQuestion, headline: string, details: string, env: NodeJS.ProcessEnv): Promise<{ answer?: CommitAnswer; note?: string }> {
  const fromEditor = !!env.VSCODE_GIT_COMMAND;
  if (!fromEditor) {
    const tty = openTty();
    if (tty !== undefined) return { answer: askOnTty(tty, `Ownership: ${headline} in this commit.`, details) };
  }
  // A loaded machine may need longer than the default 2 s to connect (tests set it generously);
  // the answer may be bounded tighter than 10 minutes (tests of an editor that never answers).
  const connectTimeoutMs = Number(env.OWNERSHIP_IPC_CONNECT_TIMEOUT_MS) || undefined;
  const answerTimeoutMs = Number(env.OWNERSHIP_IPC_ANSWER_TIMEOUT_MS) || undefined;
  const r = await askExtension(git.gitDir, question, { connectTimeoutMs, answerTimeoutMs });
  if ('answer' in r) return { answer: r.answer };
  return { note: r.absent ? undefined : `Ownership: not asked in the editor — ${r.noAnswer}\n` };
}

/** "cannot write <file>: permission denied", for a failure to keep a decision. */
function cannotWrite(file: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : code === 'ENOSPC' ? 'disk full' : (e as Error)?.message ?? String(e);
  return `cannot write ${file}: ${why}`;
}

async function preCommit(io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const git = await Git.open(io.cwd);
  const commit = commitProcess();
  // Before anything else: a decision left by an earlier attempt of this commit never applies.
  clearPending(git.gitDir, commit);
  const { rules, verdict, error } = await new FolderAnalysis(git).analyse({ kind: 'staged' });
  if (error) throw new GitFailure(error);
  if (!rules.paths.length) return 0;
  const errors = rules.problems.filter((p) => p.severity === 'error');
  if (errors.length || !verdict) {
    io.err(`Ownership: commit not checked — ${errors.length} problem${errors.length === 1 ? '' : 's'} in OWNERSHIP.yml; run "ownership validate"\n`);
    return 0;
  }
  const gapped = verdict.features.filter((f) => f.gaps.length);
  if (!gapped.length) return 0;

  const headline = gapSummary(gapped);
  const details = indent(formatText(verdict, 'staged changes'));
  const strict = isStrictFailure(verdict);
  const gaps = gapped.flatMap((f) => f.gaps.map((criterion) => ({ feature: f.id, criterion })));
  // Never empty: every feature in `gapped` has a gap.
  const [firstGap] = gaps;
  if (!firstGap) return 0;
  const question: CommitQuestion = {
    repoRoot: git.root,
    headline,
    features: gapped.map((f) => ({ id: f.id, name: f.name, owners: f.owners, gaps: f.gaps, mode: f.mode, sentence: gapSentence(f) })),
  };
  const { answer, note = '' } = await ask(git, question, headline, details, env);
  if (answer?.decision === 'cancel') {
    io.err(`Ownership: commit cancelled — ${headline}\n${details}  Nothing was committed; your staged changes are untouched.\n`);
    return 1;
  }
  const fingerprint = await stagedFingerprint(git);
  // The decision is kept for commit-msg. If the git directory cannot be written, the commit is
  // still honoured (a check must not hold every commit hostage), and the one line says what was lost.
  const keep = (decision: 'waive' | 'enforce', reason: string): string | undefined => {
    try {
      writePending(git.gitDir, { fingerprint, decision, reason, gaps, ...(decision === 'enforce' ? { details: `Ownership: ${headline}\n${details}` } : {}) }, commit);
      return undefined;
    } catch (e) {
      return cannotWrite(pendingFile(git.gitDir, commit), e);
    }
  };
  const trailers = gaps.map((g) => `Ownership-Waived: ${g.feature}/${g.criterion}`).join(', ');
  if (answer?.decision === 'commit') {
    const reason = cleanReason(answer.reason);
    const failed = keep('waive', reason);
    io.err(failed
      ? `Ownership: committing anyway, but the waiver is not recorded (${failed}) — add "${trailers}${reason ? ` ${reason}` : ''}" to the message yourself\n`
      : `Ownership: committing anyway — recording ${trailers}${reason ? ` (${reason})` : ''}\n`);
    return 0;
  }
  if (strict) {
    // Nobody was asked: the message decides. pre-commit stays quiet and commit-msg speaks once —
    // blocking with the gaps, or accepting waivers given with -m without a word.
    const failed = keep('enforce', '');
    if (failed) io.err(`Ownership: ${headline} — strict mode is not enforced for this commit (${failed}); the range check in CI still sees the gaps\n${details}${note}`);
    else io.err(note);
    return 0;
  }
  io.err(`Ownership: ${headline} — committing anyway (warn mode)\n${details}${note}`);
  return 0;
}

async function commitMsg(file: string, io: Io): Promise<number> {
  const git = await Git.open(io.cwd);
  const pending = takePending(git.gitDir, await stagedFingerprint(git), commitProcess());
  if (!pending) return 0;
  const msgFile = resolve(io.cwd, file);
  // Bytes as latin1: every byte round-trips, whatever the message's encoding.
  const original = readFileSync(msgFile, 'latin1');
  // git's trailer and scissors handling knows "\n" only: a message saved with Windows line
  // endings is worked on with "\n" and written back with "\r\n".
  const crlf = usesCrlf(original);
  let text = crlf ? original.replace(/\r\n/g, '\n') : original;
  // Without a final newline git would glue the trailer onto the last line's paragraph.
  if (text.length && !text.endsWith('\n')) text += '\n';
  const work = mkdtempSync(join(tmpdir(), 'ownership-msg-'));
  try {
    const copy = join(work, 'COMMIT_EDITMSG');
    writeFileSync(copy, text, 'latin1');
    const already = parseWaivers(await git.messageWaivers(copy));
    const isWaived = (g: { feature: string; criterion: string }) => already.some((w) => w.feature === g.feature && w.criterion === g.criterion);
    const open = pending.gaps.filter((g) => !isWaived(g));
    if (pending.decision === 'enforce') {
      const [firstOpen] = open;
      if (!firstOpen) return 0;
      const list = open.map((g) => `${g.feature}/${g.criterion}`).join(', ');
      io.err(`Ownership: commit blocked (strict mode) — not waived: ${list}; add the missing files, or end the message with "Ownership-Waived: ${firstOpen.feature}/${firstOpen.criterion} <reason>"\n${typeof pending.details === 'string' ? pending.details : ''}`);
      return 1;
    }
    if (!open.length) return 0;
    // An empty message makes git abort the commit (the user emptied it in the editor, or closed
    // VS Code's commit editor): a trailer would make it non-empty, and the commit would go through.
    if (isEmptyMessage(text, await git.config('core.commentChar'))) return 0;
    const args = ['interpret-trailers', '--in-place', '--if-exists', 'addIfDifferent'];
    for (const g of open) args.push('--trailer', `Ownership-Waived: ${g.feature}/${g.criterion}${pending.reason ? ` ${pending.reason}` : ''}`);
    await git.raw([...args, '--', copy]);
    const out = readFileSync(copy, 'latin1');
    writeFileSync(msgFile, crlf ? out.replace(/\n/g, '\r\n') : out, 'latin1');
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The runtime `ownership hook install` records: this Node and this CLI file. */
function currentRuntime(): HookRuntime {
  const cli = process.argv[1];
  if (cli === undefined) throw new Error('the CLI was started without a script path');
  return { node: process.execPath, cli: realpathSync(cli), electron: !!process.versions.electron };
}

/** Registers `ownership hook …` on the program. */
export function registerHookCommand(program: Command, io: Io, setStatus: (code: number) => void): void {
  const hook = program.command('hook').description('Install or remove the commit check (pre-commit and commit-msg git hooks).');
  const dir = () => new Option('-C <dir>', 'run as if started in <dir>');
  const verbs: [string, string, (dir: string) => Promise<{ actions: string[] }>, string][] = [
    ['install', 'Install the commit check; an existing hook is kept and runs first.', (d) => installHooks(d, currentRuntime()), 'already installed'],
    ['uninstall', 'Remove the commit check and restore any hook it chained.', uninstallHooks, 'not installed'],
  ];
  for (const [name, description, act, nothing] of verbs) {
    hook
      .command(name)
      .description(description)
      .addOption(dir())
      .action(async (opts: { C?: string }) => {
        try {
          const { actions } = await act(resolve(io.cwd, opts.C ?? '.'));
          io.out((actions.length ? actions.map((a) => `✓ ${a}`).join('\n') : `✓ the commit check is ${nothing}`) + '\n');
          setStatus(0);
        } catch (e) {
          const fsError = e as NodeJS.ErrnoException;
          // A hooks folder or git directory we may not write (read-only, another user's).
          if (fsError?.path && (fsError.code === 'EACCES' || fsError.code === 'EPERM' || fsError.code === 'EROFS')) {
            io.err(`ownership: ${cannotWrite(fsError.path, e)}\n`);
          } else if (e instanceof HookError) {
            io.err(`ownership: ${e.message}\n`);
          } else {
            throw e;
          }
          setStatus(2);
        }
      });
  }

  hook
    .command('status')
    .description('Say whether the commit check is installed and what it runs.')
    .addOption(dir())
    .action(async (opts: { C?: string }) => {
      const s = await hookStatus(resolve(io.cwd, opts.C ?? '.'));
      const where = s.location.layout.kind === 'husky' ? s.location.layout.scriptsDir : s.location.layout.hooksDir;
      io.out(`${s.installed ? 'installed' : 'not installed'} (${where})${s.runtime ? `; runs ${s.runtime.node} ${s.runtime.cli}` : ''}\n`);
      setStatus(s.installed ? 0 : 1);
    });

  hook
    .command('run', { hidden: true })
    .description('Run a hook (called by the installed git hooks).')
    .argument('<hook>', 'pre-commit or commit-msg')
    .argument('[args...]', 'the arguments git passed to the hook')
    .action(async (name: string, args: string[]) => {
      try {
        if (name === 'pre-commit') setStatus(await preCommit(io, process.env));
        else if (name === 'commit-msg' && args[0]) setStatus(await commitMsg(args[0], io));
        else setStatus(0);
      } catch (e) {
        // A broken check must not hold every commit hostage; say so and let the commit through.
        io.err(`Ownership: commit not checked — ${(e as Error)?.message ?? String(e)}\n`);
        setStatus(0);
      }
    });

  for (const c of [hook, ...hook.commands]) c.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
}
