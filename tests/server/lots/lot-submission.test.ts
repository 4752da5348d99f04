import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LotSubmission } from '../../../contract/lot-submissions.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { expectLedgerReconciles, expectRefusal, holding } from '../support/market.ts';
import { LotSubmissionService } from '../../../server/lot-submissions/lot-submission-service.ts';
import { placeholderDocuments } from '../../../server/seed/demo-documents.ts';
import type { FileStore } from '../../../server/storage/file-store.ts';
import { farmlandFields, pdf, secondOperator, sendMultipart, submissionState, submit, submitted, threeDocuments } from './lot-submission-support.ts';

// Issue 15: a county bureau's lot is submitted with its acceptance, filing and consent documents,
// reviewed by one operator and approved by another; only the approval credits the holdings.

let tp: TestPlatform;
let county: { id: string; token: string };
let operator2: string;

beforeAll(async () => {
  tp = await startTestPlatform('lot_submissions', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  county = await tp.participant('government', '婺源县自然资源局', '上饶市婺源县');
  operator2 = await secondOperator(tp);
});
afterAll(async () => tp?.close());

const review = (token: string, id: string, body: object) => tp.api('POST', `/api/lot-submissions/${id}/review`, token, body);
const approve = (token: string, id: string) => tp.api('POST', `/api/lot-submissions/${id}/approve`, token);

describe('submit → review → approve by another operator', () => {
  it('credits the holding exactly once, registers the lot and audits every step', async () => {
    expect(await holding(tp, county.token, 'FARMLAND-QTY')).toEqual(['none']);
    const fields = farmlandFields({ quantity: '12.50' });
    const res = await submit(tp, county.token, fields);
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json<LotSubmission>();
    expect(s).toMatchObject({ status: 'submitted', region: '上饶市婺源县', divisionCode: '361130', quantity: '12.50', qualityGrade: 5, landType: '水田', lotId: null });
    expect(s.plotIds).toHaveLength(2);
    expect(s.documents.map((d) => [d.kind, d.contentType]).sort()).toEqual([['acceptance', 'application/pdf'], ['consent', 'image/png'], ['filing', 'application/pdf']]);
    // Submitting creates nothing tradeable.
    expect(await holding(tp, county.token, 'FARMLAND-QTY')).toEqual(['none']);

    const reviewed = await review(tp.operatorToken, s.id, { decision: 'accept' });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json<LotSubmission>()).toMatchObject({ status: 'reviewed', reviewedBy: 'operator' });
    expect(await holding(tp, county.token, 'FARMLAND-QTY')).toEqual(['none']);

    const approved = await approve(operator2, s.id);
    expect(approved.statusCode, approved.body).toBe(200);
    const done = approved.json<LotSubmission>();
    expect(done.status).toBe('approved');
    expect(done.lotId).not.toBeNull();
    expect(await holding(tp, county.token, 'FARMLAND-QTY')).toEqual(['12.50', '0.00']);

    const { knex } = tp.running.platform;
    const lot = await knex('lots').where({ id: done.lotId }).first();
    expect(lot).toMatchObject({ participant_id: county.id, symbol: 'FARMLAND-QTY', quantity: '12.5', region: '上饶市婺源县', verification_ref: fields.filingNo });
    expect(lot.attributes).toMatchObject({ submissionId: s.id, divisionCode: '361130', acceptanceNo: fields.acceptanceNo, qualityGrade: 5, landType: '水田' });
    const actions = await knex('audit_log').where('subject', `lot-submission:${s.id}`).orWhere('subject', `lot:${done.lotId}`).orderBy('seq').pluck('action');
    expect(actions).toEqual(['lot.submit', 'lot.review.accept', 'lot.register', 'lot.approve']);
    expect((await tp.api('GET', '/api/regulator/audit/verify', tp.regulatorToken)).json()).toMatchObject({ ok: true });

    // Approving again changes nothing.
    const before = await submissionState(tp);
    expectRefusal(await approve(tp.operatorToken, s.id), 409, 'SUBMISSION_NOT_AWAITING_APPROVAL');
    expect(await submissionState(tp)).toEqual(before);
    await expectLedgerReconciles(tp);
  });

  it('serves the documents with the type detected at upload, to the seller, operators and regulators only', async () => {
    const s = await submitted(tp, county.token);
    const doc = s.documents.find((d) => d.kind === 'acceptance')!;
    for (const token of [county.token, tp.operatorToken, tp.regulatorToken]) {
      const res = await tp.api('GET', doc.url, token);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(String(res.headers['content-disposition'])).toMatch(/^inline;/);
      expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
      expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    }
    const other = await tp.participant('government', '寻乌县自然资源局', '赣州市寻乌县');
    expectRefusal(await tp.api('GET', doc.url, other.token), 404, 'SUBMISSION_NOT_FOUND');
    expectRefusal(await tp.api('GET', `/api/lot-submissions/${s.id}`, other.token), 404, 'SUBMISSION_NOT_FOUND');
    expect((await tp.api('GET', '/api/lot-submissions', other.token)).json<LotSubmission[]>()).toEqual([]);
  });

  it('a rejected lot is corrected and resubmitted, then approved with the corrected terms', async () => {
    const s = await submitted(tp, county.token, farmlandFields({ quantity: '3.00' }));
    const before = await submissionState(tp);
    expectRefusal(await review(tp.operatorToken, s.id, { decision: 'reject' }), 400, 'REJECT_REASON_REQUIRED');
    expect(await submissionState(tp)).toEqual(before);
    const rejected = await review(tp.operatorToken, s.id, { decision: 'reject', reason: '县政府同意出让文件缺少盖章' });
    expect(rejected.json<LotSubmission>()).toMatchObject({ status: 'rejected', reviewReason: '县政府同意出让文件缺少盖章' });
    expectRefusal(await approve(operator2, s.id), 409, 'SUBMISSION_NOT_AWAITING_APPROVAL');

    const corrected = farmlandFields({ quantity: '4.00', filingNo: s.filingNo, plotIds: s.plotIds.join('\n') });
    const res = await sendMultipart(tp, `/api/lot-submissions/${s.id}/resubmit`, county.token, { ...corrected, consent: pdf('consent-stamped') });
    expect(res.statusCode, res.body).toBe(200);
    const again = res.json<LotSubmission>();
    expect(again).toMatchObject({ status: 'submitted', revision: 2, quantity: '4.00', reviewReason: null });
    expect(again.documents.find((d) => d.kind === 'consent')!.contentType).toBe('application/pdf');
    expect(again.documents).toHaveLength(3);

    // The second review may be by the other operator; the approval then by the first.
    await review(operator2, s.id, { decision: 'accept' });
    const holdingBefore = await holding(tp, county.token, 'FARMLAND-QTY');
    const ok = await approve(tp.operatorToken, s.id);
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await holding(tp, county.token, 'FARMLAND-QTY'))[0]).toBe((Number(holdingBefore[0]) + 4).toFixed(2));
    const actions = await tp.running.platform.knex('audit_log').where('subject', `lot-submission:${s.id}`).orderBy('seq').pluck('action');
    expect(actions).toEqual(['lot.submit', 'lot.review.reject', 'lot.resubmit', 'lot.review.accept', 'lot.approve']);
  });

  it('a withdrawn submission frees its filing number and plots for another', async () => {
    const fields = farmlandFields();
    const s = await submitted(tp, county.token, fields);
    expectRefusal(await submit(tp, county.token, { ...farmlandFields(), filingNo: fields.filingNo! }), 409, 'DUPLICATE_FILING');
    const res = await tp.api('POST', `/api/lot-submissions/${s.id}/withdraw`, county.token);
    expect(res.json<LotSubmission>().status).toBe('withdrawn');
    expect((await submit(tp, county.token, fields)).statusCode).toBe(201);
  });
});

describe('four eyes', () => {
  it('the reviewer cannot approve: FOUR_EYES, and nothing changes', async () => {
    const s = await submitted(tp, county.token);
    await review(tp.operatorToken, s.id, { decision: 'accept' });
    const before = await submissionState(tp);
    expectRefusal(await approve(tp.operatorToken, s.id), 403, 'FOUR_EYES');
    expect(await submissionState(tp)).toEqual(before);
    // Nor does the approval queue offer it to the reviewer; the other operator sees it.
    const mine = (await tp.api('GET', '/api/lot-submissions?queue=approval', tp.operatorToken)).json<LotSubmission[]>();
    expect(mine.map((x) => x.id)).not.toContain(s.id);
    const theirs = (await tp.api('GET', '/api/lot-submissions?queue=approval', operator2)).json<LotSubmission[]>();
    expect(theirs.map((x) => x.id)).toContain(s.id);
  });

  it('two other operators approving at once: one approval, the holding credited once', async () => {
    const operator3 = await secondOperator(tp);
    const s = await submitted(tp, county.token, farmlandFields({ symbol: 'FARMLAND-PADDY', quantity: '7.00' }));
    await review(tp.operatorToken, s.id, { decision: 'accept' });
    const answers = await Promise.all([approve(operator2, s.id), approve(operator3, s.id)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    expect(await holding(tp, county.token, 'FARMLAND-PADDY')).toEqual(['7.00', '0.00']);
    expect(await tp.running.platform.knex('lots').where({ verification_ref: s.filingNo }).count<[{ n: string }]>('* as n')).toEqual([{ n: '1' }]);
    await expectLedgerReconciles(tp);
  });

  it('is a CHECK in PostgreSQL too: a row approved by its reviewer cannot be written', async () => {
    const s = await submitted(tp, county.token);
    await review(tp.operatorToken, s.id, { decision: 'accept' });
    const { knex } = tp.running.platform;
    const reviewer = (await knex('lot_submissions').where({ id: s.id }).first()).reviewed_by;
    await expect(knex('lot_submissions').where({ id: s.id }).update({ approved_by: reviewer })).rejects.toMatchObject({ code: '23514', constraint: 'lot_submissions_four_eyes' });
  });

  it('approval before review is refused', async () => {
    const s = await submitted(tp, county.token);
    const before = await submissionState(tp);
    expectRefusal(await approve(operator2, s.id), 409, 'SUBMISSION_NOT_REVIEWED');
    expect(await submissionState(tp)).toEqual(before);
  });

  it('sellers and regulators neither review nor approve', async () => {
    const s = await submitted(tp, county.token);
    const before = await submissionState(tp);
    expectRefusal(await review(county.token, s.id, { decision: 'accept' }), 403, 'FORBIDDEN_ROLE');
    expectRefusal(await approve(tp.regulatorToken, s.id), 403, 'FORBIDDEN_ROLE');
    expect(await submissionState(tp)).toEqual(before);
  });
});

describe('bad submissions are refused and store nothing', () => {
  const exe = { bytes: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(200)]), fileName: 'x.pdf', contentType: 'application/pdf' };
  const cases: Array<{ name: string; send: () => Promise<Awaited<ReturnType<typeof submit>>>; status: number; code: string; params?: Record<string, string> }> = [
    { name: 'a renamed .exe (MZ…) sent as x.pdf, application/pdf', send: () => submit(tp, county.token, farmlandFields(), { ...threeDocuments(), acceptance: exe }), status: 422, code: 'FILE_TYPE_NOT_ALLOWED' },
    { name: 'an empty file', send: () => submit(tp, county.token, farmlandFields(), { ...threeDocuments(), filing: { bytes: Buffer.alloc(0), fileName: 'empty.pdf', contentType: 'application/pdf' } }), status: 422, code: 'FILE_EMPTY' },
    {
      name: 'a file over 20 MB',
      send: () => submit(tp, county.token, farmlandFields(), { ...threeDocuments(), consent: { bytes: Buffer.concat([pdfBytes(), Buffer.alloc(20 * 1024 * 1024)]), fileName: 'big.pdf', contentType: 'application/pdf' } }),
      status: 413,
      code: 'FILE_TOO_LARGE',
    },
    { name: 'a missing county consent', send: () => submit(tp, county.token, farmlandFields(), { acceptance: pdf(), filing: pdf() }), status: 422, code: 'DOCUMENT_MISSING', params: { document: 'consent' } },
    { name: 'an unknown division code', send: () => submit(tp, county.token, farmlandFields({ divisionCode: '369999' })), status: 422, code: 'UNKNOWN_DIVISION' },
    { name: 'a quantity off the lot size', send: () => submit(tp, county.token, farmlandFields({ quantity: '1.005' })), status: 422, code: 'QUANTITY_NOT_ON_LOT' },
    { name: 'farmland without its quality grade', send: () => submit(tp, county.token, farmlandFields({ qualityGrade: undefined })), status: 422, code: 'FARMLAND_ATTRIBUTES_REQUIRED' },
    { name: 'a quality grade of 16', send: () => submit(tp, county.token, farmlandFields({ qualityGrade: '16' })), status: 400, code: 'VALIDATION_FAILED' },
    { name: 'a bidi control in the source project', send: () => submit(tp, county.token, farmlandFields({ sourceProject: '婺源县\u202E项目' })), status: 400, code: 'INVALID_TEXT' },
    { name: 'an unknown document', send: () => submit(tp, county.token, farmlandFields(), { acceptance: pdf(), filing: pdf(), extra: pdf() }), status: 400, code: 'UNKNOWN_DOCUMENT' },
    { name: 'a fourth document', send: () => submit(tp, county.token, farmlandFields(), { ...threeDocuments(), extra: pdf() }), status: 400, code: 'TOO_MANY_DOCUMENTS' },
    { name: 'a JSON body instead of multipart', send: () => tp.api('POST', '/api/lot-submissions', county.token, farmlandFields()), status: 415, code: 'MULTIPART_REQUIRED' },
    {
      name: 'a multipart body cut off before its closing boundary',
      send: () =>
        tp.running.app.inject({
          method: 'POST',
          url: '/api/lot-submissions',
          headers: { authorization: `Bearer ${county.token}`, 'content-type': 'multipart/form-data; boundary=x' },
          payload: '--x\r\nContent-Disposition: form-data; name="symbol"\r\n\r\nFARMLAND-QTY',
        }),
      status: 400,
      code: 'MALFORMED_MULTIPART',
    },
  ];

  it.each(cases)('$name → $status $code', async ({ send, status, code, params }) => {
    const before = await submissionState(tp);
    const res = await send();
    expectRefusal(res, status, code);
    if (params) expect(res.json<{ params: unknown }>().params).toMatchObject(params);
    expect(await submissionState(tp)).toEqual(before);
  });

  it('over a real connection too, an oversize file is answered 413 FILE_TOO_LARGE (the parser stops reading it)', async () => {
    const address = await tp.running.listen();
    const form = new FormData();
    for (const [k, v] of Object.entries(farmlandFields())) form.append(k, v);
    form.append('acceptance', new Blob([new Uint8Array(Buffer.concat([pdfBytes(), Buffer.alloc(21 * 1024 * 1024)]))], { type: 'application/pdf' }), 'big.pdf');
    const before = await submissionState(tp);
    const res = await fetch(`${address}/api/lot-submissions`, { method: 'POST', body: form, headers: { authorization: `Bearer ${county.token}` } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('FILE_TOO_LARGE');
    expect(await submissionState(tp)).toEqual(before);
  });

  it('a filing number already used → 409 DUPLICATE_FILING naming it, nothing stored', async () => {
    const first = await submitted(tp, county.token);
    const before = await submissionState(tp);
    const res = await submit(tp, county.token, farmlandFields({ filingNo: first.filingNo }));
    expectRefusal(res, 409, 'DUPLICATE_FILING');
    expect(res.json<{ params: unknown }>().params).toMatchObject({ filingNo: first.filingNo });
    expect(await submissionState(tp)).toEqual(before);
  });

  it('a plot already claimed for the same indicator → 409 DUPLICATE_FILING naming the plot; another indicator may use it', async () => {
    const first = await submitted(tp, county.token);
    const before = await submissionState(tp);
    const taken = first.plotIds[1]!;
    const res = await submit(tp, county.token, farmlandFields({ plotIds: `fresh-${Date.now()}, ${taken}` }));
    expectRefusal(res, 409, 'DUPLICATE_FILING');
    expect(res.json<{ params: unknown }>().params).toMatchObject({ plotId: taken });
    expect(await submissionState(tp)).toEqual(before);
    const wetland = await submit(tp, county.token, farmlandFields({ symbol: 'WETLAND', qualityGrade: undefined, landType: undefined, plotIds: taken }));
    expect(wetland.statusCode, wetland.body).toBe(201);
  });

  it('ten parallel submissions of one filing number: one is accepted, nine refused', async () => {
    const fields = farmlandFields();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => submit(tp, county.token, { ...farmlandFields(), filingNo: fields.filingNo!, plotIds: `${fields.filingNo}-P${i}` })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(await tp.running.platform.knex('lot_submissions').where({ filing_no: fields.filingNo }).count<[{ n: string }]>('* as n')).toEqual([{ n: '1' }]);
  });

  it('an enterprise cannot submit a lot: LOT_SELLER_NOT_GOVERNMENT', async () => {
    const firm = await tp.participant('enterprise');
    const before = await submissionState(tp);
    expectRefusal(await submit(tp, firm.token, farmlandFields()), 403, 'LOT_SELLER_NOT_GOVERNMENT');
    expectRefusal(await submit(tp, tp.operatorToken, farmlandFields()), 403, 'FORBIDDEN_ROLE');
    expect(await submissionState(tp)).toEqual(before);
  });

  it('the one-call registration route is not there by default', async () => {
    const res = await tp.api('POST', '/api/admin/lots', tp.operatorToken, {});
    expectRefusal(res, 404, 'ROUTE_NOT_FOUND');
  });
});

describe('steps out of order', () => {
  it('resubmitting what is not rejected, or withdrawing what is approved, changes nothing', async () => {
    const s = await submitted(tp, county.token);
    const before = await submissionState(tp);
    expectRefusal(await sendMultipart(tp, `/api/lot-submissions/${s.id}/resubmit`, county.token, farmlandFields()), 409, 'SUBMISSION_NOT_REJECTED');
    expect(await submissionState(tp)).toEqual(before);
    await review(tp.operatorToken, s.id, { decision: 'accept' });
    await approve(operator2, s.id);
    const approved = await submissionState(tp);
    expectRefusal(await tp.api('POST', `/api/lot-submissions/${s.id}/withdraw`, county.token), 409, 'SUBMISSION_CLOSED');
    expectRefusal(await review(tp.operatorToken, s.id, { decision: 'reject', reason: '重复审核' }), 409, 'SUBMISSION_NOT_AWAITING_REVIEW');
    expect(await submissionState(tp)).toEqual(approved);
  });
});

describe('a document store outside PostgreSQL', () => {
  it('keeps no file of a refused submission: what was put is deleted when the transaction fails', async () => {
    const { knex, instruments, bus } = tp.running.platform;
    const kept = new Map<string, Buffer>();
    let failPutNumber = 0;
    let puts = 0;
    const files: FileStore = {
      transactional: false,
      put: async (_trx, key, file) => {
        puts += 1;
        if (puts === failPutNumber) throw new Error('bucket unavailable');
        kept.set(key, file.bytes);
      },
      get: async (key) => (kept.has(key) ? { bytes: kept.get(key)!, contentType: 'application/pdf' } : null),
      delete: async (key) => void kept.delete(key),
    };
    const service = new LotSubmissionService({ knex, files, instruments, bus });
    const user = await knex('users').where({ participant_id: county.id }).first<{ id: string; username: string }>('id', 'username');
    const seller = { id: String(user.id), username: user.username, participantId: county.id, participantKind: 'government' };
    const fields = farmlandFields();
    const ok = await service.submit(seller, { fields, documents: placeholderDocuments(fields.filingNo!) });
    expect(kept.size).toBe(3);
    expect((await service.document({ role: 'operator', participantId: null }, ok.id, ok.documents[0]!.id)).bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // The store fails on the third document: the two already put are deleted, no row stays.
    const before = await submissionState(tp);
    failPutNumber = puts + 3;
    const next = farmlandFields();
    await expect(service.submit(seller, { fields: next, documents: placeholderDocuments(next.filingNo!) })).rejects.toThrow('bucket unavailable');
    expect(kept.size).toBe(3);
    expect(await submissionState(tp)).toEqual(before);
  });
});

describe('the API documents the lot submission routes', () => {
  it('with a multipart/form-data body naming the three documents', async () => {
    const spec = (await tp.api('GET', '/docs/json')).json<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> }>();
    const body = spec.paths['/api/lot-submissions']!.post!.requestBody!.content['multipart/form-data']!.schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['symbol', 'quantity', 'divisionCode', 'filingNo', 'plotIds', 'acceptance', 'filing', 'consent']));
    for (const path of ['/api/lot-submissions/{id}/review', '/api/lot-submissions/{id}/approve', '/api/lot-submissions/{id}/resubmit', '/api/lot-submissions/{id}/withdraw', '/api/lot-submissions/{id}/documents/{documentId}', '/api/divisions']) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
  });
});

describe('divisions', () => {
  it('serves the Jiangxi counties with their city names, without sign-in', async () => {
    const res = await tp.api('GET', '/api/divisions?province=36');
    expect(res.statusCode).toBe(200);
    const list = res.json<Array<{ code: string; fullName: string }>>();
    expect(list.length).toBe(100);
    expect(list).toContainEqual(expect.objectContaining({ code: '361130', name: '婺源县', cityName: '上饶市', fullName: '上饶市婺源县' }));
  });
});

function pdfBytes(): Buffer {
  return (pdf() as { bytes: Buffer }).bytes;
}
