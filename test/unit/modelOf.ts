// Builds a model from OWNERSHIP.yml texts, failing the test on any problem: unit tests state
// their configuration as YAML, the way users write it.
import { strict as assert } from 'node:assert';
import { compileModel, type Model } from '../../src/core/model';
import { formatProblem, parseOwnership } from '../../src/core/parse';
import type { Change, OwnershipFile } from '../../src/core/types';

/** `files`: repository-relative path of each OWNERSHIP.yml -> its text. */
export function modelOf(files: Record<string, string>): Model {
  const parsed: OwnershipFile[] = [];
  for (const [path, text] of Object.entries(files)) {
    const r = parseOwnership(text, path);
    assert.deepEqual(r.problems.map(formatProblem), [], `${path} should parse cleanly`);
    assert.ok(r.file);
    parsed.push(r.file);
  }
  const { model, problems } = compileModel(parsed);
  assert.deepEqual(problems.map(formatProblem), []);
  return model;
}

/** Modified paths, the commonest change. */
export function modified(...paths: string[]): Change[] {
  return paths.map((path) => ({ status: 'M', path }));
}
