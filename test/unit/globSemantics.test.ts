// The glob rules of OWNERSHIP.yml as users see them: what `which` answers for a path.
import { strict as assert } from 'node:assert';
import { classify } from '../../src/core/model';
import { modelOf } from './modelOf';

function owners(files: Record<string, string>, path: string): string[] {
  return classify(modelOf(files), path).memberships.map((m) => `${m.feature}:${m.criterion}`);
}

const one = (code: string) => ({ 'OWNERSHIP.yml': `version: 1\nfeatures:\n  - id: f\n    code: ${code}\n` });

describe('glob semantics', () => {
  it('`*` does not cross `/`; `**` does', () => {
    assert.deepEqual(owners(one('["src/*.ts"]'), 'src/a.ts'), ['f:code']);
    assert.deepEqual(owners(one('["src/*.ts"]'), 'src/sub/a.ts'), []);
    assert.deepEqual(owners(one('["src/**/*.ts"]'), 'src/sub/deep/a.ts'), ['f:code']);
    assert.deepEqual(owners(one('["src/**/*.ts"]'), 'src/a.ts'), ['f:code']);
    assert.deepEqual(owners(one('["*.md"]'), 'docs/a.md'), [], 'a root glob without ** stays at the root');
  });

  it('a pattern ending in `/` is that folder and everything below it, and nothing else', () => {
    const f = one('[src/checkout/]');
    assert.deepEqual(owners(f, 'src/checkout/cart.ts'), ['f:code']);
    assert.deepEqual(owners(f, 'src/checkout/deep/er/x.ts'), ['f:code']);
    assert.deepEqual(owners(f, 'src/checkout'), [], 'a file named like the folder');
    assert.deepEqual(owners(f, 'src/checkout-v2/x.ts'), []);
    assert.deepEqual(owners(one('[src/checkout]'), 'src/checkout/cart.ts'), [], 'without `/` it is a file name');
  });

  it('`!` removes matches from its own list, wherever it stands', () => {
    for (const code of ['[src/, "!src/gen/"]', '["!src/gen/", src/]']) {
      const f = one(code);
      assert.deepEqual(owners(f, 'src/a.ts'), ['f:code'], code);
      assert.deepEqual(owners(f, 'src/gen/a.ts'), [], code);
    }
    // ...and only from its own list: tests still own the generated file.
    const f = { 'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: f\n    code: [src/, "!src/gen/"]\n    tests: [src/gen/]\n' };
    assert.deepEqual(owners(f, 'src/gen/a.ts'), ['f:tests']);
  });

  it('dotfiles match `*` and `**`', () => {
    assert.deepEqual(owners(one('["src/*"]'), 'src/.env'), ['f:code']);
    assert.deepEqual(owners(one('[src/]'), 'src/.hidden/x'), ['f:code']);
    assert.deepEqual(owners(one('["**/*.ts"]'), '.github/x.ts'), ['f:code']);
  });

  it('`./` at the start is the folder of the file', () => {
    assert.deepEqual(owners(one('["./src/"]'), 'src/a.ts'), ['f:code']);
    assert.deepEqual(owners(one('["./"]'), 'anything/at/all'), ['f:code']);
  });

  it('a nested OWNERSHIP.yml governs only its folder, with globs relative to it', () => {
    const files = {
      'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: root\n    code: ["**/*.css"]\n',
      'packages/web/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: web\n    code: [src/]\n    tests: ["*.test.ts"]\n',
    };
    assert.deepEqual(owners(files, 'packages/web/src/a.ts'), ['web:code']);
    assert.deepEqual(owners(files, 'src/a.ts'), [], 'outside its folder');
    assert.deepEqual(owners(files, 'packages/web/a.test.ts'), ['web:tests']);
    assert.deepEqual(owners(files, 'packages/web/src/x.test.ts'), ['web:code'], '`*` stays in the folder of the file');
    // The parent's globs keep applying below the nested file.
    assert.deepEqual(owners(files, 'packages/web/src/a.css'), ['root:code', 'web:code']);
  });

  it('a base folder with glob characters is taken literally', () => {
    const files = { 'pkg (old)/[v1]/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: f\n    code: ["*.ts"]\n' };
    assert.deepEqual(owners(files, 'pkg (old)/[v1]/a.ts'), ['f:code']);
    assert.deepEqual(owners(files, 'pkg (old)/v/a.ts'), []);
  });

  it('ignore globs mark a path as ignored, not owned', () => {
    const files = { 'OWNERSHIP.yml': 'version: 1\nignore: [package-lock.json, "**/*.snap"]\nfeatures:\n  - id: f\n    code: [src/]\n' };
    const m = modelOf(files);
    assert.deepEqual(classify(m, 'a/b/x.snap'), { memberships: [], ignored: true });
    assert.deepEqual(classify(m, 'package-lock.json'), { memberships: [], ignored: true });
    assert.deepEqual(classify(m, 'sub/package-lock.json'), { memberships: [], ignored: false });
  });

  it('non-ASCII and spaces are matched verbatim', () => {
    assert.deepEqual(owners(one('["dócs/ü *.md"]'), 'dócs/ü x.md'), ['f:code']);
  });
});
