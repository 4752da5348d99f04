import { afterAll, describe, expect, it } from 'vitest';
import { createKnex, migrateToLatest } from '../../../server/infra/database.ts';
import { loadConfig } from '../../../server/config.ts';
import { migrationSource } from '../../../migrations/index.ts';
import { readDemoMark } from '../../../server/setup/demo-database.ts';
import { prepareFirstOperator } from '../../../server/setup/first-operator.ts';
import { startTestPlatform } from '../support/test-platform.ts';
import { DEMO_PASSWORDS, printedTokens, startBareNode, tryLogin, type BareNode } from './support.ts';

// Issue 13, item 3: demo passwords belong only to a database created as a demo. DEMO=auto on
// a database that was not created as one adds no demo user and lists none — whether it has
// participants, or only the operator a production start created.

const STRONG = 'Ganjiang-basin-quota-31';
const nodes: BareNode[] = [];
afterAll(async () => {
  for (const n of nodes) await n.close();
});

const expectNoDemo = async (node: BareNode) => {
  const res = await node.api('GET', '/api/demo-users');
  expect(res.statusCode).toBe(404);
  expect(res.json()).toMatchObject({ code: 'NOT_DEMO' });
  expect((await node.api('GET', '/api/platform')).json()).toMatchObject({ demo: false, demoSince: null });
  for (const username of ['operator', 'regulator']) {
    for (const password of DEMO_PASSWORDS) expect({ username, password, status: (await tryLogin(node, username, password)).status }).toEqual({ username, password, status: 401 });
  }
};

describe('a database not created as a demo', () => {
  it('that has only its first operator gets no demo staff when restarted with DEMO=auto', async () => {
    const node = await startBareNode('demoauto_op', { NODE_ENV: 'production', INITIAL_OPERATOR_USERNAME: 'chief-operator', INITIAL_OPERATOR_PASSWORD: STRONG });
    nodes.push(node);
    expect(node.lines.join('\n')).toContain('first operator "chief-operator" created');
    expect(printedTokens(node.lines)).toEqual([]);
    await node.restart({ NODE_ENV: 'development', DEMO: 'auto' });
    expect(await node.running.platform.knex('users').orderBy('id').select('username', 'role')).toEqual([{ username: 'chief-operator', role: 'operator' }]);
    expect((await tryLogin(node, 'chief-operator', STRONG)).status).toBe(200);
    await expectNoDemo(node);
  });

  it('that has participants and no demo mark lists no demo users under DEMO=auto', async () => {
    const tp = await startTestPlatform('demoauto_parts');
    try {
      await tp.participant('government', '婺源县自然资源局');
      await tp.restart({ DEMO: 'auto' });
      const res = await tp.api('GET', '/api/demo-users');
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_DEMO' });
      expect((await tp.api('GET', '/api/platform')).json()).toEqual({ demo: false, demoSince: null, needsSetup: false });
      expect(await tp.running.platform.knex('users').whereIn('username', ['wuyuan', 'ncjt']).count<[{ count: string }]>('id as count')).toEqual([{ count: '0' }]);
    } finally {
      await tp.close();
    }
  });

  it('refuses a weak INITIAL_OPERATOR_PASSWORD at start and creates no one', async () => {
    const node = await startBareNode('weakenv', { DEMO: 'off' });
    nodes.push(node);
    const knex = createKnex(node.config.DATABASE_URL, 1);
    try {
      await migrateToLatest(knex);
      const weak = loadConfig({}, { ...node.config, INITIAL_OPERATOR_USERNAME: 'chief', INITIAL_OPERATOR_PASSWORD: 'demo-2026' });
      await expect(prepareFirstOperator(knex, weak, () => {})).rejects.toThrow(/INITIAL_OPERATOR.*at least 12 characters/);
      const half = loadConfig({}, { ...node.config, INITIAL_OPERATOR_USERNAME: 'chief' });
      await expect(prepareFirstOperator(knex, half, () => {})).rejects.toThrow(/both INITIAL_OPERATOR_USERNAME and INITIAL_OPERATOR_PASSWORD/);
      expect(await knex('users').count<[{ count: string }]>('id as count')).toEqual([{ count: '0' }]);
    } finally {
      await knex.destroy();
    }
  });
});

describe('a database created as a demo', () => {
  it('is marked when seeded, lists its logins under DEMO=auto, and stays a demo (without listing them) under a production start', { timeout: 60_000 }, async () => {
    const node = await startBareNode('demoseed', { DEMO: 'auto' });
    nodes.push(node);
    const platform = (await node.api('GET', '/api/platform')).json<{ demo: boolean; demoSince: string; needsSetup: boolean }>();
    expect(platform).toMatchObject({ demo: true, needsSetup: false });
    expect(Date.now() - Date.parse(platform.demoSince)).toBeLessThan(60_000);
    const users = (await node.api('GET', '/api/demo-users')).json<Array<{ username: string; password: string }>>();
    expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['operator', 'regulator', 'wuyuan', 'ncjt']));
    expect(new Set(users.map((u) => u.password))).toEqual(new Set(['jiangxi-demo-2026']));
    expect((await tryLogin(node, 'operator', 'jiangxi-demo-2026')).status).toBe(200);
    expect((await tryLogin(node, 'operator', 'demo-2026')).status).toBe(401);
    expect(printedTokens(node.lines)).toEqual([]);
    // The seed lowers the minimum listing windows to list its live auctions, then puts them back.
    const instruments = (await node.api('GET', '/api/instruments')).json<Array<{ symbol: string; listingMinimums: unknown }>>();
    for (const symbol of ['LAND-LINKAGE', 'WETLAND']) {
      expect({ symbol, m: instruments.find((i) => i.symbol === symbol)?.listingMinimums }).toEqual({ symbol, m: { registrationWorkingDays: 5, biddingWorkingDays: 1 } });
    }

    await node.restart({ NODE_ENV: 'production' });
    expect((await node.api('GET', '/api/demo-users')).statusCode).toBe(404);
    expect((await node.api('GET', '/api/platform')).json()).toMatchObject({ demo: true, needsSetup: false });
    expect(node.lines.join('\n')).toMatch(/created as a demo/);
    expect(printedTokens(node.lines)).toEqual([]);
  });

  it('seeded before the mark existed (the seeder\'s own demo_users row) is marked by the migration', async () => {
    const node = await startBareNode('legacydemo', { DEMO: 'off' });
    nodes.push(node);
    const knex = createKnex(node.config.DATABASE_URL, 1);
    try {
      // Undo every migration from the one that introduced the mark onwards, however many came later.
      while (Number(await knex.migrate.currentVersion({ migrationSource })) >= 20261203000400) await knex.migrate.down({ migrationSource });
      const legacy = [{ username: 'operator', password: 'demo-2026', role: 'operator', participantName: null }];
      await knex('platform_settings').insert({ key: 'demo_users', value: JSON.stringify(legacy) });
      await migrateToLatest(knex);
      expect(await readDemoMark(knex)).toMatchObject({ users: legacy });
      expect(await knex('platform_settings').where({ key: 'demo_users' }).first()).toBeUndefined();
    } finally {
      await knex.destroy();
    }
  });
});
