import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { describeError } from './error-text.ts';

/** Localised text for an error: see describeError. */
export function useErrorText() {
  const { i18n } = useTranslation();
  return (error: unknown) => describeError(i18n, error);
}

export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const describe = useErrorText();
  if (!error) return null;
  const { text, detail } = describe(error);
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <div className="notice notice--error" role="alert" data-error-code={code}>
      {title ? <strong className="notice__title">{title}</strong> : null}
      <span className="notice__text">{text}</span>
      {detail ? <span className="notice__detail">{t('order.serverSaid', { message: detail })}</span> : null}
    </div>
  );
}

export function SuccessNotice({ children }: { children: React.ReactNode }) {
  return (
    <div className="notice notice--success" role="status">
      {children}
    </div>
  );
}
