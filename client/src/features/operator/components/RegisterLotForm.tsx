import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorType, Instrument } from '../../../shared/api/types.ts';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { dec, isDecimalString } from '../../../shared/format/decimal.ts';
import { instrumentName, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatQuantity } from '../../../shared/format/number.ts';
import { useRegisterLot } from '../api/lots.ts';
import type { AdminParticipant } from '../api/participants.ts';
import { PREFECTURES } from './regions.ts';

interface RegisterLotFormProps {
  participants: readonly AdminParticipant[];
  instruments: readonly Instrument[];
  participantId: string;
  onParticipantChange: (id: string) => void;
}

export function RegisterLotForm({ participants, instruments, participantId, onParticipantChange }: RegisterLotFormProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const register = useRegisterLot();
  const [symbol, setSymbol] = useState('');
  const [quantity, setQuantity] = useState('');
  const [prefecture, setPrefecture] = useState<string>('上饶市');
  const [county, setCounty] = useState('');
  const [sourceProject, setSourceProject] = useState('');
  const [verificationRef, setVerificationRef] = useState('');
  const [vintage, setVintage] = useState(String(new Date().getFullYear()));
  const [landType, setLandType] = useState('水田');
  const [qualityGrade, setQualityGrade] = useState('5');
  const [methodology, setMethodology] = useState('');
  const [serialFrom, setSerialFrom] = useState('');
  const [serialTo, setSerialTo] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const instrument = instruments.find((i) => i.symbol === symbol) ?? instruments[0];
  const type: IndicatorType | undefined = instrument?.indicatorType;
  const lotOk =
    instrument !== undefined &&
    isDecimalString(quantity) &&
    dec(quantity).greaterThan(0) &&
    dec(quantity).modulo(instrument.lotSize).isZero();
  const req = (v: string) => (attempted && !v.trim() ? t('operator.required') : null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    setDone(null);
    if (!participantId || !instrument || !lotOk || !sourceProject.trim() || !verificationRef.trim() || !county.trim()) return;
    const attributes: Record<string, string | number> =
      type === 'farmland'
        ? { landType, qualityGrade: Number(qualityGrade) }
        : type === 'carbon_sink'
          ? { methodology: methodology.trim(), serialFrom: serialFrom.trim(), serialTo: serialTo.trim() }
          : {};
    const p = participants.find((x) => String(x.id) === participantId);
    register.mutate(
      {
        participantId: p?.id ?? participantId,
        indicatorType: instrument.indicatorType,
        symbol: instrument.symbol,
        quantity: quantity.trim(),
        region: `${prefecture}${county.trim()}`,
        sourceProject: sourceProject.trim(),
        verificationRef: verificationRef.trim(),
        vintage: /^\d{4}$/.test(vintage) ? Number(vintage) : vintage,
        attributes,
      },
      {
        onSuccess: () => {
          setDone(t('operator.registered', { quantity: formatQuantity(quantity, instrument.unit, lang, quantityPlaces(instrument)) }));
          setQuantity('');
          setVerificationRef('');
          setAttempted(false);
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('operator.registerLot')} data-testid="lot-form">
      <div className="form__row">
        <Field label={t('operator.participant')} error={attempted && !participantId ? t('operator.chooseParticipant') : null}>
          <select name="participantId" value={participantId} onChange={(e) => onParticipantChange(e.target.value)}>
            <option value="">{t('operator.chooseParticipant')}</option>
            {participants.map((p) => <option key={String(p.id)} value={String(p.id)}>{p.name}</option>)}
          </select>
        </Field>
        <Field label={t('operator.instrument')}>
          <select name="symbol" value={instrument?.symbol ?? ''} onChange={(e) => setSymbol(e.target.value)}>
            {instruments.map((i) => <option key={i.symbol} value={i.symbol}>{i.symbol} · {instrumentName(i, lang)}</option>)}
          </select>
        </Field>
      </div>
      <div className="form__row">
        <Field
          label={`${t('operator.quantity')}${instrument ? `（${formatQuantity(instrument.lotSize, instrument.unit, lang, quantityPlaces(instrument))}）` : ''}`}
          error={attempted && !lotOk ? t('operator.invalidQuantity') : null}
        >
          <input name="quantity" inputMode="decimal" value={quantity} onChange={(e) => setQuantity(e.target.value)} />
        </Field>
        <Field label={t('operator.vintage')}>
          <input name="vintage" inputMode="numeric" value={vintage} onChange={(e) => setVintage(e.target.value)} />
        </Field>
      </div>
      <div className="form__row">
        <Field label={t('operator.prefecture')}>
          <select name="prefecture" value={prefecture} onChange={(e) => setPrefecture(e.target.value)}>
            {PREFECTURES.map((p) => <option key={p} value={p}>{t(`prefectures.${p}`)}</option>)}
          </select>
        </Field>
        <Field label={t('operator.county')} error={req(county)}>
          <input name="county" value={county} onChange={(e) => setCounty(e.target.value)} placeholder="婺源县" />
        </Field>
      </div>
      <Field label={t('operator.sourceProject')} error={req(sourceProject)}>
        <input name="sourceProject" value={sourceProject} onChange={(e) => setSourceProject(e.target.value)} />
      </Field>
      <Field label={t('operator.verificationRef')} error={req(verificationRef)}>
        <input name="verificationRef" value={verificationRef} onChange={(e) => setVerificationRef(e.target.value)} />
      </Field>
      {type === 'farmland' ? (
        <div className="form__row">
          <Field label={t('operator.landType')}>
            <select name="landType" value={landType} onChange={(e) => setLandType(e.target.value)}>
              <option value="旱地">{t('operator.dryland')}</option>
              <option value="水田">{t('operator.paddy')}</option>
            </select>
          </Field>
          <Field label={t('operator.qualityGrade')}>
            <select name="qualityGrade" value={qualityGrade} onChange={(e) => setQualityGrade(e.target.value)}>
              {Array.from({ length: 15 }, (_, i) => String(i + 1)).map((g) => <option key={g} value={g}>{g}</option>)}
            </select>
          </Field>
        </div>
      ) : null}
      {type === 'carbon_sink' ? (
        <div className="form__row">
          <Field label={t('operator.methodology')}>
            <input name="methodology" value={methodology} onChange={(e) => setMethodology(e.target.value)} placeholder="CCER-14-001-V01" />
          </Field>
          <Field label={t('operator.serialFrom')}>
            <input name="serialFrom" value={serialFrom} onChange={(e) => setSerialFrom(e.target.value)} />
          </Field>
          <Field label={t('operator.serialTo')}>
            <input name="serialTo" value={serialTo} onChange={(e) => setSerialTo(e.target.value)} />
          </Field>
        </div>
      ) : null}
      <ErrorNotice error={register.error} />
      {done ? <SuccessNotice>{done}</SuccessNotice> : null}
      <button type="submit" className="btn btn--primary" disabled={register.isPending}>{t('operator.registerSubmit')}</button>
    </form>
  );
}
