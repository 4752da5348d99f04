import { beijingDateDigits } from '../shared/beijing-time.ts';

// Certificate numbers name the kind of record, the Beijing day it was made and its id, padded so
// numbers of one kind and day sort as their ids do: ERX for a settled trade (成交确认书), ERU for a
// use (核销) and ERR for a retirement (注销) of indicator quantity.

const number = (kind: string, at: Date, id: string | number) => `${kind}-${beijingDateDigits(at)}-${String(id).padStart(10, '0')}`;

/** The settlement certificate of a trade, dated by when the trade was executed. */
export function settlementCertificateNo(trade: { id: string; executed_at: Date }): string {
  return number('ERX', trade.executed_at, trade.id);
}

/** The registry certificate of a use or a retirement, dated by when the registry recorded it. */
export function registryCertificateNo(kind: 'use' | 'retire', id: number, at: Date): string {
  return number(kind === 'use' ? 'ERU' : 'ERR', at, id);
}
