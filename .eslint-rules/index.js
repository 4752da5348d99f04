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

export default { rules: { 'no-import-cycle': noImportCycle } };
