// Every id the extension shares with package.json, in one place: the manifest test
// (test/unit/manifest.test.ts) checks that each one is declared there and nothing else is.

/** Commands. Ids starting with `ownership._` are internal and hidden from the palette. */
export const Commands = {
  refresh: 'ownership.refresh',
  selectChanges: 'ownership.selectChanges',
  filter: 'ownership.filter',
  /** Same as `filter`, shown instead of it (with a filled icon) while a filter is on. */
  filterActive: 'ownership.filterActive',
  openDefinition: 'ownership.openDefinition',
  revealFile: 'ownership.revealFile',
  focus: 'ownership.focus',
  /** Registered by ownershipFileFeatures.ts; the welcome view links to it. */
  createOwnershipFile: 'ownership.createOwnershipFile',
  /** Stages the OWNERSHIP.yml files whose unstaged edits the commit check would not see. */
  stageOwnershipFiles: 'ownership.stageOwnershipFiles',
  openChange: 'ownership._openChange',
  testState: 'ownership._testState',
} as const;

export const VIEW_CONTAINER = 'ownership';
export const FEATURES_VIEW = 'ownership.features';
export const STATUS_ITEM = 'ownership.status';
export const CONFIG_SECTION = 'ownership';

/** Setting keys below `ownership.`, each read by config.ts and declared in package.json. */
export const SETTING_KEYS = ['changes', 'baseRef', 'statusBar.enabled', 'tree.maxFiles', 'refresh.debounce', 'scmInputWarning.enabled', 'me'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** Values of the `ownership.welcome` context key: a folder state, or everything filtered away. */
export const WELCOME_STATES = ['loading', 'noFile', 'invalid', 'notGit', 'gone', 'filteredEmpty'] as const;

/** Context keys set by the extension (see contextKeys.ts). */
export const ContextKeyNames = {
  /** `noFile` | `invalid` | `notGit` | `gone` | `loading` | `` (tree has content): picks the welcome view. */
  welcome: 'ownership.welcome',
  /** True while the tree shows a subset of the features. */
  filtered: 'ownership.filtered',
  /** Which changes are analysed: `staged` | `working` | `branch`. */
  changes: 'ownership.changes',
  /** True once the extension has activated (menus use it). */
  active: 'ownership.active',
} as const;
