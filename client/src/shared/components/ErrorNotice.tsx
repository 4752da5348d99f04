import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

/** Localised text for a known error code, else the server's own message. */
export function useErrorText() {
  const { t, i18n } = useTranslation();
  return (error: unknown): { text: string; detail: string | null } => {
    if (error instanceof ApiError) {
      const key = `errors.${error.code}`;
      const known = i18n.exists(key);
      const text = known ? t(key) : error.message || t('errors.generic');
      const detail = known && error.message && error.message !== text ? error.message : null;
      return { text, detail };
    }
    if (error instanceof Error) return { text: error.message || t('errors.generic'), detail: null };
    return { text: t('errors.generic'), detail: null };
  };
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
