import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { expectRefusal, stateSnapshot } from '../support/market.ts';
import { findHiddenCharacter } from '../../../server/shared/hidden-characters.ts';

// Issue 13, item 8: text that ends up on a certificate, a PDF or the register must read as it was
// stored. Bidi overrides and isolates, zero-width and control characters are refused with 400
// INVALID_TEXT on every route, and the refusal changes nothing.

let tp: TestPlatform;
let holder: { id: string; token: string };

beforeAll(async () => {
  tp = await startTestPlatform('hidden_characters', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000, LOT_DIRECT_REGISTRATION: 'on' });
  holder = await tp.participant('enterprise', '江西绿林碳汇林业发展有限公司');
  await tp.lot(holder.id, 'CARBON-2024', '100');
});
afterAll(async () => {
  await tp?.close();
});

const HOSTILE = {
  'right-to-left override U+202E': '遂川县\u202E目项汇碳',
  'left-to-right isolate U+2066': '\u2066南昌\u2069',
  'zero-width space U+200B': 'oper\u200Bator',
  'zero-width joiner U+200D': '婺源\u200D县',
  'word joiner U+2060': 'a\u2060b',
  'byte order mark U+FEFF': '\uFEFF受益人',
  'bell U+0007': '受益\u0007人',
  'escape U+001B': '\u001B[31m受益人',
  'C1 control U+0085': '受益\u0085人',
  'line break': '受益人\n第二行',
};

describe('certificate text with a hidden character', () => {
  it.each(Object.entries(HOSTILE))('%s in a retirement beneficiary is refused and changes nothing', async (_name, text) => {
    const before = await stateSnapshot(tp, [holder.token], ['CARBON-2024']);
    const res = await tp.api('POST', '/api/registry/retirements', holder.token, { symbol: 'CARBON-2024', quantity: '1', beneficiary: text, reason: '碳中和承诺', requestId: `hidden-${text.length}` });
    expectRefusal(res, 400, 'INVALID_TEXT');
    expect(await stateSnapshot(tp, [holder.token], ['CARBON-2024'])).toEqual(before);
  });

  it('is refused in a participant name, a lot’s source project and a use’s project name; plain Chinese text passes', async () => {
    const before = await stateSnapshot(tp, [holder.token], ['CARBON-2024']);
    const admit = await tp.api('POST', '/api/admin/participants', tp.operatorToken, { name: '南昌\u202E司公限有', kind: 'enterprise', region: '南昌市', username: 'rlo_firm', password: 'test-password-1' });
    expectRefusal(admit, 400, 'INVALID_TEXT');
    expect(admit.json<{ message: string }>().message).toContain('U+202E');
    const lot = await tp.api('POST', '/api/admin/lots', tp.operatorToken, {
      participantId: holder.id, indicatorType: 'carbon_sink', symbol: 'CARBON-2024', quantity: '10', region: '吉安市', sourceProject: '遂川县\u200B森林经营碳汇项目', verificationRef: 'ZW-1', vintage: 2024,
    });
    expectRefusal(lot, 400, 'INVALID_TEXT');
    const use = await tp.api('POST', '/api/registry/uses', holder.token, { symbol: 'CARBON-2024', quantity: '1', projectName: '\u2067赣江新区产业园\u2069', approvalRef: '赣发改〔2026〕1号', requestId: 'use-bidi' });
    expectRefusal(use, 400, 'INVALID_TEXT');
    expect(await stateSnapshot(tp, [holder.token], ['CARBON-2024'])).toEqual(before);

    const plain = await tp.api('POST', '/api/registry/retirements', holder.token, { symbol: 'CARBON-2024', quantity: '1', beneficiary: '江西省2026年“赣鄱绿色”碳中和活动（第1期）', reason: '碳中和承诺', requestId: 'plain-1' });
    expect(plain.statusCode, plain.body).toBe(201);
  });

  it('is refused with INVALID_TEXT in any string field of every POST, PUT and PATCH route the API documents', async () => {
    const spec = (tp.running.app as unknown as { swagger(): { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, { type?: string }> } }> } }>> } }).swagger();
    const missed: string[] = [];
    let checked = 0;
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!['post', 'put', 'patch'].includes(method)) continue;
        const properties = op.requestBody?.content?.['application/json']?.schema?.properties ?? {};
        for (const [field, schema] of Object.entries(properties)) {
          if (schema.type !== 'string') continue;
          checked += 1;
          const url = path.replace(/\{[^}]+\}/g, '1');
          const res = await tp.running.app.inject({ method: method.toUpperCase() as 'POST', url, payload: { [field]: 'ab\u202Ecd' }, headers: { authorization: `Bearer ${tp.operatorToken}` } });
          if (res.statusCode !== 400 || res.json<{ code: string }>().code !== 'INVALID_TEXT') missed.push(`${method.toUpperCase()} ${path} ${field} → ${res.statusCode} ${res.body.slice(0, 80)}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(missed).toEqual([]);
  });
});

describe('findHiddenCharacter', () => {
  it('allows line breaks and tabs only in the multi-line fields, and finds characters in keys and nested values', () => {
    expect(findHiddenCharacter({ description: '公示期五个工作日。\n异议请书面提出。\t' })).toBeNull();
    expect(findHiddenCharacter({ note: '第一行\r\n第二行' })).toBeNull();
    expect(findHiddenCharacter({ description: '公示\u202E期' })).toMatchObject({ codePoint: 'U+202E', kind: 'bidi control', field: 'description' });
    expect(findHiddenCharacter({ sourceProject: '项目\n名称' })).toMatchObject({ codePoint: 'U+000A', kind: 'control character' });
    expect(findHiddenCharacter({ attributes: { ['meth\u200Bod']: 'x' } })).toMatchObject({ codePoint: 'U+200B', kind: 'zero-width character' });
    expect(findHiddenCharacter({ attributes: { list: ['ok', 'n\u0000ul'] } })).toMatchObject({ codePoint: 'U+0000' });
    expect(findHiddenCharacter({ name: '𠜎𠜱 耕地占补平衡指标 368,500.00 ¥' })).toBeNull();
  });
});
