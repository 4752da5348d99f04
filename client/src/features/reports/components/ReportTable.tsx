import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';

export interface ReportColumn<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  numeric?: boolean;
}

/** One section of the report on the client's DataTable, saying so when the period has nothing. */
export function ReportTable<Row>({ caption, columns, rows, rowKey, testId }: { caption: string; columns: ReportColumn<Row>[]; rows: Row[]; rowKey: (row: Row) => string; testId: string }) {
  const { t } = useTranslation();
  return (
    <DataTable
      caption={caption}
      testId={testId}
      rows={rows}
      rowKey={rowKey}
      emptyText={t('reports.none')}
      columns={columns.map((c) => ({ id: c.header, header: c.header, cell: c.cell, align: c.numeric ? 'number' : 'start' }))}
    />
  );
}
