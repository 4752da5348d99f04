import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface ReportColumn<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  numeric?: boolean;
}

/** One section of the report as a table; an empty section says so instead of showing headers alone. */
export function ReportTable<Row>({ caption, columns, rows, rowKey, testId }: { caption: string; columns: ReportColumn<Row>[]; rows: Row[]; rowKey: (row: Row, index: number) => string; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table table--compact" data-testid={testId}>
        <caption className="table__caption">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="muted">
                {t('reports.none')}
              </td>
            </tr>
          ) : (
            rows.map((row, i) => (
              <tr key={rowKey(row, i)}>
                {columns.map((c) => (
                  <td key={c.header} className={c.numeric ? 'num' : undefined}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
