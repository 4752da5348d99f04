import { useTranslation } from 'react-i18next';
import { usePlatformInfo } from '../api/platform.ts';

/** On every screen of a demo platform: its logins are public, so nothing here is real. */
export function DemoBanner() {
  const { t } = useTranslation();
  const platform = usePlatformInfo();
  if (!platform.data?.demo) return null;
  return (
    <div className="demo-banner" role="note" data-testid="demo-banner">
      <strong className="demo-banner__label">{t('demo.label')}</strong>
      <span>{t('demo.text')}</span>
    </div>
  );
}
