// Budgets on everything an OWNERSHIP.yml can make the engine do. OWNERSHIP.yml arrives in pull
// requests, from anyone who can open one: each limit sits far above real use (the largest
// benchmark file has 5,000 features in about 2 MB), and past it the file gets a located error
// instead of the engine doing unbounded work. Re-exported by parse.ts; documented in the README
// ("Limits") and, where JSON Schema can say it, in schemas/ownership.schema.json.
export const LIMITS = {
  /** Bytes of one OWNERSHIP.yml; larger files are refused before parsing. */
  fileBytes: 10 * 1024 * 1024,
  /** YAML aliases resolved per file; alias bombs exceed it immediately. */
  aliases: 1000,
  /** OWNERSHIP.yml files in one repository (each is read and parsed on every check). */
  files: 1000,
  /** Features in one OWNERSHIP.yml. */
  features: 20_000,
  /** Globs in one list (`code`, one criterion, `ignore`). */
  globsPerList: 1000,
  /**
   * Globs one file makes the engine index: every feature's lists, with inherited defaults counted
   * once per feature (a 5,000-feature file has about 25,000).
   */
  globsPerFile: 200_000,
  /** Characters in one glob as written. */
  globLength: 1000,
  /** Folders in one glob (`/`-separated segments). */
  globDepth: 100,
  /** Alternatives one glob expands to (brace lists and ranges multiply). */
  globAlternatives: 256,
  /**
   * Characters of all alternatives of one glob together: matching a path costs at most this ×
   * the path's length, so it bounds the work of one glob on one path.
   */
  globExpandedLength: 4000,
} as const;
