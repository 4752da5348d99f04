import type { ReactNode } from 'react';
import type { Account } from '../api/types.ts';
import { formatCny } from '../format/number.ts';

export interface Figure {
  /** Stable id of the row (its React key). */
  id: string;
  label: ReactNode;
  value: ReactNode;
  testId?: string;
}

/**
 * The figures a form works out as one types (amount, fee, what will be locked), as a term list.
 * `live` announces changes politely, so a screen reader hears the new amount after each edit.
 */
export function Figures({ items, live = true }: { items: readonly (Figure | false | null)[]; live?: boolean }) {
  return (
    <dl className="kv" aria-live={live ? 'polite' : undefined}>
      {items.filter((f): f is Figure => Boolean(f)).map((f) => (
        <div key={f.id}>
          <dt>{f.label}</dt>
          <dd data-testid={f.testId}>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The cash one may spend, beside what a send would lock; — until the account has loaded. */
export const cashFigure = (label: ReactNode, account: Account | undefined): Figure => ({ id: 'cash', label, value: account ? formatCny(account.cash.available) : '—' });
