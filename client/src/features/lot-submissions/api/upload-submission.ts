import { ApiError } from '../../../shared/api/client.ts';
import { getToken, refreshSession } from '../../../shared/auth/session.ts';
import type { LotDocumentKind } from '../../../../../contract/lot-submission-rules.ts';
import type { LotSubmission } from '../../../../../contract/lot-submissions.ts';

/** Bytes sent so far of each document, as the browser reports the upload. */
export type UploadProgress = Partial<Record<LotDocumentKind, number>>;

/**
 * Sends the form and its documents as one multipart request. XMLHttpRequest rather than fetch:
 * only XHR reports upload progress. Progress is for the whole body; it is shared out over the
 * files in the order they are sent (the text fields are small and go first).
 */
export function uploadSubmission(url: string, fields: Record<string, string>, files: Partial<Record<LotDocumentKind, File>>, onProgress: (p: UploadProgress) => void): Promise<LotSubmission> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== '') form.append(name, value);
  const order = (Object.entries(files) as Array<[LotDocumentKind, File]>).filter(([, f]) => f);
  for (const [kind, file] of order) form.append(kind, file, file.name);
  const total = order.reduce((sum, [, f]) => sum + f.size, 0);

  const send = (token: string | null) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.onprogress = (event) => {
        // The body is a little larger than the files (fields, boundaries): count from its end.
        let sent = Math.max(0, Math.min(total, event.loaded - (event.total - total)));
        const progress: UploadProgress = {};
        for (const [kind, file] of order) {
          progress[kind] = Math.min(file.size, sent);
          sent -= progress[kind];
        }
        onProgress(progress);
      };
      xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
      xhr.onerror = () => reject(new ApiError({ statusCode: 0, code: 'NETWORK_ERROR', message: 'Network error' }));
      xhr.send(form);
    });

  return (async () => {
    let answer = await send(getToken());
    if (answer.status === 401) {
      const renewed = await refreshSession();
      if (renewed) answer = await send(renewed.token);
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(answer.body) as Record<string, unknown>;
    } catch {
      // a proxy may answer with HTML (e.g. its own 413): keep the status
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw new ApiError({
        statusCode: answer.status,
        code: typeof body.code === 'string' ? body.code : answer.status === 413 ? 'FILE_TOO_LARGE' : `HTTP_${answer.status}`,
        message: typeof body.message === 'string' ? body.message : 'Upload failed',
        params: body.params as Record<string, string> | undefined,
      });
    }
    onProgress(Object.fromEntries(order.map(([kind, file]) => [kind, file.size])));
    return body as unknown as LotSubmission;
  })();
}
