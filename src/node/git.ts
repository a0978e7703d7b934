// Git, through simple-git: it spawns the git binary with an argument array (never a shell), and
// every command that lists paths uses `-z`, so any file name arrives verbatim.
import { simpleGit, type SimpleGit } from 'simple-git';
import { parseNameStatusZ, parsePathsZ, parseStatusZ } from '../core/gitParse';
import type { Change } from '../core/types';

/** A git failure with a message fit for a user: what failed and what to do. */
export class GitFailure extends Error {
  constructor(message: string, readonly detail = '') {
    super(message);
  }
}

/** Git's empty tree: the "before" of a repository without commits. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

function firstLine(e: unknown): string {
  const msg = (e as Error)?.message ?? String(e);
  return msg.split('\n').map((l) => l.trim()).find((l) => l) ?? msg;
}

/**
 * simple-git refuses to run when the environment holds EDITOR, PAGER, GIT_ASKPASS, GIT_CONFIG_*,
 * GIT_EXEC_PATH... — which every terminal, VS Code and git hook sets. Our arguments are fixed
 * read-only commands; the environment is the user's own and must reach git (GIT_INDEX_FILE in a
 * hook, GIT_CONFIG_GLOBAL in CI), so it is trusted as git itself would trust it.
 */
const TRUST_USER_ENVIRONMENT = {
  allowUnsafeAlias: true, allowUnsafeAskPass: true, allowUnsafeConfigEnvCount: true, allowUnsafeConfigPaths: true,
  allowUnsafeCredentialHelper: true, allowUnsafeDiffExternal: true, allowUnsafeDiffTextConv: true, allowUnsafeEditor: true,
  allowUnsafeFilter: true, allowUnsafeFsMonitor: true, allowUnsafeGitProxy: true, allowUnsafeGpgProgram: true,
  allowUnsafeHooksPath: true, allowUnsafeMergeDriver: true, allowUnsafePack: true, allowUnsafePager: true,
  allowUnsafeProtocolOverride: true, allowUnsafeSshCommand: true, allowUnsafeTemplateDir: true,
};

export type ChangeSource = { kind: 'staged' } | { kind: 'working' } | { kind: 'range'; base: string; head: string };

export class Git {
  private readonly git: SimpleGit;

  private constructor(readonly root: string, readonly gitDir: string) {
    this.git = Git.client(root);
  }

  private static client(dir: string): SimpleGit {
    // GIT_OPTIONAL_LOCKS=0: our reads never take index.lock, so they never block the user's own
    // git commands (or VS Code's) and never leave a lock behind.
    return simpleGit({ baseDir: dir, trimmed: false, maxConcurrentProcesses: 4, unsafe: TRUST_USER_ENVIRONMENT }).env({ ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' });
  }

  /** Opens the repository containing `dir`; fails with a clear message when there is none. */
  static async open(dir: string): Promise<Git> {
    let out: string;
    try {
      out = await Git.client(dir).raw(['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir']);
    } catch (e) {
      const m = firstLine(e);
      if (/ENOENT|spawn git/.test(m)) throw new GitFailure('git was not found: install git and make sure it is on PATH');
      if (/not a git repository/i.test(m)) throw new GitFailure(`${dir} is not inside a git repository (run "git init" first)`);
      if (/must be run in a work tree|this operation must be run in a work tree/i.test(m)) throw new GitFailure(`${dir} is a bare repository: ownership needs a working tree`);
      throw new GitFailure(`git failed: ${m}`);
    }
    const [root, gitDir] = out.split('\n');
    if (!root) throw new GitFailure(`${dir} is a bare repository or a git directory: ownership needs a working tree`);
    return new Git(root, gitDir);
  }

  async raw(args: string[]): Promise<string> {
    try {
      return await this.git.raw(args);
    } catch (e) {
      throw new GitFailure(`git ${args[0]} failed: ${firstLine(e)}`);
    }
  }

  async hasHead(): Promise<boolean> {
    // simple-git resolves a failed command that prints nothing on stderr, so judge by the output.
    try {
      return /^[0-9a-f]{40,64}$/.test((await this.git.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim());
    } catch {
      return false;
    }
  }

  /** The index against HEAD (or against the empty tree before the first commit). */
  async stagedChanges(): Promise<Change[]> {
    const against = (await this.hasHead()) ? 'HEAD' : EMPTY_TREE;
    return parseNameStatusZ(await this.raw(['diff', '--cached', '--name-status', '-z', '-M', '--no-ext-diff', against, '--']));
  }

  /** Everything `git status` shows: staged, unstaged, and untracked files that are not ignored. */
  async workingChanges(): Promise<Change[]> {
    return parseStatusZ(await this.raw(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']));
  }

  /** Resolves a ref to a commit, with a clear message when it does not exist. */
  async resolve(ref: string): Promise<string> {
    if (ref.startsWith('-')) throw new GitFailure(`invalid ref "${ref}"`);
    let sha = '';
    try {
      sha = (await this.git.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
    } catch {
      sha = '';
    }
    if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new GitFailure(`unknown ref "${ref}": fetch it first (e.g. "git fetch origin ${ref}") or name an existing branch or commit`);
    return sha;
  }

  /** The merge base of `base` and `head`, as a pull request sees it. */
  async mergeBase(base: string, head: string): Promise<string> {
    const b = await this.resolve(base);
    const h = await this.resolve(head);
    let mb = '';
    try {
      mb = (await this.git.raw(['merge-base', b, h])).trim();
    } catch {
      mb = '';
    }
    if (!mb) {
      const shallow = (await this.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
      throw new GitFailure(shallow
        ? `no merge base between "${base}" and "${head}": this is a shallow clone; fetch more history (e.g. "git fetch --unshallow" or fetch-depth: 0 in CI)`
        : `no merge base between "${base}" and "${head}": they share no history`);
    }
    return mb;
  }

  /** Changes from the merge base of `base` and `head` to `head`, and the commits in between. */
  async rangeChanges(base: string, head: string): Promise<{ changes: Change[]; from: string; to: string }> {
    const from = await this.mergeBase(base, head);
    const to = await this.resolve(head);
    const changes = parseNameStatusZ(await this.raw(['diff', '--name-status', '-z', '-M', '--no-ext-diff', from, to, '--']));
    return { changes, from, to };
  }

  async changes(source: ChangeSource): Promise<Change[]> {
    if (source.kind === 'staged') return this.stagedChanges();
    if (source.kind === 'working') return this.workingChanges();
    return (await this.rangeChanges(source.base, source.head)).changes;
  }

  /** `Ownership-Waived` trailer values of every commit in `from..to`, as git parses trailers. */
  async rangeWaivers(from: string, to: string): Promise<string[]> {
    const out = await this.raw(['log', '--no-show-signature', '--format=%(trailers:key=Ownership-Waived,valueonly,unfold)', `${from}..${to}`, '--']);
    return out.split('\n').filter((l) => l.trim());
  }

  /** `Ownership-Waived` trailer values of a commit message file, as `git interpret-trailers --parse` sees them. */
  async messageWaivers(file: string): Promise<string[]> {
    const out = await this.raw(['interpret-trailers', '--parse', '--', file]);
    return out
      .split('\n')
      .map((l) => /^ownership-waived\s*:\s*(.*)$/i.exec(l)?.[1])
      .filter((v): v is string => v !== undefined && v.trim() !== '');
  }

  /** Every tracked path (`git ls-files -z`). */
  async trackedFiles(): Promise<string[]> {
    return parsePathsZ(await this.raw(['ls-files', '-z', '--cached', '--full-name']));
  }

  /** OWNERSHIP.yml files in the working tree: tracked or untracked, not ignored, not in submodules. */
  async ownershipFiles(): Promise<string[]> {
    const out = await this.raw(['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--full-name', '--', ':(glob)**/OWNERSHIP.yml']);
    return [...new Set(parsePathsZ(out))].sort();
  }

  async config(key: string): Promise<string | undefined> {
    try {
      const v = (await this.git.raw(['config', '--get', key])).trim();
      return v || undefined;
    } catch {
      return undefined;
    }
  }
}
