import type { ReactNode } from 'react';

/** One figure of a <dl className="kpis"> row: its label and its value. */
export function Kpi({ label, children, title, testId }: { label: ReactNode; children: ReactNode; title?: string; testId?: string }) {
  return (
    <div className="kpi">
      <dt>{label}</dt>
      <dd className="kpi__value" title={title} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
