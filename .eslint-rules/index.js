import path from 'node:path';
import { cycleComponents, importGraph, shortestCycle } from './import-graph.js';

// Project lint rules. `no-import-cycle` exists because import-x/no-cycle skips type-only
// imports by design (lib/rules/no-cycle.js returns early on `import type`), and two modules
// that import each other's types are still one module in two files: the cycle issue 14 names,
// engine-host.ts ↔ order-queries.ts, was types only.

const REFRESH_MS = 2_000; // an editor's long-lived ESLint sees edits; one CLI run builds it once
let cached;

function graphFor(root, dirs) {
  const key = `${root}|${dirs.join(',')}`;
  if (!cached || cached.key !== key || Date.now() - cached.at > REFRESH_MS) {
    const graph = importGraph(root, dirs);
    cached = { key, at: Date.now(), graph, components: cycleComponents(graph) };
  }
  return cached;
}

const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'no import cycles between project modules, type-only imports included' },
    schema: [{ type: 'object', properties: { dirs: { type: 'array', items: { type: 'string' } } }, additionalProperties: false }],
    messages: { cycle: 'Import cycle: {{cycle}}. Move what both sides need into a module both import.' },
  },
  create(context) {
    const dirs = context.options[0]?.dirs ?? ['server', 'client', 'matching'];
    const root = context.cwd;
    const file = context.physicalFilename;
    return {
      Program(program) {
        const { graph, components } = graphFor(root, dirs);
        const component = components.get(file);
        if (!component) return;
        const cycle = shortestCycle(graph, file, component);
        const next = cycle[1];
        const importer = program.body.find((node) => node.source && typeof node.source.value === 'string' && path.resolve(path.dirname(file), node.source.value) === next)
          ?? program.body.find((node) => node.source && typeof node.source.value === 'string' && path.resolve(path.dirname(file), node.source.value).startsWith(next.replace(/\.(ts|tsx)$/, '')));
        context.report({
          node: importer ?? program,
          messageId: 'cycle',
          data: { cycle: cycle.map((f) => path.relative(root, f)).join(' → ') },
        });
      },
    };
  },
};

// The client compiles against contract/'s types and never bundles its schemas: a value import
// would pull TypeBox and every schema into the browser, and let the client grow a second
// validator. Pure rule modules meant for both sides (option `valuesFrom`) are the exception.
const isTypeOnly = (node) =>
  node.importKind === 'type' || node.exportKind === 'type' ||
  (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));

const contractTypesOnly = {
  meta: {
    type: 'problem',
    docs: { description: 'client code imports contract/ with `import type` only' },
    schema: [{
      type: 'object',
      properties: { contract: { type: 'string' }, valuesFrom: { type: 'array', items: { type: 'string' } } },
      additionalProperties: false,
    }],
    messages: { value: "{{what}} of {{source}} brings contract/'s schemas into the client: use `{{fix}}` (only {{allowed}} may be imported as values)." },
  },
  create(context) {
    const root = context.cwd;
    const contract = path.resolve(root, context.options[0]?.contract ?? 'contract');
    const valuesFrom = (context.options[0]?.valuesFrom ?? []).map((dir) => path.resolve(root, dir));
    const inside = (file, dir) => file === dir || file.startsWith(dir + path.sep);
    const targets = (source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return false;
      const file = path.resolve(path.dirname(context.physicalFilename), source);
      return inside(file, contract) && !valuesFrom.some((dir) => inside(file, dir));
    };
    const report = (node, what, fix) =>
      context.report({ node, messageId: 'value', data: { what, source: node.source.value, fix, allowed: valuesFrom.map((d) => path.relative(root, d)).join(', ') || 'nothing' } });
    return {
      ImportDeclaration(node) {
        if (!targets(node.source.value) || isTypeOnly(node)) return;
        report(node, node.specifiers.length === 0 ? 'a side-effect import' : 'a value import', 'import type { … }');
      },
      ExportNamedDeclaration(node) {
        if (node.source && targets(node.source.value) && !isTypeOnly(node)) report(node, 'a value re-export', 'export type { … }');
      },
      ExportAllDeclaration(node) {
        if (targets(node.source.value) && node.exportKind !== 'type') report(node, 'a value re-export', 'export type * from');
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal' && targets(node.source.value)) report(node, 'a dynamic import', 'import type { … }');
      },
    };
  },
};

export default { rules: { 'no-import-cycle': noImportCycle, 'contract-types-only': contractTypesOnly } };
