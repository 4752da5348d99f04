import { createHash } from 'node:crypto';
import type { LotDocumentKind } from '../../contract/lot-submissions.ts';
import type { UploadedDocument } from '../lot-submissions/lot-document-intake.ts';

/** A one-page PDF naming what it stands for: demo documents, readable in any viewer. */
export function placeholderPdf(title: string): Buffer {
  const text = title.replace(/[()\\]/g, '');
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** The three documents of a demo submission, as an upload would hand them over. */
export function placeholderDocuments(reference: string): Record<LotDocumentKind, UploadedDocument> {
  const make = (kind: LotDocumentKind, title: string): UploadedDocument => {
    const bytes = placeholderPdf(`${title} ${reference}`);
    return { kind, fileName: `${kind}-${reference}.pdf`, contentType: 'application/pdf', bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  };
  return { acceptance: make('acceptance', 'Acceptance'), filing: make('filing', 'Filing record'), consent: make('consent', 'County consent') };
}
