import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import type { LotSubmission } from '../api/lot-submissions.ts';
import { useDocumentUrl } from '../api/document-url.ts';

function ShownDocument({ doc }: { doc: LotSubmission['documents'][number] }) {
  const { t } = useTranslation();
  const { url, error } = useDocumentUrl(doc.url);
  const title = `${t(`errors.documents.${doc.kind}`)} · ${doc.fileName}`;
  return (
    <figure className="lot-document" data-testid={`shown-${doc.kind}`}>
      <figcaption className="small">
        {title} <span className="muted mono">SHA-256 {doc.sha256.slice(0, 16)}…</span>
      </figcaption>
      <ErrorNotice error={error} />
      {url && doc.contentType === 'application/pdf' ? <iframe src={url} title={title} className="lot-document__pdf" /> : null}
      {url && doc.contentType !== 'application/pdf' ? <img src={url} alt={title} className="lot-document__image" /> : null}
    </figure>
  );
}

/** A submission's documents shown in the page: PDFs in a frame, images as images. */
export function SubmissionDocuments({ submission }: { submission: LotSubmission }) {
  return (
    <div className="lot-documents">
      {submission.documents.map((d) => <ShownDocument key={d.id} doc={d} />)}
    </div>
  );
}
