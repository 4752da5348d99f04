import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { AppError, badRequest, unprocessable } from '../errors.ts';
import { LOT_DOCUMENT_KINDS, LOT_DOCUMENT_TYPES, MAX_DOCUMENT_BYTES, type LotDocumentKind } from '../../contract/lot-submissions.ts';

export interface UploadedDocument {
  kind: LotDocumentKind;
  fileName: string;
  /** What the bytes are, as file-type detected them; never the name or the sender's header. */
  contentType: (typeof LOT_DOCUMENT_TYPES)[number];
  bytes: Buffer;
  sha256: string;
}

export interface LotUpload {
  fields: Record<string, string>;
  documents: Partial<Record<LotDocumentKind, UploadedDocument>>;
}

const isDocumentKind = (name: string): name is LotDocumentKind => (LOT_DOCUMENT_KINDS as readonly string[]).includes(name);
const MB = MAX_DOCUMENT_BYTES / (1024 * 1024);

/**
 * Reads a submission's multipart body: text fields and at most one file per document kind, each
 * held in memory up to the parser's 20 MB cap (the parser stops reading past it). Nothing is
 * stored here; the service validates everything first and stores in its transaction.
 */
export async function readLotUpload(request: FastifyRequest): Promise<LotUpload> {
  if (!request.isMultipart()) throw new AppError(415, 'MULTIPART_REQUIRED', 'send the submission as multipart/form-data: the form fields and the documents in one request');
  const fields: Record<string, string> = {};
  const documents: LotUpload['documents'] = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.fieldname in fields) throw badRequest('DUPLICATE_FIELD', `field ${part.fieldname} was sent twice`, { field: part.fieldname });
        fields[part.fieldname] = String(part.value);
        continue;
      }
      const kind = part.fieldname;
      if (!isDocumentKind(kind)) {
        await part.toBuffer();
        throw badRequest('UNKNOWN_DOCUMENT', `no document "${kind}": send acceptance, filing and consent`, { document: kind });
      }
      if (documents[kind]) throw badRequest('DUPLICATE_FIELD', `document ${kind} was sent twice`, { field: kind });
      const bytes = await part.toBuffer();
      documents[kind] = await identify(kind, part.filename, bytes);
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      const kind = (error as { part?: { fieldname?: string } }).part?.fieldname ?? '';
      throw new AppError(413, 'FILE_TOO_LARGE', `document ${kind} is larger than ${MB} MB`, { document: kind, limitMb: String(MB) });
    }
    if ((error as { code?: string }).code === 'FST_FILES_LIMIT') throw badRequest('TOO_MANY_DOCUMENTS', 'send at most three documents: acceptance, filing and consent');
    if (error instanceof AppError) throw error;
    // Everything else thrown while reading parts is the parser's (busboy's "Unexpected end of
    // form", "Malformed part header", FST_* limits): the body, not the server, is at fault.
    throw badRequest('MALFORMED_MULTIPART', `the multipart body could not be read: ${(error as Error).message}`);
  }
  return { fields, documents };
}

async function identify(kind: LotDocumentKind, fileName: string, bytes: Buffer): Promise<UploadedDocument> {
  if (bytes.length === 0) throw unprocessable('FILE_EMPTY', `document ${kind} (${fileName}) is empty`, { document: kind });
  const detected = await fileTypeFromBuffer(bytes);
  const mime = detected?.mime ?? 'unknown';
  if (!(LOT_DOCUMENT_TYPES as readonly string[]).includes(mime)) {
    throw unprocessable('FILE_TYPE_NOT_ALLOWED', `document ${kind} (${fileName}) is ${mime}, not a PDF, JPEG or PNG`, { document: kind, detected: mime });
  }
  return { kind, fileName: cleanFileName(fileName), contentType: mime as UploadedDocument['contentType'], bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

// The name is shown and sent back in Content-Disposition: keep it printable and short.
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control and bidi characters are what is removed
  const printable = base.replace(/[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF"]/gu, '').trim();
  return (printable || 'document').slice(0, 120);
}
