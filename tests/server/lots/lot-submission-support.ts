import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { createStaffUser } from '../../../server/admin/participants.ts';
import { placeholderPdf } from '../../../server/seed/demo-documents.ts';
import type { LotSubmission } from '../../../contract/lot-submissions.ts';
import { PASSWORD, type TestPlatform } from '../support/test-platform.ts';

/** One part of a multipart body: a text field, or a file with the name and type its sender claims. */
export type Part = string | { bytes: Buffer; fileName: string; contentType: string };

export const pdf = (title = 'document'): Part => ({ bytes: placeholderPdf(title), fileName: `${title}.pdf`, contentType: 'application/pdf' });

// A PNG signature and IHDR chunk: enough for file-type to call it image/png.
export const png = (): Part => ({
  bytes: Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), Buffer.alloc(32)]),
  fileName: 'consent.png',
  contentType: 'image/png',
});

let serial = 0;
/** A valid farmland submission's fields, each call with its own filing number and plots. */
export function farmlandFields(change: Record<string, string | undefined> = {}): Record<string, string> {
  serial += 1;
  const tag = `${serial}${randomBytes(2).toString('hex')}`;
  const fields: Record<string, string | undefined> = {
    symbol: 'FARMLAND-QTY',
    quantity: '12.50',
    divisionCode: '361130',
    sourceProject: '婺源县2025年高标准农田建设新增耕地项目',
    acceptanceNo: `饶自然资验〔2025〕${tag}号`,
    filingNo: `BA-361130-2025-${tag}`,
    qualityGrade: '5',
    landType: '水田',
    plotIds: `361130-${tag}-01, 361130-${tag}-02`,
    vintage: '2025',
    ...change,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

export const threeDocuments = (): Record<string, Part> => ({ acceptance: pdf('acceptance'), filing: pdf('filing'), consent: png() });

/** Sends fields and files as multipart/form-data, as a browser's FormData would. */
export async function sendMultipart(tp: TestPlatform, url: string, token: string, parts: Record<string, Part>): Promise<LightMyRequestResponse> {
  const form = new FormData();
  for (const [name, part] of Object.entries(parts)) {
    if (typeof part === 'string') form.append(name, part);
    else form.append(name, new Blob([new Uint8Array(part.bytes)], { type: part.contentType }), part.fileName);
  }
  const encoded = new Response(form);
  const payload = Buffer.from(await encoded.arrayBuffer());
  return tp.running.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}`, 'content-type': encoded.headers.get('content-type')! } });
}

export const submit = (tp: TestPlatform, token: string, fields = farmlandFields(), documents = threeDocuments()) => sendMultipart(tp, '/api/lot-submissions', token, { ...fields, ...documents });

export async function submitted(tp: TestPlatform, token: string, fields = farmlandFields()): Promise<LotSubmission> {
  const res = await submit(tp, token, fields);
  if (res.statusCode !== 201) throw new Error(`submit: ${res.statusCode} ${res.body}`);
  return res.json<LotSubmission>();
}

/** A second operator, for four eyes. */
export async function secondOperator(tp: TestPlatform, username = `operator_${randomBytes(2).toString('hex')}`): Promise<string> {
  await tp.running.platform.knex.transaction((trx) => createStaffUser(trx, username, PASSWORD, 'operator'));
  return tp.login(username);
}

/** Everything a refused submission step must leave as it was. */
export async function submissionState(tp: TestPlatform) {
  const { knex } = tp.running.platform;
  const count = async (table: string) => Number((await knex(table).count<[{ n: string }]>('* as n'))[0]!.n);
  return {
    submissions: await knex('lot_submissions').orderBy('id').select('id', 'status', 'revision', 'filing_no', 'plot_ids', 'reviewed_by', 'approved_by', 'lot_id', 'updated_at'),
    documents: await knex('lot_documents').orderBy('id').select('id', 'sha256', 'superseded_at'),
    storedFiles: await knex('stored_files').orderBy('key').pluck('key'),
    claims: await count('lot_plot_claims'),
    lots: await count('lots'),
    holdings: await knex('accounts').orderBy('id').select('id', 'available', 'locked'),
    audit: await count('audit_log'),
  };
}
