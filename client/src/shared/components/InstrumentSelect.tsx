import type { SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument } from '../api/types.ts';
import { instrumentName } from '../format/instrument.ts';

interface InstrumentSelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange'> {
  instruments: readonly Instrument[];
  value: string;
  onChange: (symbol: string) => void;
}

/** A choice of instrument, "SYMBOL · name"; the other attributes (a Field's id and aria) pass through. */
export function InstrumentSelect({ instruments, onChange, name = 'symbol', ...rest }: InstrumentSelectProps) {
  const { i18n } = useTranslation();
  return (
    <select name={name} {...rest} onChange={(e) => onChange(e.target.value)}>
      {instruments.map((i) => (
        <option key={i.symbol} value={i.symbol}>
          {i.symbol} · {instrumentName(i, i18n.language)}
        </option>
      ))}
    </select>
  );
}
