import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The contract's two boundaries, linted with the project's own eslint.config.js: the client
// takes only types from contract/ (its schemas stay on the server), and contract/ imports
// nothing of server or client. Each case is a deliberate violation that must be reported.

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const CLIENT_FILE = 'client/src/features/orders/api/contract-check.ts';

describe('client imports of contract/', () => {
  it('accepts import type and export type', async () => {
    expect(await problems(CLIENT_FILE, "import type { Order } from '../../../../../contract/orders.ts';\nexport type { Book } from '../../../../../contract/instruments.ts';\nexport const ids = (orders: Order[]) => orders.map((o) => o.id);\n")).toEqual([]);
  });

  it('refuses a value import, a value re-export and a dynamic import', async () => {
    const found = await problems(
      CLIENT_FILE,
      "import { PlaceOrderBody } from '../../../../../contract/orders.ts';\nexport { Book } from '../../../../../contract/instruments.ts';\nexport * from '../../../../../contract/common.ts';\nexport const schema = PlaceOrderBody;\nexport const later = () => import('../../../../../contract/account.ts');\n",
    );
    expect(found.filter((m) => m.startsWith('project/contract-types-only'))).toHaveLength(4);
    expect(found[0]).toContain('use `import type { … }`');
  });

  it('lets pure rules in contract/rules/ be imported as values', async () => {
    expect(await problems(CLIENT_FILE, "import { blockBand } from '../../../../../contract/rules/block-band.ts';\nexport const band = blockBand;\n")).not.toContainEqual(
      expect.stringContaining('project/contract-types-only'),
    );
  });
});

describe('contract/ imports', () => {
  it('refuses server and client code', async () => {
    const found = await problems(
      'contract/boundary-check.ts',
      "import type { AppError } from '../server/errors.ts';\nimport type { Order } from '../client/src/shared/api/types.ts';\nexport type Both = [AppError, Order];\n",
    );
    expect(found).toEqual([
      expect.stringMatching(/^import-x\/no-restricted-paths: .*contract\/ is shared by server and client: it imports neither/),
      expect.stringMatching(/^import-x\/no-restricted-paths: .*contract\/ is shared by server and client: it imports neither/),
    ]);
  });
});
