// Plain data shared by the core, the Node adapters, the CLI and the extension.
// Everything here is serialisable; nothing depends on VS Code, the file system or git.

export type Mode = 'warn' | 'strict';
export type Severity = 'error' | 'warning';

/** A 1-based source range inside one OWNERSHIP.yml (end is exclusive, like VS Code ranges). */
export interface SourceRange {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** One problem found in an OWNERSHIP.yml: `<file>:<line>:<col>: <message>`. */
export interface Problem extends SourceRange {
  /** Repository-relative POSIX path of the OWNERSHIP.yml. */
  file: string;
  message: string;
  severity: Severity;
  /** Stable machine-readable code, e.g. `yaml-syntax`, `unknown-key`, `duplicate-id`, `bad-glob`. */
  code: string;
}

/** The well-known criteria, in display order. Custom criteria follow them. */
export const BUILTIN_CRITERIA = ['tests', 'docs', 'release-notes'] as const;

export interface CriterionDef {
  name: string;
  /** Globs as written, relative to the folder of the OWNERSHIP.yml. */
  patterns: string[];
  required: boolean;
  /** True when the feature did not declare it and took it from `defaults`. */
  inherited: boolean;
  range?: SourceRange;
}

export interface FeatureDef {
  id: string;
  name: string;
  owners: string[];
  /** Repository-relative path of the OWNERSHIP.yml that declares the feature. */
  file: string;
  /** Repository-relative folder of that file, '' for the repository root. */
  base: string;
  mode: Mode;
  /** Where the feature's entry starts (its `- id:` item). */
  range: SourceRange;
  code: string[];
  criteria: CriterionDef[];
}

export interface OwnershipFile {
  /** Repository-relative POSIX path, e.g. `OWNERSHIP.yml` or `packages/web/OWNERSHIP.yml`. */
  path: string;
  /** Repository-relative folder, '' for the root. */
  base: string;
  mode: Mode;
  ignore: string[];
  features: FeatureDef[];
}

export interface ParseResult {
  /** Present when the file could be understood well enough to use (it may still have problems). */
  file?: OwnershipFile;
  problems: Problem[];
}

/** One entry of a diff: `git diff --name-status -z -M` shape. */
export interface Change {
  /** A added, M modified, D deleted, T type change, R renamed, C copied, U unmerged, ? untracked. */
  status: 'A' | 'M' | 'D' | 'T' | 'R' | 'C' | 'U' | '?';
  path: string;
  /** For renames and copies: the path before. */
  oldPath?: string;
}

/** `Ownership-Waived: <feature>/<criterion> [reason]`. */
export interface Waiver {
  feature: string;
  criterion: string;
  reason: string;
}

export interface FeatureVerdict {
  id: string;
  name: string;
  owners: string[];
  file: string;
  /** 1-based line of the feature's entry in its file. */
  line: number;
  mode: Mode;
  touched: boolean;
  /** Changed paths per criterion name, plus `code`. Only non-empty entries. */
  changed: Record<string, string[]>;
  /** Required criteria of a touched feature with no changed path and no waiver. */
  gaps: string[];
  waived: { criterion: string; reason: string }[];
}

export interface Verdict {
  schemaVersion: 1;
  features: FeatureVerdict[];
  unowned: string[];
  summary: { touched: number; incomplete: number; gaps: number };
}

/** What a single path belongs to. */
export interface Membership {
  feature: string;
  /** `code` or a criterion name. */
  criterion: string;
}
