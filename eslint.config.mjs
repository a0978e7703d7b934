// Lint, flat config (ESLint 9 + typescript-eslint 8). Beyond the recommended rules, it enforces the
// layering of the project, as GitLens does: `vscode` only in the extension (and its tests), and no
// Node I/O in the pure core (src/core/), whether imported, required or imported dynamically.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Node modules that do I/O: the core gets its data handed in by src/node/ adapters instead. */
const NODE_IO = [
  'fs', 'fs/promises', 'child_process', 'net', 'tls', 'http', 'https', 'http2', 'dgram', 'dns',
  'path', 'os', 'worker_threads', 'cluster', 'readline', 'process', 'module', 'v8', 'vm', 'inspector',
];
const NODE_IO_NAMES = NODE_IO.flatMap((m) => [m, `node:${m}`]);
// For esquery selectors, which cannot hold a `/`: `fs/promises` is caught as `fs` followed by a non-name character.
const NODE_IO_REGEX = `^(node:)?(${NODE_IO.filter((m) => !m.includes('/')).join('|')})($|[^a-z0-9_-])`;

const VSCODE_ONLY_IN_EXTENSION = {
  name: 'vscode',
  message: 'Only src/extension/ (and test/vscode/) may import vscode: keep the core, the Node adapters and the CLI usable without VS Code.',
};
const NO_IO_IN_CORE = 'src/core/ is pure: no file system, processes, network or paths. Put I/O in a src/node/ adapter and pass plain data in.';

// Layers, by relative import: core <- node, cli <- extension. A lower layer never reaches up.
const CORE_IMPORTS_UP = {
  regex: '^(?:\\.\\./)+(?:src/)?(?:node|extension)(?:/|$)',
  message: 'src/core/ may not import src/node/ or src/extension/: the core is the bottom layer; pass data in instead.',
};
const NODE_CLI_IMPORTS_EXTENSION = {
  regex: '^(?:\\.\\./)+(?:src/)?extension(?:/|$)',
  message: 'src/node/ and src/cli/ may not import src/extension/: they must run without VS Code.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**', 'out/**', 'node_modules/**', '.test-output/**', '.bench-cache/**', '.vscode-test/**',
      '**/fixtures/**', 'test/**/workspace/**', '**/*.d.ts', '**/*.d.mts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // STYLE.md: `import type` for types; `typeof import('yaml')` stays allowed for modules loaded lazily with require.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'prefer-const': 'error',
      'no-restricted-imports': ['error', { paths: [VSCODE_ONLY_IN_EXTENSION] }],
    },
  },
  {
    // Type-aware rules, with the types of tsconfig.json (bench/: bench/tsconfig.json): promises
    // must be awaited, voided or handled, and a switch over a union must name every member.
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A `default` does not stand in for missing members: name them (a default may stay for values from outside).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false }],
    },
  },
  {
    // Plain JavaScript is in no tsconfig: no type information, so no type-aware rules.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests feed control characters on purpose (terminal and workflow-command injection).
    files: ['test/**'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // bench/extensionHost/ runs inside the extension host, as the extension does.
    files: ['src/extension/**', 'test/vscode/**', 'bench/extensionHost/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/node/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [VSCODE_ONLY_IN_EXTENSION], patterns: [NODE_CLI_IMPORTS_EXTENSION] }],
    },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [VSCODE_ONLY_IN_EXTENSION, ...NODE_IO_NAMES.map((name) => ({ name, message: NO_IO_IN_CORE }))],
        patterns: [CORE_IMPORTS_UP],
      }],
      'no-restricted-syntax': ['error',
        { selector: `CallExpression[callee.name='require'] > Literal[value=/${NODE_IO_REGEX}|^vscode$/]`, message: NO_IO_IN_CORE },
        { selector: `ImportExpression > Literal[value=/${NODE_IO_REGEX}|^vscode$/]`, message: NO_IO_IN_CORE },
        { selector: `TSImportType Literal[value=/${NODE_IO_REGEX}|^vscode$/]`, message: NO_IO_IN_CORE },
      ],
    },
  },
);
