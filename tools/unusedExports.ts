// `npm run lint`'s unused-exports check: every export of src/ must be imported by another module
// (in src/, test/ or bench/), or be an entry point the runtime calls. An export used only in its
// own file widens the module's surface for nothing; un-export it (or delete it if unused).
// Written on the TypeScript compiler API (already a dependency) rather than ts-prune (no longer
// maintained) or knip (a large dependency tree for one check): the program the type checker
// already builds knows every import, re-export, namespace import and dynamic import().
// Usage: tsx tools/unusedExports.ts — prints "file: name" per unused export, exits 1 if any.
import { relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..');
/** Modules whose exports the runtime calls: the extension's activate/deactivate, the CLI. */
const ENTRY = new Set(['src/extension/extension.ts', 'src/cli/main.ts']);

const config = ts.getParsedCommandLineOfConfigFile(resolve(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
if (!config) throw new Error('cannot read tsconfig.json');
const benchConfig = ts.getParsedCommandLineOfConfigFile(resolve(ROOT, 'bench/tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
const program = ts.createProgram([...config.fileNames, ...(benchConfig?.fileNames ?? [])], config.options);
const checker = program.getTypeChecker();
const rel = (f: string) => relative(ROOT, f).split('\\').join('/');

const used = new Set<ts.Symbol>();
const wholeModules = new Set<string>();
const resolveAlias = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);

function markModule(spec: ts.Expression, from: ts.SourceFile): void {
  const sym = checker.getSymbolAtLocation(spec);
  const file = sym?.valueDeclaration?.getSourceFile() ?? sym?.declarations?.[0]?.getSourceFile();
  if (file && file !== from) wholeModules.add(file.fileName);
}

for (const sf of program.getSourceFiles()) {
  if (sf.isDeclarationFile || rel(sf.fileName).startsWith('node_modules')) continue;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && node.importClause) {
      const c = node.importClause;
      if (c.name) used.add(resolveAlias(checker.getSymbolAtLocation(c.name)!));
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) markModule(node.moduleSpecifier, sf);
      if (c.namedBindings && ts.isNamedImports(c.namedBindings)) {
        for (const el of c.namedBindings.elements) {
          const s = checker.getSymbolAtLocation(el.name);
          if (s) used.add(resolveAlias(s));
        }
      }
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      if (!node.exportClause) markModule(node.moduleSpecifier, sf);
      else if (ts.isNamedExports(node.exportClause)) {
        for (const el of node.exportClause.elements) {
          const s = checker.getSymbolAtLocation(el.name);
          if (s) used.add(resolveAlias(s));
        }
      }
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) {
      markModule(node.arguments[0], sf);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && node.qualifier) {
      const s = checker.getSymbolAtLocation(node.qualifier);
      if (s) used.add(resolveAlias(s));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

const unused: string[] = [];
for (const sf of program.getSourceFiles()) {
  const file = rel(sf.fileName);
  if (!file.startsWith('src/') || ENTRY.has(file) || wholeModules.has(sf.fileName)) continue;
  const mod = checker.getSymbolAtLocation(sf);
  if (!mod) continue;
  for (const exp of checker.getExportsOfModule(mod)) {
    if (!used.has(resolveAlias(exp))) unused.push(`${file}: ${exp.name}`);
  }
}
for (const u of unused.sort()) console.log(u);
if (unused.length) {
  console.error(`\n${unused.length} export(s) used only in their own file: un-export or delete them (tools/unusedExports.ts)`);
  process.exitCode = 1;
}
