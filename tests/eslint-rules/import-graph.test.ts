import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module loaded by eslint.config.js, no type declarations
import { cycleComponents, importGraph, shortestCycle } from '../../.eslint-rules/import-graph.js';

// The graph behind project/no-import-cycle: what it must see (type-only imports, re-exports,
// imports without an extension) and what it must not flag (a chain that never comes back).

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'import-graph-'));
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
};
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

write('server/engine/host.ts', "import type { Row } from '../orders/row.ts';\nexport class Host { rows: Row[] = []; }\n");
write('server/orders/queries.ts', "import type { Host } from '../engine/host.ts';\nexport type Q = Host;\n");
write('server/orders/row.ts', "import type { Q } from './queries';\nexport interface Row { q?: Q }\n");
write('server/shared/leaf.ts', 'export const leaf = 1;\n');
write('server/feature/a.ts', "export { leaf } from '../shared/leaf.ts';\nimport 'knex';\n");
write('client/src/x.tsx', "import { leaf } from '../../server/shared/leaf.ts';\nexport const x = leaf;\n");

type Graph = Map<string, Set<string>>;
const rel = (files: string[]) => files.map((f) => path.relative(root, f)).sort();

describe('import graph for project/no-import-cycle', () => {
  const graph: Graph = importGraph(root, ['server', 'client']);
  const components: Map<string, string[]> = cycleComponents(graph);

  it('follows type-only imports, re-exports and extensionless specifiers, and skips packages', () => {
    expect(rel([...graph.get(path.join(root, 'server/orders/row.ts'))!])).toEqual(['server/orders/queries.ts']);
    expect(rel([...graph.get(path.join(root, 'server/feature/a.ts'))!])).toEqual(['server/shared/leaf.ts']);
    expect(rel([...graph.get(path.join(root, 'client/src/x.tsx'))!])).toEqual(['server/shared/leaf.ts']);
  });

  it('finds the three-module cycle made of type imports only, and flags nothing else', () => {
    expect(rel([...components.keys()])).toEqual(['server/engine/host.ts', 'server/orders/queries.ts', 'server/orders/row.ts']);
    const host = path.join(root, 'server/engine/host.ts');
    expect(shortestCycle(graph, host, components.get(host)!).map((f: string) => path.relative(root, f))).toEqual([
      'server/engine/host.ts',
      'server/orders/row.ts',
      'server/orders/queries.ts',
      'server/engine/host.ts',
    ]);
  });

  it('sees the cycle go once the shared type moves to a module both import', () => {
    write('server/orders/row.ts', 'export interface Row { id: string }\n');
    expect(cycleComponents(importGraph(root, ['server', 'client'])).size).toBe(0);
  });
});
