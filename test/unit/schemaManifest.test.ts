// Keeps the JSON Schema, the parser, the built-in criteria and package.json in step: the schema is
// what YAML language extensions use for completion and hover (through `yamlValidation`), so a key
// the parser reads but the schema lacks would be flagged in the editor, and the reverse would
// offer users a key that does nothing.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import fc from 'fast-check';
import schema from '../../schemas/ownership.schema.json';
import { parseWaivers } from '../../src/core/model';
import { parseOwnership } from '../../src/core/parse';
import { BUILTIN_CRITERIA, type OwnershipFile } from '../../src/core/types';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

interface ObjectSchema {
  properties: Record<string, unknown>;
}
const defs = schema.definitions as unknown as Record<'feature' | 'criterion' | 'customCriteria', ObjectSchema & { anyOf?: ObjectSchema[]; propertyNames?: { pattern: string } }>;
const keys = (s: { properties: object }) => Object.keys(s.properties).sort();

/** A file that sets every key the schema declares, each to a value the parser must honour. */
const EVERYTHING = `version: 1
mode: strict
ignore: [dist/]
defaults:
  tests: [test/]
  docs: { paths: [docs/], required: false }
  release-notes: [CHANGELOG.md]
  criteria:
    review: [reviews/]
features:
  - id: checkout
    name: Checkout flow
    owners: ["@payments", "pay@example.com"]
    code: [src/checkout/]
    tests: { paths: [test/checkout/], required: true }
    docs: [docs/checkout.md]
    release-notes: { paths: [notes/], required: false }
    criteria:
      migration: [db/]
  - id: search
    owner: "@discovery"
    code: [src/search/]
`;

/** Per schema key, what the parsed model must show for EVERYTHING. */
const honoured: Record<string, (f: OwnershipFile) => void> = {
  'root.version': (f) => assert.ok(f),
  'root.mode': (f) => assert.equal(f.mode, 'strict'),
  'root.ignore': (f) => assert.deepEqual(f.ignore, ['dist/']),
  'root.features': (f) => assert.deepEqual(f.features.map((x) => x.id), ['checkout', 'search']),
  'root.defaults': (f) => assert.ok(f.features[1]!.criteria.every((c) => c.inherited)),
  'defaults.tests': (f) => assert.deepEqual(f.features[1]!.criteria.find((c) => c.name === 'tests')?.patterns, ['test/']),
  'defaults.docs': (f) => assert.equal(f.features[1]!.criteria.find((c) => c.name === 'docs')?.required, false),
  'defaults.release-notes': (f) => assert.deepEqual(f.features[1]!.criteria.find((c) => c.name === 'release-notes')?.patterns, ['CHANGELOG.md']),
  'defaults.criteria': (f) => assert.deepEqual(f.features[1]!.criteria.find((c) => c.name === 'review')?.patterns, ['reviews/']),
  'feature.id': (f) => assert.equal(f.features[0]!.id, 'checkout'),
  'feature.name': (f) => assert.equal(f.features[0]!.name, 'Checkout flow'),
  'feature.owners': (f) => assert.deepEqual(f.features[0]!.owners, ['@payments', 'pay@example.com']),
  'feature.owner': (f) => assert.deepEqual(f.features[1]!.owners, ['@discovery']),
  'feature.code': (f) => assert.deepEqual(f.features[0]!.code, ['src/checkout/']),
  'feature.tests': (f) => assert.equal(f.features[0]!.criteria.find((c) => c.name === 'tests')?.inherited, false),
  'feature.docs': (f) => assert.deepEqual(f.features[0]!.criteria.find((c) => c.name === 'docs')?.patterns, ['docs/checkout.md']),
  'feature.release-notes': (f) => assert.equal(f.features[0]!.criteria.find((c) => c.name === 'release-notes')?.inherited, false),
  'feature.criteria': (f) => assert.deepEqual(f.features[0]!.criteria.find((c) => c.name === 'migration')?.patterns, ['db/']),
  'criterion.paths': (f) => assert.deepEqual(f.features[0]!.criteria.find((c) => c.name === 'tests')?.patterns, ['test/checkout/']),
  'criterion.required': (f) => assert.equal(f.features[0]!.criteria.find((c) => c.name === 'release-notes')?.required, false),
};

describe('schema, parser and manifest', () => {
  it('package.json gives the schema to YAML extensions for OWNERSHIP.yml, and ships it', () => {
    const entries = manifest.contributes?.yamlValidation as { fileMatch: string | string[]; url: string }[] | undefined;
    assert.ok(entries, 'contributes.yamlValidation is missing');
    const entry = entries.find((e) => [e.fileMatch].flat().includes('OWNERSHIP.yml'));
    assert.ok(entry, 'no yamlValidation entry matches OWNERSHIP.yml');
    assert.equal(entry.url, './schemas/ownership.schema.json');
    assert.ok(existsSync(join(ROOT, entry.url)));
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!schemas\/\*\*$/m, '.vscodeignore must keep the schema in the VSIX');
  });

  it('package.json declares the create command with its category and icon', () => {
    const cmd = (manifest.contributes?.commands as { command: string }[] | undefined)?.find((c) => c.command === 'ownership.createOwnershipFile');
    assert.deepEqual(cmd, { command: 'ownership.createOwnershipFile', title: 'Create OWNERSHIP.yml', category: 'Ownership', icon: '$(new-file)' });
  });

  it('the schema compiles in Ajv strict mode (no misspelt keywords)', () => {
    new Ajv({ strict: true, allErrors: true }).compile(schema);
  });

  it('declares exactly the keys the parser honours, and the parser honours each of them', () => {
    const declared = [
      ...keys(schema).map((k) => `root.${k}`),
      ...keys(schema.properties.defaults).map((k) => `defaults.${k}`),
      ...keys(defs.feature).map((k) => `feature.${k}`),
      ...keys(defs.criterion.anyOf![1]!).map((k) => `criterion.${k}`),
    ].sort();
    assert.deepEqual(declared, Object.keys(honoured).sort());
    const r = parseOwnership(EVERYTHING, 'OWNERSHIP.yml');
    assert.deepEqual(r.problems.map((p) => p.message), []);
    for (const [key, check] of Object.entries(honoured)) {
      try { check(r.file!); } catch (e) { assert.fail(`${key} is declared in the schema but not honoured: ${(e as Error).message}`); }
    }
  });

  it('reports a key the schema lacks instead of ignoring it, at every level', () => {
    const cases = [
      'version: 1\nfeatures: []\nowners: [x]\n',
      'version: 1\ndefaults: {code: [a/]}\nfeatures: []\n',
      'version: 1\nfeatures:\n  - {id: a, code: [a/], test: [t/]}\n',
      'version: 1\nfeatures:\n  - {id: a, code: [a/], docs: {paths: [d/], optional: true}}\n',
    ];
    for (const text of cases) assert.deepEqual(parseOwnership(text, 'OWNERSHIP.yml').problems.map((p) => p.code), ['unknown-key'], text);
  });

  it('lists the built-in criteria where the parser does, in features and in defaults', () => {
    const notCriteria = ['code', 'criteria', 'id', 'name', 'owner', 'owners'];
    assert.deepEqual(keys(defs.feature).filter((k) => !notCriteria.includes(k)), [...BUILTIN_CRITERIA].sort());
    assert.deepEqual(keys(schema.properties.defaults).filter((k) => k !== 'criteria'), [...BUILTIN_CRITERIA].sort());
    for (const name of BUILTIN_CRITERIA) {
      assert.deepEqual(defs.feature.properties[name], { $ref: '#/definitions/criterion' });
    }
  });

  it('accepts the same ids for features and custom criteria as waivers can name', () => {
    const idPattern = (defs.feature.properties.id as { pattern: string }).pattern;
    assert.equal(defs.customCriteria.propertyNames!.pattern, idPattern);
    fc.assert(
      fc.property(fc.stringMatching(new RegExp(idPattern)), fc.stringMatching(new RegExp(idPattern)), (feature, criterion) => {
        assert.deepEqual(parseWaivers([`${feature}/${criterion} why`]), [{ feature, criterion, reason: 'why' }]);
      }),
    );
  });
});
