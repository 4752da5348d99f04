import { useMutation } from '@tanstack/react-query';
import { downloadFile } from '../../../shared/api/client.ts';

/** The transaction certificate (成交确认书) of a settled trade, as a PDF. */
export const downloadCertificate = (tradeId: string | number): Promise<void> =>
  downloadFile(`/api/settlements/${encodeURIComponent(String(tradeId))}/certificate.pdf`, `certificate-${String(tradeId)}.pdf`);

export function useDownloadCertificate() {
  return useMutation({ mutationFn: downloadCertificate });
}
