// Parsing and validating one OWNERSHIP.yml. `yaml` keeps source positions, so every problem,
// whether YAML syntax, schema (checked with Ajv against the JSON Schema shipped in the package)
// or semantics (globs), is reported at its exact line and column. All problems, not just the first.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import schema from '../../schemas/ownership.schema.json';
import { markColdPath } from './coldPath';
import { globError } from './glob';
import { LIMITS } from './limits';
import { escapeControls } from './printable';
import {
  BUILTIN_CRITERIA,
  type CriterionDef,
  type FeatureDef,
  type Mode,
  type ParseResult,
  type Problem,
  type Severity,
  type SourceRange,
} from './types';

// Every budget on what a file can make us do, in one place (src/core/limits.ts, kept apart so the
// glob compiler can read it without importing the parser).
export { LIMITS };
/** Files larger than this are refused before parsing (a 5,000-feature file is about 2 MB). */
export const MAX_FILE_BYTES = LIMITS.fileBytes;
/** Aliases resolved per file; YAML alias bombs exceed it immediately. */
const MAX_ALIASES = LIMITS.aliases;

export const FILE_NAME = 'OWNERSHIP.yml';

// yaml and Ajv take about 100 ms to load; a run whose files are all in the parse cache
// (src/node/modelCache.ts) needs neither, so they load on the first parse, not at start-up.
/* eslint-disable @typescript-eslint/no-require-imports */
const yaml = (): typeof import('yaml') => (markColdPath(), require('yaml'));
const Ajv = (): typeof import('ajv').default => (markColdPath(), require('ajv').default);
/* eslint-enable @typescript-eslint/no-require-imports */

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  validator ??= new (Ajv())({ allErrors: true, strict: false, verbose: true }).compile(schema);
  return validator;
}

type Path = (string | number)[];

class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly text: string,
  ) {}

  fromOffsets(start: number, end: number): SourceRange {
    const s = this.lines.linePos(Math.max(0, Math.min(start, this.text.length)));
    const e = this.lines.linePos(Math.max(0, Math.min(Math.max(end, start), this.text.length)));
    return { line: s.line, col: s.col, endLine: e.line, endCol: e.col };
  }

  node(path: Path): YamlNode | undefined {
    const n = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    return n && typeof n === 'object' && 'range' in (n as object) ? (n as YamlNode) : undefined;
  }

  /** The range of the value at `path`, or of the closest ancestor that exists. */
  of(path: Path): SourceRange {
    for (let p = path; ; p = p.slice(0, -1)) {
      const n = this.node(p);
      if (n?.range) return this.fromOffsets(n.range[0], n.range[1]);
      if (p.length === 0) return this.fromOffsets(0, 0);
    }
  }

  /** The range of a key inside the mapping at `path`. */
  key(path: Path, key: string): SourceRange {
    const m = this.node(path);
    if (yaml().isMap(m)) {
      for (const item of m.items) {
        if (yaml().isPair(item) && yaml().isScalar(item.key) && String(item.key.value) === key && item.key.range) {
          return this.fromOffsets(item.key.range[0], item.key.range[1]);
        }
      }
    }
    return this.of(path);
  }
}

function pointerToPath(pointer: string): Path {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describePath(path: Path): string {
  const named = [...path].reverse().find((p) => typeof p === 'string');
  return named === undefined ? 'the file' : `"${String(named)}"`;
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function valueAt(data: unknown, path: Path): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** Turns Ajv's errors into one clear message per place, dropping the noise of `anyOf` branches. */
function schemaProblems(errors: ErrorObject[], data: unknown, loc: Locator, file: string): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const push = (range: SourceRange, message: string, code: string) => {
    const k = `${range.line}:${range.col}:${message}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ file, ...range, message, severity: 'error', code });
  };
  for (const e of errors) {
    if (e.keyword === 'anyOf') continue;
    // A criterion is either a list or {paths, required}: keep the branch matching what was written.
    const owner = [...anyOfAt].filter((p) => e.instancePath === p || e.instancePath.startsWith(p + '/')).sort((a, b) => b.length - a.length)[0];
    if (owner !== undefined) {
      const v = valueAt(data, pointerToPath(owner));
      const branch = Array.isArray(v) ? '/anyOf/0' : v && typeof v === 'object' ? '/anyOf/1' : undefined;
      const path = pointerToPath(owner);
      if (!branch) {
        push(loc.of(path), `${describePath(path)} must be a list of globs or a mapping {paths, required}, not ${typeName(v)}`, 'wrong-type');
        continue;
      }
      // Errors below the criterion can only come from the branch its shape matches (the other
      // fails on type first); at the criterion itself, keep only that branch's errors.
      if (e.instancePath === owner && !e.schemaPath.includes(branch)) continue;
    }
    const path = pointerToPath(e.instancePath);
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String(p.additionalProperty);
        const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
        const hint = key === 'owner' || key === 'owners' ? '' : allowed.length ? ` (expected one of: ${allowed.join(', ')}${path.length === 2 && path[0] === 'features' ? '; put custom criteria under "criteria:"' : ''})` : '';
        push(loc.key(path, key), `unknown key "${key}"${hint}`, 'unknown-key');
        break;
      }
      case 'required': {
        const key = String(p.missingProperty);
        const what = path.length === 0 ? 'the file' : path[0] === 'features' && path.length === 2 ? `feature ${path[1] as number + 1}` : describePath(path);
        const fix = key === 'version' ? ' (add "version: 1")' : key === 'features' ? ' (add a "features:" list)' : key === 'code' ? ' (list the globs of the feature\'s code)' : '';
        push(loc.of(path), `${what} is missing required key "${key}"${fix}`, 'missing-key');
        break;
      }
      case 'type':
        if (typeof path[path.length - 1] === 'number') {
          push(loc.of(path), `entries of ${describePath(path)} must be ${p.type === 'string' ? 'strings' : p.type === 'object' ? 'mappings' : p.type === 'array' ? 'lists' : String(p.type)}, not ${typeName(valueAt(data, path))}`, 'wrong-type');
          break;
        }
        push(loc.of(path), `${describePath(path)} must be ${p.type === 'array' ? 'a list' : p.type === 'object' ? 'a mapping' : `a ${String(p.type)}`}, not ${typeName(valueAt(data, path))}`, 'wrong-type');
        break;
      case 'const':
        if (path[0] === 'version') {
          const v = valueAt(data, path);
          push(loc.of(path), typeof v === 'number'
            ? `unsupported version ${v}: this tool reads "version: 1"; upgrade Feature Ownership or write version 1`
            : `"version" must be the number 1, not ${typeName(v)}`, 'unsupported-version');
        } else {
          push(loc.of(path), `${describePath(path)} must be ${JSON.stringify(p.allowedValue)}`, 'wrong-value');
        }
        break;
      case 'enum':
        push(loc.of(path), `${describePath(path)} must be one of: ${(p.allowedValues as unknown[]).join(', ')}`, 'wrong-value');
        break;
      case 'minItems':
        push(loc.of(path), path[path.length - 1] === 'code' ? `"code" must list at least one glob: it is the feature's footprint` : `${describePath(path)} must not be empty`, 'empty-list');
        break;
      case 'minLength':
        push(loc.of(path), `empty glob in ${describePath(path.filter((x) => typeof x === 'string'))}`, 'bad-glob');
        break;
      case 'pattern':
        if (e.propertyName !== undefined) {
          push(loc.key(path, e.propertyName), `invalid criterion name ${JSON.stringify(e.propertyName)}: use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit`, 'bad-criterion-name');
        } else if (path[path.length - 1] === 'id') {
          push(loc.of(path), `invalid feature id ${JSON.stringify(valueAt(data, path))}: use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit`, 'bad-id');
        } else {
          push(loc.of(path), `${describePath(path)} does not match ${String(p.pattern)}`, 'wrong-value');
        }
        break;
      case 'propertyNames':
        break; // reported by the nested `pattern` error, which names the key
      case 'maxItems':
      case 'maxLength':
        break; // budgets (LIMITS), reported by parseOwnership with the limit and what to do
      default:
        push(loc.of(path), `${describePath(path)}: ${e.message ?? 'invalid'}`, 'schema');
    }
  }
  return out;
}

function problemAt(file: string, range: SourceRange, message: string, code: string, severity: Severity = 'error'): Problem {
  return { file, ...range, message, severity, code };
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

interface RawCriterion {
  paths: string[];
  required: boolean;
}

function readCriterion(v: unknown): RawCriterion | undefined {
  if (Array.isArray(v)) return { paths: v.filter((x): x is string => typeof x === 'string'), required: true };
  if (v && typeof v === 'object' && Array.isArray((v as { paths?: unknown }).paths)) {
    const o = v as { paths: unknown[]; required?: unknown };
    return { paths: o.paths.filter((x): x is string => typeof x === 'string'), required: o.required !== false };
  }
  return undefined;
}

/** Names a custom criterion cannot take: `code` is the footprint, the others have their own keys. */
const RESERVED_CRITERIA = new Set<string>(['code', ...BUILTIN_CRITERIA]);

/** Reads the criteria declared in a feature or in `defaults`, in display order. */
function readCriteria(obj: Record<string, unknown>, loc: Locator, path: Path): Map<string, CriterionDef> {
  const out = new Map<string, CriterionDef>();
  const add = (name: string, v: unknown, at: Path) => {
    const c = readCriterion(v);
    if (c) out.set(name, { name, patterns: c.paths, required: c.required, inherited: false, range: loc.of(at) });
  };
  for (const name of BUILTIN_CRITERIA) if (name in obj) add(name, obj[name], [...path, name]);
  const custom = obj.criteria;
  if (custom && typeof custom === 'object' && !Array.isArray(custom)) {
    for (const [name, v] of Object.entries(custom)) if (!RESERVED_CRITERIA.has(name)) add(name, v, [...path, 'criteria', name]);
  }
  return out;
}

const TOO_DEEP = 'YAML nesting is too deep to read: OWNERSHIP.yml needs a few levels only; look for runaway brackets or indentation';

/** Where the first alias is: an alias bomb is a chain of them, and this is where it starts expanding. */
function firstAlias(doc: Document, loc: Locator): SourceRange | undefined {
  let at: SourceRange | undefined;
  yaml().visit(doc, {
    Alias(_key, node) {
      if (node.range) at = loc.fromOffsets(node.range[0], node.range[1]);
      return yaml().visit.BREAK;
    },
  });
  return at;
}

/**
 * Line starts of the whole text. The parser's own line counter misses the newlines inside an
 * unterminated quoted string, which would put a problem past the end of its line.
 */
function lineCounterOf(text: string): LineCounter {
  const lines = new (yaml().LineCounter)();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
}

/** Parses one OWNERSHIP.yml. `path` is repository-relative; the result never throws. */
export function parseOwnership(text: string, path: string): ParseResult {
  const problems: Problem[] = [];
  const top: SourceRange = { line: 1, col: 1, endLine: 1, endCol: 1 };
  if (text.length > MAX_FILE_BYTES) {
    return {
      problems: [problemAt(path, top, `${FILE_NAME} is ${(text.length / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB: split it into one ${FILE_NAME} per folder`, 'too-large')],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\0')) {
    const at = text.indexOf('\0');
    const lines = lineCounterOf(text);
    const p = lines.linePos(at);
    return { problems: [problemAt(path, { line: p.line, col: p.col, endLine: p.line, endCol: p.col + 1 }, `${FILE_NAME} contains a NUL byte: is it a binary file? It must be YAML text`, 'binary')] };
  }
  const lines = lineCounterOf(text);
  const doc = yaml().parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, keepSourceTokens: false });
  const loc = new Locator(doc, lines, text);
  for (const err of doc.errors) {
    const msg = err.message.replace(/\s+at line \d+, column \d+.*$/s, '').split('\n')[0] ?? '';
    // The parser recurses per level and reports running out of stack as RESOURCE_EXHAUSTION.
    if (err.code === 'RESOURCE_EXHAUSTION' && /call stack/i.test(msg)) {
      problems.push(problemAt(path, loc.fromOffsets(err.pos[0], err.pos[1]), TOO_DEEP, 'too-deep'));
      continue;
    }
    problems.push(problemAt(path, loc.fromOffsets(err.pos[0], err.pos[1]), `YAML: ${msg}`, err.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax'));
  }
  for (const w of doc.warnings) {
    problems.push(problemAt(path, loc.fromOffsets(w.pos[0], w.pos[1]), `YAML: ${w.message.split('\n')[0]}`, 'yaml-warning', 'warning'));
  }
  if (doc.errors.length > 0) return { problems };
  if (doc.contents === null || (yaml().isScalar(doc.contents) && doc.contents.value === null)) {
    problems.push(problemAt(path, top, `${FILE_NAME} is empty: it needs "version: 1" and a "features:" list (see the README for an example)`, 'empty'));
    return { problems };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    if (e instanceof RangeError) {
      problems.push(problemAt(path, top, TOO_DEEP, 'too-deep'));
      return { problems };
    }
    const msg = /alias/i.test((e as Error).message)
      ? `too many YAML aliases (more than ${MAX_ALIASES}): this looks like an alias bomb; write the values out instead`
      : `YAML: ${(e as Error).message}`;
    problems.push(problemAt(path, firstAlias(doc, loc) ?? top, msg, 'alias-bomb'));
    return { problems };
  }
  const validateFn = validate();
  if (!validateFn(data)) problems.push(...schemaProblems(validateFn.errors ?? [], data, loc, path));
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { problems: sortProblems(problems) };
  const root = data as Record<string, unknown>;
  if (root.version !== 1) return { problems: sortProblems(problems) };

  const base = dirname(path);
  const mode: Mode = root.mode === 'strict' ? 'strict' : 'warn';
  // Globs checked so far: past the per-file budget the file is refused anyway (below), so checking
  // stops there instead of spending minutes on a file made of millions of globs.
  let checked = 0;
  const checkGlobs = (globs: unknown, at: Path) => {
    if (!Array.isArray(globs) || checked > LIMITS.globsPerFile) return;
    if (globs.length > LIMITS.globsPerList) {
      problems.push(problemAt(path, loc.of(at), `${globs.length} globs in one list; the limit is ${LIMITS.globsPerList}: use folders ("dir/") or wider globs (only the first ${LIMITS.globsPerList} are used)`, 'too-many-globs'));
    }
    checked += Math.min(globs.length, LIMITS.globsPerList);
    globs.slice(0, LIMITS.globsPerList).forEach((g, i) => {
      if (typeof g !== 'string' || g === '') return;
      const err = globError(g);
      if (err) problems.push(problemAt(path, loc.of([...at, i]), err, 'bad-glob'));
    });
  };
  const checkCriteriaGlobs = (obj: Record<string, unknown>, at: Path) => {
    for (const name of BUILTIN_CRITERIA) {
      const v = obj[name];
      checkGlobs(Array.isArray(v) ? v : (v as { paths?: unknown } | undefined)?.paths, Array.isArray(v) ? [...at, name] : [...at, name, 'paths']);
    }
    const custom = obj.criteria;
    if (custom && typeof custom === 'object') {
      for (const [name, v] of Object.entries(custom as Record<string, unknown>)) {
        if (RESERVED_CRITERIA.has(name)) {
          const fix = name === 'code' ? '"code" is the feature\'s footprint, not a criterion; rename this criterion' : `declare "${name}" beside "code", not under "criteria:"`;
          problems.push(problemAt(path, loc.key([...at, 'criteria'], name), `custom criterion "${name}" is reserved: ${fix}`, 'reserved-criterion'));
          continue;
        }
        checkGlobs(Array.isArray(v) ? v : (v as { paths?: unknown } | undefined)?.paths, Array.isArray(v) ? [...at, 'criteria', name] : [...at, 'criteria', name, 'paths']);
      }
    }
  };

  const defaults = root.defaults && typeof root.defaults === 'object' ? (root.defaults as Record<string, unknown>) : {};
  checkCriteriaGlobs(defaults, ['defaults']);
  const defaultCriteria = readCriteria(defaults, loc, ['defaults']);
  checkGlobs(root.ignore, ['ignore']);
  const ignore = Array.isArray(root.ignore) ? usableGlobs(root.ignore) : [];

  const features: FeatureDef[] = [];
  const ids = new Map<string, number>();
  let list = Array.isArray(root.features) ? root.features : [];
  if (list.length > LIMITS.features) {
    problems.push(problemAt(path, loc.key([], 'features'), `${list.length} features in one ${FILE_NAME}; the limit is ${LIMITS.features}: split it into one ${FILE_NAME} per folder (only the first ${LIMITS.features} are read)`, 'too-many-features'));
    list = list.slice(0, LIMITS.features);
  }
  list.forEach((raw, i) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return;
    const f = raw as Record<string, unknown>;
    const at: Path = ['features', i];
    checkGlobs(f.code, [...at, 'code']);
    checkCriteriaGlobs(f, at);
    if (typeof f.id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(f.id)) return;
    if (typeof f.owner === 'string' && Array.isArray(f.owners)) {
      problems.push(problemAt(path, loc.key(at, 'owner'), `feature "${f.id}" has both "owner" and "owners": keep one`, 'owner-and-owners', 'warning'));
    }
    const prev = ids.get(f.id);
    if (prev !== undefined) {
      problems.push(problemAt(path, loc.of([...at, 'id']), `duplicate feature id "${f.id}" (first declared at line ${loc.of(['features', prev, 'id']).line}): ids must be unique across the repository`, 'duplicate-id'));
      return;
    }
    ids.set(f.id, i);
    if (!Array.isArray(f.code) || f.code.length === 0) return;
    const own = readCriteria(f, loc, at);
    const criteria: CriterionDef[] = [];
    const names = new Set<string>([...BUILTIN_CRITERIA.filter((n) => own.has(n) || defaultCriteria.has(n)), ...defaultCriteria.keys(), ...own.keys()]);
    for (const name of names) {
      const c = own.get(name) ?? (defaultCriteria.has(name) ? { ...defaultCriteria.get(name)!, inherited: true } : undefined);
      if (c) criteria.push({ ...c, patterns: usableGlobs(c.patterns) });
    }
    const owners = Array.isArray(f.owners) ? f.owners.filter((o): o is string => typeof o === 'string') : typeof f.owner === 'string' ? [f.owner] : [];
    features.push({
      id: f.id,
      name: typeof f.name === 'string' && f.name.trim() ? f.name : f.id,
      owners,
      file: path,
      base,
      mode,
      range: loc.of(at),
      code: usableGlobs(f.code as unknown[]),
      criteria,
    });
  });
  // Inherited defaults are compiled once per feature: count what the engine would index.
  let globs = ignore.length;
  for (const f of features) {
    globs += f.code.length;
    for (const c of f.criteria) globs += c.patterns.length;
  }
  if (globs > LIMITS.globsPerFile || checked > LIMITS.globsPerFile) {
    const n = Math.max(globs, checked);
    problems.push(problemAt(path, loc.key([], 'features'), `${FILE_NAME} asks for ${n} globs (each feature's lists, defaults counted once per feature that inherits them); the limit is ${LIMITS.globsPerFile}: use folders ("dir/") and wider globs, or split it into one ${FILE_NAME} per folder`, 'too-many-globs'));
    return { problems: sortProblems(problems) };
  }
  return { file: { path, base, mode, ignore, features }, problems: sortProblems(problems) };
}

/** The globs of a list that the engine uses: strings, within the budget, without errors. */
function usableGlobs(list: unknown[]): string[] {
  return list.slice(0, LIMITS.globsPerList).filter((g): g is string => typeof g === 'string' && !globError(g));
}

/** Problems in reading order, so the first line printed is the first place to fix. */
function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** `<file>:<line>:<col>: <message>`, the form editors and CI logs link to. */
export function formatProblem(p: Problem): string {
  // Messages quote globs and keys from the file: escaped, so one problem is always one line.
  return escapeControls(`${p.file}:${p.line}:${p.col}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`);
}
