import { Fragment, type HTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

// The one table of the client: a visually hidden caption, a header row, one row per item, and
// a single full-width row when there is nothing to show. While the first load is under way that
// row says 加载中… in its own style, so a table still loading never reads as 暂无数据 (issue 20).

export interface Column<T> {
  /** Stable id of the column (its React key). */
  id: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Figures align right in tabular digits (the `num` class), header included. */
  align?: 'start' | 'number';
  /** Further classes of the body cell ("mono small"); a function when they depend on the row. */
  className?: string | ((row: T) => string | undefined);
  /** The cell names its row (a <th scope="row">), e.g. the instrument or the day. */
  rowHeader?: boolean;
  /** The body cell's tooltip, e.g. the whole of a value the cell shortens. */
  title?: (row: T) => string | undefined;
}

type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | undefined };

export interface DataTableProps<T> {
  /** Falsy entries are left out, so a column can be conditional in place. */
  columns: readonly (Column<T> | false | null | undefined)[];
  rows: readonly T[] | undefined;
  rowKey: (row: T) => string;
  /** For screen readers; not shown. */
  caption: ReactNode;
  /** What the single row says when there are no rows (default 暂无数据). */
  emptyText?: ReactNode;
  /** True while the rows are first being fetched: shows 加载中… instead of the empty text. */
  loading?: boolean;
  /** Attributes of a row's <tr> (class, data-* the tests and styles select on). */
  rowProps?: (row: T) => RowAttributes;
  /** Rows that follow a row, e.g. its expanded details: whole <tr> elements, or null. */
  rowDetails?: (row: T) => ReactNode;
  testId?: string;
  /** Classes of the <table>; `table table--compact` unless said otherwise. */
  className?: string;
  /** Wraps the table in a focusable scrolling box with a sticky header. */
  scroll?: 'box' | 'tall';
  /** Names the scrolling box as a region (landmark) for screen readers. */
  scrollLabel?: string;
  /** Keeps assistive technology from announcing every change of a fast-moving table. */
  quiet?: boolean;
}

export function DataTable<T>(props: DataTableProps<T>) {
  const { t } = useTranslation();
  const { rows = [], rowKey, caption, emptyText, loading = false, rowProps, rowDetails, testId, className = 'table table--compact', scroll, scrollLabel, quiet } = props;
  const columns = props.columns.filter((c): c is Column<T> => Boolean(c));
  const numberClass = (c: Column<T>) => (c.align === 'number' ? 'num' : undefined);
  const cellClass = (c: Column<T>, row: T) => {
    const extra = typeof c.className === 'function' ? c.className(row) : c.className;
    return [numberClass(c), extra].filter(Boolean).join(' ') || undefined;
  };
  const waiting = loading && rows.length === 0;

  const table = (
    <table className={className} data-testid={testId} aria-busy={waiting || undefined}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.id} scope="col" className={numberClass(c)}>{c.header}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {waiting ? (
          <tr><td colSpan={columns.length} className="muted center table__loading" role="status">{t('app.loading')}</td></tr>
        ) : rows.length === 0 ? (
          <tr><td colSpan={columns.length} className="muted center">{emptyText ?? t('app.noData')}</td></tr>
        ) : (
          rows.map((row) => {
            const key = rowKey(row);
            return (
              <Fragment key={key}>
                <tr {...rowProps?.(row)}>
                  {columns.map((c) =>
                    c.rowHeader ? (
                      <th key={c.id} scope="row" className={cellClass(c, row)} title={c.title?.(row)}>{c.cell(row)}</th>
                    ) : (
                      <td key={c.id} className={cellClass(c, row)} title={c.title?.(row)}>{c.cell(row)}</td>
                    ),
                  )}
                </tr>
                {rowDetails?.(row)}
              </Fragment>
            );
          })
        )}
      </tbody>
    </table>
  );
  if (!scroll) return table;
  return (
    <div
      tabIndex={0}
      className={scroll === 'tall' ? 'scroll-box scroll-box--tall' : 'scroll-box'}
      role={scrollLabel ? 'region' : undefined}
      aria-label={scrollLabel}
      aria-live={quiet ? 'off' : undefined}
    >
      {table}
    </div>
  );
}
