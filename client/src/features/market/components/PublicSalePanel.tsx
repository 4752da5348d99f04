import type { ReactNode } from 'react';
import { DataTable, type Column } from '../../../shared/components/DataTable.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';

interface PublicSalePanelProps<T extends { id: string }> {
  title: string;
  testId: string;
  rows: readonly T[];
  /** Prefix of each row's test id, followed by the sale's id. */
  rowTestId: string;
  columns: readonly Column<T>[];
  emptyText: ReactNode;
  /** Say "none" as a paragraph in place of the table rather than as its one row. */
  emptyOutside?: boolean;
}

/** One board of the public sales page (announcements or results): a panel holding its table. */
export function PublicSalePanel<T extends { id: string }>({ title, testId, rows, rowTestId, columns, emptyText, emptyOutside = false }: PublicSalePanelProps<T>) {
  return (
    <Panel title={title} testId={testId}>
      {emptyOutside && rows.length === 0 ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <DataTable
          className="table"
          caption={title}
          rows={rows}
          emptyText={emptyText}
          rowKey={(r) => r.id}
          rowProps={(r) => ({ 'data-testid': `${rowTestId}-${r.id}` })}
          columns={columns}
        />
      )}
    </Panel>
  );
}
