// OWNERSHIP.yml v1: every problem at its exact line and column, all of them at once, and the
// meaning of what parses (owners, defaults, long form, custom criteria).
import { strict as assert } from 'node:assert';
import { compileModel } from '../../src/core/model';
import { formatProblem, parseOwnership } from '../../src/core/parse';
import type { CriterionDef, OwnershipFile } from '../../src/core/types';

function problems(text: string, path = 'OWNERSHIP.yml'): string[] {
  return parseOwnership(text, path).problems.map(formatProblem);
}

function parsed(text: string, path = 'OWNERSHIP.yml'): OwnershipFile {
  const r = parseOwnership(text, path);
  assert.deepEqual(r.problems.map(formatProblem), []);
  assert.ok(r.file);
  return r.file;
}

function criteria(text: string): Record<string, Pick<CriterionDef, 'patterns' | 'required' | 'inherited'>> {
  const out: Record<string, Pick<CriterionDef, 'patterns' | 'required' | 'inherited'>> = {};
  for (const c of parsed(text).features[0]!.criteria) out[c.name] = { patterns: c.patterns, required: c.required, inherited: c.inherited };
  return out;
}

describe('parseOwnership', () => {
  describe('problems, with exact positions', () => {
    it('YAML syntax', () => {
      assert.deepEqual(problems('version: 1\nfeatures:\n  - id: a\n    code: [src/\n'), [
        'OWNERSHIP.yml:5:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ]);
      assert.deepEqual(problems('version: 1\nversion: 1\nfeatures: []\n'), ['OWNERSHIP.yml:2:1: YAML: Map keys must be unique']);
    });

    it('unknown keys, at the key, with what is expected', () => {
      assert.deepEqual(problems('version: 1\nfeatures:\n  - id: a\n    code: [src/]\n    test: [t/]\nfoo: 1\n'), [
        'OWNERSHIP.yml:5:5: unknown key "test" (expected one of: id, name, owners, owner, code, tests, docs, release-notes, criteria; put custom criteria under "criteria:")',
        'OWNERSHIP.yml:6:1: unknown key "foo" (expected one of: version, mode, defaults, ignore, features)',
      ]);
      assert.deepEqual(problems('version: 1\nfeatures:\n  - id: a\n    code: [a/]\n    tests: {path: [t/]}\n'), [
        'OWNERSHIP.yml:5:12: "tests" is missing required key "paths"',
        'OWNERSHIP.yml:5:13: unknown key "path" (expected one of: paths, required)',
      ]);
    });

    it('wrong types, all of them', () => {
      assert.deepEqual(problems('version: 1\nmode: loud\nfeatures:\n  - id: a\n    code: src/\n    tests: 3\n    owners: "@x"\n    docs: {paths: [d/], required: "no"}\n'), [
        'OWNERSHIP.yml:2:7: "mode" must be one of: warn, strict',
        'OWNERSHIP.yml:5:11: "code" must be a list, not string "src/"',
        'OWNERSHIP.yml:6:12: "tests" must be a list of globs or a mapping {paths, required}, not number 3',
        'OWNERSHIP.yml:7:13: "owners" must be a list, not string "@x"',
        'OWNERSHIP.yml:8:35: "required" must be a boolean, not string "no"',
      ]);
      assert.deepEqual(problems('- a\n'), ['OWNERSHIP.yml:1:1: the file must be a mapping, not a list']);
      assert.deepEqual(problems('version: 1\nfeatures:\n  - checkout\n'), ['OWNERSHIP.yml:3:5: entries of "features" must be mappings, not string "checkout"']);
      assert.deepEqual(problems('version: 1\nfeatures:\n'), ['OWNERSHIP.yml:2:10: "features" must be a list, not empty']);
      assert.deepEqual(problems('version: 1\ndefaults: {tests: 5}\nfeatures:\n  - id: a\n    code: [a/]\n    tests: [1]\n    docs: {paths: [2, ""]}\n    release-notes: {}\n    criteria: {m: 3, n: [""], Bad: [x]}\n'), [
        'OWNERSHIP.yml:2:19: "tests" must be a list of globs or a mapping {paths, required}, not number 5',
        'OWNERSHIP.yml:6:13: entries of "tests" must be strings, not number 1',
        'OWNERSHIP.yml:7:20: entries of "paths" must be strings, not number 2',
        'OWNERSHIP.yml:7:23: empty glob in "paths"',
        'OWNERSHIP.yml:8:20: "release-notes" is missing required key "paths"',
        'OWNERSHIP.yml:9:19: "m" must be a list of globs or a mapping {paths, required}, not number 3',
        'OWNERSHIP.yml:9:26: empty glob in "n"',
        'OWNERSHIP.yml:9:31: invalid criterion name "Bad": use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit',
      ]);
    });

    it('empty or missing code', () => {
      assert.deepEqual(problems('version: 1\nfeatures:\n  - id: a\n    code: []\n  - id: b\n'), [
        'OWNERSHIP.yml:4:11: "code" must list at least one glob: it is the feature\'s footprint',
        'OWNERSHIP.yml:5:5: feature 2 is missing required key "code" (list the globs of the feature\'s code)',
      ]);
    });

    it('missing or invalid ids', () => {
      assert.deepEqual(problems('version: 1\nfeatures:\n  - code: [a/]\n  - id: Bad_Id\n    code: [a/]\n'), [
        'OWNERSHIP.yml:3:5: feature 1 is missing required key "id"',
        'OWNERSHIP.yml:4:9: invalid feature id "Bad_Id": use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit',
      ]);
    });

    it('duplicate ids in one file', () => {
      assert.deepEqual(problems('version: 1\nfeatures:\n  - id: a\n    code: [a/]\n  - id: a\n    code: [b/]\n'), [
        'OWNERSHIP.yml:5:9: duplicate feature id "a" (first declared at line 3): ids must be unique across the repository',
      ]);
    });

    it('duplicate ids across files, reported on the nested file', () => {
      const root = parsed('version: 1\nfeatures:\n  - id: a\n    code: [a/]\n');
      const nested = parsed('version: 1\nfeatures:\n  - id: b\n    code: [b/]\n  - id: a\n    code: [c/]\n', 'pkg/OWNERSHIP.yml');
      // Whatever order the files come in, the parent keeps the id.
      for (const files of [[root, nested], [nested, root]]) {
        const { model, problems: found } = compileModel(files);
        assert.deepEqual(found.map(formatProblem), [
          'pkg/OWNERSHIP.yml:5:5: duplicate feature id "a": already declared in OWNERSHIP.yml:3; ids must be unique across the repository',
        ]);
        assert.deepEqual(model.features.map((f) => `${f.file}#${f.id}`), ['OWNERSHIP.yml#a', 'pkg/OWNERSHIP.yml#b']);
      }
    });

    it('bad globs: absolute, `..`, unclosed bracket or brace, `!!`, empty', () => {
      assert.deepEqual(problems('version: 1\nignore: ["C:/x"]\nfeatures:\n  - id: a\n    code: [/abs, "../up", "src/[abc", "!!x", "a/{b", "ok/"]\n    tests: {paths: ["a/../../b"]}\n    docs: [""]\n'), [
        'OWNERSHIP.yml:2:10: absolute path "C:/x": globs are relative to the folder of this OWNERSHIP.yml; drop the leading "/"',
        'OWNERSHIP.yml:5:12: absolute path "/abs": globs are relative to the folder of this OWNERSHIP.yml; drop the leading "/"',
        'OWNERSHIP.yml:5:18: glob "../up" leaves the folder of this OWNERSHIP.yml; move the feature to an OWNERSHIP.yml higher up instead of using ".."',
        'OWNERSHIP.yml:5:27: invalid glob "src/[abc": unclosed "["',
        'OWNERSHIP.yml:5:39: glob "!!x" starts with "!!": one "!" removes matches from the list; escape a literal "!" as "\\!"',
        'OWNERSHIP.yml:5:46: invalid glob "a/{b": unclosed "{"',
        'OWNERSHIP.yml:6:21: glob "a/../../b" leaves the folder of this OWNERSHIP.yml; move the feature to an OWNERSHIP.yml higher up instead of using ".."',
        'OWNERSHIP.yml:7:12: empty glob in "docs"',
      ]);
    });

    it('a bad glob is dropped from the list, the good ones kept', () => {
      const r = parseOwnership('version: 1\nfeatures:\n  - id: a\n    code: [/abs, ok/]\n', 'OWNERSHIP.yml');
      assert.deepEqual(r.file?.features[0]?.code, ['ok/']);
    });

    it('unsupported version, or none', () => {
      assert.deepEqual(problems('version: 2\nfeatures: []\n'), ['OWNERSHIP.yml:1:10: unsupported version 2: this tool reads "version: 1"; upgrade Feature Ownership or write version 1']);
      assert.deepEqual(problems('version: "1"\nfeatures: []\n'), ['OWNERSHIP.yml:1:10: "version" must be the number 1, not string "1"']);
      assert.deepEqual(problems('features: []\n'), ['OWNERSHIP.yml:1:1: the file is missing required key "version" (add "version: 1")']);
      assert.deepEqual(problems('version: 1\n'), ['OWNERSHIP.yml:1:1: the file is missing required key "features" (add a "features:" list)']);
      assert.equal(parseOwnership('version: 2\nfeatures: []\n', 'OWNERSHIP.yml').file, undefined);
    });

    it('an empty or comments-only file is an error', () => {
      const empty = 'OWNERSHIP.yml:1:1: OWNERSHIP.yml is empty: it needs "version: 1" and a "features:" list (see the README for an example)';
      assert.deepEqual(problems(''), [empty]);
      assert.deepEqual(problems('\n\n'), [empty]);
      assert.deepEqual(problems('# features will come\n# later\n'), [empty]);
    });

    it('an alias bomb fails fast with a clear message', () => {
      const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (let i = 1; i < 10; i++) {
        const prev = String.fromCharCode(96 + i);
        levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
      }
      const r = parseOwnership(`${levels.join('\n')}\nversion: 1\nfeatures: []\n`, 'OWNERSHIP.yml');
      assert.deepEqual(r.problems.map(formatProblem), [
        'OWNERSHIP.yml:2:8: too many YAML aliases (more than 1000): this looks like an alias bomb; write the values out instead',
      ]);
      assert.equal(r.file, undefined);
    });

    it('a few aliases are fine', () => {
      const f = parsed('version: 1\nfeatures:\n  - id: a\n    code: &c [src/]\n  - id: b\n    code: *c\n');
      assert.deepEqual(f.features.map((x) => x.code), [['src/'], ['src/']]);
    });

    it('absurd sizes and binary content are refused', () => {
      assert.match(problems('#'.repeat(11 * 1024 * 1024))[0]!, /^OWNERSHIP\.yml:1:1: OWNERSHIP\.yml is 11\.0 MB; the limit is 10 MB/);
      assert.deepEqual(problems('version: 1\nfea\0tures: []\n'), ['OWNERSHIP.yml:2:4: OWNERSHIP.yml contains a NUL byte: is it a binary file? It must be YAML text']);
    });

    it('custom criteria cannot take the name of code or a built-in criterion', () => {
      assert.deepEqual(problems('version: 1\nfeatures:\n  - id: a\n    code: [a/]\n    criteria:\n      code: [docs/]\n      tests: [x/]\n'), [
        'OWNERSHIP.yml:6:7: custom criterion "code" is reserved: "code" is the feature\'s footprint, not a criterion; rename this criterion',
        'OWNERSHIP.yml:7:7: custom criterion "tests" is reserved: declare "tests" beside "code", not under "criteria:"',
      ]);
    });

    it('problems name the file they are in', () => {
      assert.deepEqual(problems('version: 1\nfeatures:\n  - id: a\n    code: []\n', 'packages/web/OWNERSHIP.yml'), [
        'packages/web/OWNERSHIP.yml:4:11: "code" must list at least one glob: it is the feature\'s footprint',
      ]);
    });
  });

  describe('meaning', () => {
    it('name defaults to the id; base and mode come from the file', () => {
      const f = parsed('version: 1\nmode: strict\nfeatures:\n  - id: a\n    code: [x/]\n  - id: b\n    name: Bee\n    code: [y/]\n', 'pkg/web/OWNERSHIP.yml');
      assert.equal(f.base, 'pkg/web');
      assert.deepEqual(f.features.map((x) => [x.id, x.name, x.mode, x.base, x.file, x.range.line]), [
        ['a', 'a', 'strict', 'pkg/web', 'pkg/web/OWNERSHIP.yml', 4],
        ['b', 'Bee', 'strict', 'pkg/web', 'pkg/web/OWNERSHIP.yml', 6],
      ]);
      assert.equal(parsed('version: 1\nfeatures: []\n').mode, 'warn');
    });

    it('`owner:` is one owner, `owners:` a list; both at once is a warning', () => {
      const f = parsed('version: 1\nfeatures:\n  - id: a\n    owner: "@x"\n    code: [x/]\n  - id: b\n    owners: ["@y", "@z"]\n    code: [y/]\n  - id: c\n    code: [z/]\n');
      assert.deepEqual(f.features.map((x) => x.owners), [['@x'], ['@y', '@z'], []]);
      const r = parseOwnership('version: 1\nfeatures:\n  - id: a\n    owner: "@x"\n    owners: ["@y"]\n    code: [x/]\n', 'OWNERSHIP.yml');
      assert.deepEqual(r.problems.map(formatProblem), ['OWNERSHIP.yml:4:5: warning: feature "a" has both "owner" and "owners": keep one']);
      assert.deepEqual(r.file?.features[0]?.owners, ['@y']);
    });

    it('defaults are inherited; a feature\'s own key replaces the default', () => {
      const text = `version: 1
defaults:
  docs: [docs/]
  release-notes: [CHANGELOG.md, .changeset/*.md]
  criteria:
    migrations: {paths: [db/], required: false}
features:
  - id: a
    code: [a/]
    docs: [a/README.md]
    criteria:
      migrations: [db/a/]
`;
      assert.deepEqual(criteria(text), {
        docs: { patterns: ['a/README.md'], required: true, inherited: false },
        'release-notes': { patterns: ['CHANGELOG.md', '.changeset/*.md'], required: true, inherited: true },
        migrations: { patterns: ['db/a/'], required: true, inherited: false },
      });
    });

    it('a default can be switched off by declaring the criterion not required', () => {
      const text = 'version: 1\ndefaults:\n  docs: [docs/]\nfeatures:\n  - id: a\n    code: [a/]\n    docs: {paths: [docs/], required: false}\n';
      assert.deepEqual(criteria(text), { docs: { patterns: ['docs/'], required: false, inherited: false } });
    });

    it('long form {paths, required}: required defaults to true', () => {
      const text = 'version: 1\nfeatures:\n  - id: a\n    code: [a/]\n    tests: {paths: [t/]}\n    release-notes:\n      paths: [CHANGELOG.md]\n      required: false\n';
      assert.deepEqual(criteria(text), {
        tests: { patterns: ['t/'], required: true, inherited: false },
        'release-notes': { patterns: ['CHANGELOG.md'], required: false, inherited: false },
      });
    });

    it('custom criteria come after the built-in ones, in both shapes', () => {
      const text = 'version: 1\nfeatures:\n  - id: a\n    code: [a/]\n    criteria:\n      migrations: {paths: [db/], required: false}\n      screenshots: [shots/]\n    tests: [t/]\n';
      assert.deepEqual(Object.keys(criteria(text)), ['tests', 'migrations', 'screenshots']);
      assert.deepEqual(criteria(text).screenshots, { patterns: ['shots/'], required: true, inherited: false });
    });

    it('ignore globs are kept per file', () => {
      assert.deepEqual(parsed('version: 1\nignore: [package-lock.json, "**/*.snap"]\nfeatures: []\n').ignore, ['package-lock.json', '**/*.snap']);
    });

    it('a byte-order mark is accepted', () => {
      assert.equal(parsed('\ufeffversion: 1\nfeatures: []\n').features.length, 0);
    });
  });
});
