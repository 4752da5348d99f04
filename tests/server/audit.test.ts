import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { amend, cancel, place, type OrderReply } from './support/market.ts';

// ARCHITECTURE guarantee 5: every command and every admin/regulator action is appended to an
// audit log whose rows chain sha256(prev_hash ‖ canonical_json(row)); tampering is evident.

interface AuditEntry {
  seq: string;
  at: string;
  actor: string;
  action: string;
  subject: string;
  payload: Record<string, unknown>;
  hash: string;
  prevHash: string;
}
interface Verification {
  ok: boolean;
  rowsChecked: number;
  firstBrokenSeq: string | null;
  reason: string | null;
}

let tp: TestPlatform;
let knex: Knex;
let gov: { id: string; token: string; username: string };
let ent: { id: string; token: string; username: string };
let bid: OrderReply;

beforeAll(async () => {
  tp = await startTestPlatform('audit');
  knex = tp.running.platform.knex;
  [gov, ent] = await Promise.all([tp.participant('government', '婺源县自然资源局'), tp.participant('enterprise', '景德镇陶瓷文化旅游发展有限公司', '景德镇市珠山区')]);
  await tp.deposit(ent.id, '500000.00');
  await tp.lot(gov.id, 'FARMLAND-QTY', '3.00');
  bid = await place(tp, ent.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '368000.00', quantity: '1.00', clientOrderId: 'audit-1' });
  await amend(tp, ent.token, bid.order.id, { quantity: '0.60' });
  await cancel(tp, ent.token, bid.order.id);
  expect((await tp.api('POST', '/api/regulator/instruments/WETLAND/halt', tp.regulatorToken, { reason: '湿地指标核查' })).statusCode).toBe(200);
  expect((await tp.api('POST', '/api/regulator/instruments/WETLAND/resume', tp.regulatorToken, { reason: '核查完成' })).statusCode).toBe(200);
});
afterAll(async () => {
  await tp?.close();
});

const audit = async (query = '') => {
  const res = await tp.api('GET', `/api/regulator/audit${query}`, tp.regulatorToken);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<AuditEntry[]>();
};
const verify = async () => (await tp.api('GET', '/api/regulator/audit/verify', tp.regulatorToken)).json<Verification>();

/** Changes audit_log behind the application's back, as an attacker with database access would. */
const tamper = (work: (trx: Knex.Transaction) => Promise<unknown>) =>
  knex.transaction(async (trx) => {
    await trx.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await work(trx);
    await trx.raw('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  });

describe('the audit log', () => {
  it('records admissions, deposits, lots, orders, amendments, cancels, halts and resumes with who and what', async () => {
    const byAction = async (action: string, subject: string) => {
      const rows = await audit(`?action=${action}&subject=${encodeURIComponent(subject)}`);
      expect(rows, `${action} ${subject}`).toHaveLength(1);
      return rows[0]!;
    };
    expect(await byAction('participant.admit', `participant:${gov.id}`)).toMatchObject({ actor: 'operator', payload: { name: '婺源县自然资源局', kind: 'government', username: gov.username } });
    expect(await byAction('cash.deposit', `participant:${ent.id}`)).toMatchObject({ actor: 'operator', payload: { amount: '500000.00' } });
    const lot = (await audit('?action=lot.register'))[0]!;
    expect(lot).toMatchObject({ actor: 'operator', subject: expect.stringMatching(/^lot:\d+$/), payload: { participantId: gov.id, symbol: 'FARMLAND-QTY', quantity: '3.00' } });
    const subject = `order:${bid.order.id}`;
    expect(await byAction('order.place', subject)).toMatchObject({
      actor: ent.username,
      payload: { participantId: ent.id, symbol: 'FARMLAND-QTY', side: 'buy', price: '368000.00', quantity: '1.00', clientOrderId: 'audit-1', status: 'open' },
    });
    expect(await byAction('order.amend', subject)).toMatchObject({ actor: ent.username, payload: { from: { quantity: '1.00' }, to: { quantity: '0.60' } } });
    expect(await byAction('order.cancel', subject)).toMatchObject({ actor: ent.username, payload: { cancelledQuantity: '0.60' } });
    expect(await byAction('instrument.halt', 'instrument:WETLAND')).toMatchObject({ actor: 'regulator', payload: { symbol: 'WETLAND', status: 'halted', reason: '湿地指标核查' } });
    expect(await byAction('instrument.resume', 'instrument:WETLAND')).toMatchObject({ actor: 'regulator', payload: { status: 'trading', reason: '核查完成' } });
  });

  it('is hash-chained: every row links back to an earlier one, without forks; verify agrees', async () => {
    const rows = (await audit('?limit=5000')).reverse();
    const total = Number((await knex('audit_log').count<Array<{ count: string }>>('* as count'))[0]!.count);
    expect(rows).toHaveLength(total);
    const seqs = rows.map((r) => BigInt(r.seq));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
    expect(rows[0]!.prevHash).toBe('0'.repeat(64));
    const position = new Map(rows.map((r, i) => [r.hash, i]));
    expect(position.size).toBe(total);
    rows.forEach((r, i) => {
      const linked = position.get(r.prevHash);
      if (linked !== undefined) expect(linked).toBeLessThan(i);
    });
    // No fork: no two rows continue the same predecessor.
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(total);
    expect(await verify()).toEqual({ ok: true, rowsChecked: total, firstBrokenSeq: null, reason: null });
  });

  it('verify names the first row that was changed or removed', async () => {
    const subject = `order:${bid.order.id}`;
    const placed = (await audit(`?action=order.place&subject=${subject}`))[0]!;
    const amended = (await audit(`?action=order.amend&subject=${subject}`))[0]!;
    const seq = placed.seq;
    const original = await knex('audit_log').where({ seq }).first<Record<string, unknown>>();
    const total = Number((await knex('audit_log').count<Array<{ count: string }>>('* as count'))[0]!.count);
    expect(Number(seq)).toBeLessThan(total); // a row in the middle of the log

    // The payload changed: the row no longer matches its hash.
    await tamper((trx) => trx('audit_log').where({ seq }).update({ payload: trx.raw(`jsonb_set(payload, '{quantity}', '"9.99"')`) }));
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: seq, reason: expect.stringContaining('row content does not match its hash') });
    await tamper((trx) => trx('audit_log').where({ seq }).update({ payload: JSON.stringify(original!.payload) }));
    expect(await verify()).toEqual({ ok: true, rowsChecked: total, firstBrokenSeq: null, reason: null });

    // Another actor: the same.
    await tamper((trx) => trx('audit_log').where({ seq }).update({ actor: 'someone-else' }));
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: seq });
    await tamper((trx) => trx('audit_log').where({ seq }).update({ actor: original!.actor as string }));

    // A removed row breaks the link of the row after it (the amendment of the same order).
    await tamper((trx) => trx('audit_log').where({ seq }).delete());
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: amended.seq });
    await tamper((trx) => trx('audit_log').insert({ ...original, payload: JSON.stringify(original!.payload) }));
    expect(await verify()).toEqual({ ok: true, rowsChecked: total, firstBrokenSeq: null, reason: null });
  });

  it('exports as CSV with a header and one row per entry, matching the JSON view', async () => {
    const res = await tp.api('GET', '/api/regulator/audit?format=csv&limit=5000', tp.regulatorToken);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    // Named by the Beijing date of the export, as the regulator's calendar reads it.
    const beijingToday = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="audit-log-${beijingToday}.csv"`);
    const [header, ...records] = parseCsv(res.body.replace(/^\uFEFF/, ''));
    expect(header).toEqual(['seq', 'at', 'actor', 'action', 'subject', 'payload', 'hash', 'prev_hash']);
    const json = await audit('?limit=5000');
    expect(records).toHaveLength(json.length);
    expect(records.map((r) => r.length)).toEqual(json.map(() => 8));
    expect(records.map(([seq, , actor, action, subject, , hash, prevHash]) => ({ seq, actor, action, subject, hash, prevHash }))).toEqual(
      json.map(({ seq, actor, action, subject, hash, prevHash }) => ({ seq, actor, action, subject, hash, prevHash })),
    );
    // Times read on the Beijing clock, with the offset, for the same instants the JSON gives.
    expect(records.every((r) => r[1]!.endsWith('+08:00'))).toBe(true);
    expect(records.map((r) => Date.parse(r[1]!))).toEqual(json.map((e) => Date.parse(e.at)));
    // Payloads (with commas, quotes and Chinese text) survive the quoting.
    expect(records.map((r) => JSON.parse(r[5]!))).toEqual(json.map((e) => e.payload));

    const filtered = parseCsv((await tp.api('GET', '/api/regulator/audit?format=csv&action=order.place', tp.regulatorToken)).body.replace(/^\uFEFF/, ''));
    expect(filtered.slice(1).map((r) => r[4])).toEqual([`order:${bid.order.id}`]);
  });
});

/** RFC 4180: CRLF-separated records, fields optionally quoted with "" as an escaped quote. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}
