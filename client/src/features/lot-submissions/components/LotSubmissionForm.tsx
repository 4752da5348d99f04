import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { instrumentName } from '../../../shared/format/instrument.ts';
import { FARMLAND_LAND_TYPES, FARMLAND_QUALITY_GRADES, LOT_DOCUMENT_KINDS, MAX_DOCUMENT_BYTES, type LotDocumentKind } from '../../../../../contract/lot-submission-rules.ts';
import { invalidateSubmissions, useDivisions, type LotSubmission } from '../api/lot-submissions.ts';
import { uploadSubmission, type UploadProgress } from '../api/upload-submission.ts';

type Fields = Record<'symbol' | 'quantity' | 'divisionCode' | 'sourceProject' | 'acceptanceNo' | 'filingNo' | 'qualityGrade' | 'landType' | 'plotIds' | 'vintage', string>;

function fieldsOf(s: LotSubmission | undefined, symbol: string): Fields {
  return {
    symbol: s?.symbol ?? symbol,
    quantity: s?.quantity ?? '',
    divisionCode: s?.divisionCode ?? '',
    sourceProject: s?.sourceProject ?? '',
    acceptanceNo: s?.acceptanceNo ?? '',
    filingNo: s?.filingNo ?? '',
    qualityGrade: s?.qualityGrade ? String(s.qualityGrade) : '',
    landType: s?.landType ?? '',
    plotIds: s?.plotIds.join('\n') ?? '',
    vintage: String(s?.vintage ?? new Date().getFullYear()),
  };
}

interface Props {
  instruments: readonly Instrument[];
  /** A rejected submission being corrected: its fields prefilled, documents optional. */
  correcting?: LotSubmission;
  onDone?: (s: LotSubmission) => void;
}

/** The seller's lot submission (指标入库申请): the form and its three documents in one upload. */
export function LotSubmissionForm({ instruments, correcting, onDone }: Props) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const divisions = useDivisions();
  const sellable = instruments.filter((i) => i.sellerKinds === 'government' || i.indicatorType === 'carbon_sink');
  const [fields, setFields] = useState<Fields>(() => fieldsOf(correcting, sellable[0]?.symbol ?? ''));
  const [files, setFiles] = useState<Partial<Record<LotDocumentKind, File>>>({});
  const [progress, setProgress] = useState<UploadProgress>({});
  // What the last upload sent: its bars stay (full) after the form is cleared for the next lot.
  const [sending, setSending] = useState<Partial<Record<LotDocumentKind, File>>>({});
  const [inputsKey, setInputsKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<LotSubmission | null>(null);
  const instrument = instruments.find((i) => i.symbol === fields.symbol);
  const farmland = instrument?.indicatorType === 'farmland';
  const set = (name: keyof Fields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [name]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    setBusy(true);
    setSending(files);
    setProgress({});
    try {
      const sent = farmland ? fields : { ...fields, qualityGrade: '', landType: '' };
      const url = correcting ? `/api/lot-submissions/${correcting.id}/resubmit` : '/api/lot-submissions';
      const result = await uploadSubmission(url, sent, files, setProgress);
      setDone(result);
      if (!correcting) {
        setFields(fieldsOf(undefined, fields.symbol));
        setFiles({});
        setInputsKey((k) => k + 1);
      }
      await invalidateSubmissions(queryClient);
      onDone?.(result);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('lotSubmissions.formLabel')} data-testid="lot-submission-form">
      <div className="form__row">
        <Field label={t('lotSubmissions.instrument')}>
          <select name="symbol" value={fields.symbol} onChange={set('symbol')}>
            {sellable.map((i) => (
              <option key={i.symbol} value={i.symbol}>{instrumentName(i, i18n.language)}</option>
            ))}
          </select>
        </Field>
        <Field label={t('lotSubmissions.quantity')} hint={instrument ? t('lotSubmissions.lotSizeHint', { lot: instrument.lotSize, unit: instrument.unit }) : undefined}>
          <input name="quantity" inputMode="decimal" value={fields.quantity} onChange={set('quantity')} required />
        </Field>
        <Field label={t('lotSubmissions.division')}>
          <select name="divisionCode" value={fields.divisionCode} onChange={set('divisionCode')} required>
            <option value="">{t('lotSubmissions.chooseDivision')}</option>
            {(divisions.data ?? []).map((d) => (
              <option key={d.code} value={d.code}>{`${d.fullName}（${d.code}）`}</option>
            ))}
          </select>
        </Field>
      </div>
      <div className="form__row">
        <Field label={t('lotSubmissions.sourceProject')}>
          <input name="sourceProject" value={fields.sourceProject} onChange={set('sourceProject')} required />
        </Field>
        <Field label={t('lotSubmissions.acceptanceNo')}>
          <input name="acceptanceNo" value={fields.acceptanceNo} onChange={set('acceptanceNo')} required />
        </Field>
        <Field label={t('lotSubmissions.filingNo')}>
          <input name="filingNo" value={fields.filingNo} onChange={set('filingNo')} required />
        </Field>
      </div>
      <div className="form__row">
        {farmland ? (
          <>
            <Field label={t('lotSubmissions.qualityGrade')}>
              <select name="qualityGrade" value={fields.qualityGrade} onChange={set('qualityGrade')}>
                <option value="">{t('lotSubmissions.choose')}</option>
                {FARMLAND_QUALITY_GRADES.map((g) => <option key={g} value={String(g)}>{g}</option>)}
              </select>
            </Field>
            <Field label={t('lotSubmissions.landType')}>
              <select name="landType" value={fields.landType} onChange={set('landType')}>
                <option value="">{t('lotSubmissions.choose')}</option>
                {FARMLAND_LAND_TYPES.map((l) => <option key={l} value={l}>{t(`lotSubmissions.landTypes.${l}`)}</option>)}
              </select>
            </Field>
          </>
        ) : null}
        <Field label={t('lotSubmissions.vintage')}>
          <input name="vintage" inputMode="numeric" value={fields.vintage} onChange={set('vintage')} required />
        </Field>
        <Field label={t('lotSubmissions.plotIds')} hint={t('lotSubmissions.plotIdsHint')}>
          <textarea name="plotIds" rows={2} value={fields.plotIds} onChange={set('plotIds')} required />
        </Field>
      </div>
      <fieldset className="form__group">
        <legend>{correcting ? t('lotSubmissions.replaceDocuments') : t('lotSubmissions.documents')}</legend>
        <p className="muted small">{t('lotSubmissions.documentRules', { mb: MAX_DOCUMENT_BYTES / 1024 / 1024 })}</p>
        {LOT_DOCUMENT_KINDS.map((kind) => {
          const file = files[kind] ?? sending[kind];
          return (
            <div className="form__row" key={kind}>
              <Field label={t(`errors.documents.${kind}`)}>
                <input
                  key={inputsKey}
                  type="file"
                  name={kind}
                  accept="application/pdf,image/jpeg,image/png"
                  data-testid={`document-${kind}`}
                  onChange={(e) => {
                    const chosen = e.target.files?.[0];
                    setSending((f) => ({ ...f, [kind]: undefined }));
                    setFiles((f) => ({ ...f, [kind]: chosen }));
                  }}
                />
              </Field>
              {file ? (
                <label className="small upload-progress">
                  {file.name}
                  <progress max={file.size} value={progress[kind] ?? 0} data-testid={`progress-${kind}`} aria-label={t('lotSubmissions.progressOf', { name: file.name })} />
                </label>
              ) : null}
            </div>
          );
        })}
      </fieldset>
      <ErrorNotice error={error} title={t('lotSubmissions.refused')} />
      {done ? <SuccessNotice>{t('lotSubmissions.submittedAs', { id: done.id })}</SuccessNotice> : null}
      <button type="submit" className="btn btn--primary" disabled={busy}>
        {correcting ? t('lotSubmissions.resubmit') : t('lotSubmissions.submit')}
      </button>
    </form>
  );
}
