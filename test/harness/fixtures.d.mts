// Types for fixtures.mjs (plain JavaScript so the harness runs under node without a build step).

/** Relative path -> file content; `null` deletes the file. */
export type FileMap = Record<string, string | null>;

export interface FixtureRepo {
  dir: string;
  /** Runs git with these arguments in the repository and returns its stdout. */
  git(...args: string[]): string;
  /** Writes (or with `null` deletes) files without staging them. */
  write(files: FileMap): void;
}

export interface FixtureOptions {
  /** Contents of the first commit. */
  files?: FileMap;
  /** Written and staged after the first commit (`null`: deleted and staged). */
  staged?: FileMap;
  /** Written after staging, left unstaged. */
  unstaged?: FileMap;
  /** Default `main`. */
  branch?: string;
  /** Message of the first commit. */
  message?: string;
}

export declare function git(dir: string, ...args: string[]): string;
export declare function writeFiles(dir: string, files: FileMap): void;
export declare function makeFixtureRepo(dir: string, options?: FixtureOptions): FixtureRepo;
export declare const STANDARD_OWNERSHIP_YML: string;
export declare const STANDARD_FILES: Readonly<Record<string, string>>;
export declare const STANDARD_STAGED: Readonly<Record<string, string>>;
export declare const STANDARD_UNSTAGED: Readonly<Record<string, string>>;
export declare function makeStandardFixture(dir: string): FixtureRepo;
export declare const BILLING_OWNERSHIP_YML: string;
export declare function makeMultiRootFixture(dir: string): { workspaceFile: string; folders: string[] };
export declare function makeLayoutsFixture(dir: string): { workspaceFile: string; folders: string[] };
