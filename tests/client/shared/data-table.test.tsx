import { createInstance } from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { DataTable, type Column } from '../../../client/src/shared/components/DataTable.tsx';
import { zhCN } from '../../../client/src/shared/i18n/zh-CN.ts';

// What a user sees of a table: its headings, one row per item with figures aligned right, and,
// when there are no rows, either 加载中… (still fetching, styled apart) or the empty text — never
// the one in place of the other.

const i18n = createInstance();
void i18n.use(initReactI18next).init({ resources: { 'zh-CN': { translation: zhCN } }, lng: 'zh-CN', initAsync: false, interpolation: { escapeValue: false } });

interface Fill { tradeId: string; price: string; side: 'buy' | 'sell' }
const columns: Column<Fill>[] = [
  { id: 'id', header: '成交号', cell: (f) => f.tradeId, className: 'mono' },
  { id: 'price', header: '价格', cell: (f) => f.price, align: 'number', className: (f) => (f.side === 'buy' ? 'trend--up' : 'trend--down') },
];

/** The markup as the browser gets it (node has no DOM: the rows are read from the HTML). */
function render(props: Partial<Parameters<typeof DataTable<Fill>>[0]>): string {
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <DataTable<Fill> columns={columns} rows={[]} rowKey={(f) => f.tradeId} caption="成交" {...props} />
    </I18nextProvider>,
  );
}
const bodyRows = (html: string) => html.split('<tbody>')[1]!.split('</tbody>')[0]!.match(/<tr[^>]*>.*?<\/tr>/g) ?? [];

describe('DataTable', () => {
  it('shows each row under its headings, numbers right-aligned, with the row attributes and cell classes asked for', () => {
    const html = render({
      rows: [{ tradeId: '7', price: '368,500.00', side: 'buy' }, { tradeId: '8', price: '368,400.00', side: 'sell' }],
      rowProps: (f) => ({ 'data-trade-id': f.tradeId }),
      testId: 'own-fills',
    });
    expect(html).toContain('<table class="table table--compact" data-testid="own-fills">');
    expect(html).toContain('<caption class="visually-hidden">成交</caption>');
    expect(html).toContain('<thead><tr><th scope="col">成交号</th><th scope="col" class="num">价格</th></tr></thead>');
    expect(bodyRows(html)).toEqual([
      '<tr data-trade-id="7"><td class="mono">7</td><td class="num trend--up">368,500.00</td></tr>',
      '<tr data-trade-id="8"><td class="mono">8</td><td class="num trend--down">368,400.00</td></tr>',
    ]);
  });

  it('says 暂无数据 (or the text given) across every column when there are no rows', () => {
    expect(bodyRows(render({ rows: [] }))).toEqual(['<tr><td colSpan="2" class="muted center">暂无数据</td></tr>']);
    expect(bodyRows(render({ rows: undefined, emptyText: '暂无成交' }))).toEqual(['<tr><td colSpan="2" class="muted center">暂无成交</td></tr>']);
  });

  it('says 加载中… while loading, in its own style and as a status, and not the empty text', () => {
    const html = render({ rows: undefined, loading: true, emptyText: '暂无成交' });
    expect(bodyRows(html)).toEqual(['<tr><td colSpan="2" class="muted center table__loading" role="status">加载中…</td></tr>']);
    expect(html).toContain('aria-busy="true"');
    expect(html).not.toContain('暂无成交');
  });

  it('keeps showing the rows it has while a refetch is loading', () => {
    const rows = bodyRows(render({ rows: [{ tradeId: '7', price: '1.00', side: 'buy' }], loading: true }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).not.toContain('加载中');
  });

  it('leaves out columns given as false, follows a row with its details, and scrolls in a focusable box', () => {
    const html = render({
      columns: [columns[0]!, false, { id: 'side', header: '方向', cell: (f) => f.side }],
      rows: [{ tradeId: '7', price: '1.00', side: 'buy' }],
      rowDetails: (f) => <tr className="subrow"><td colSpan={2}>details of {f.tradeId}</td></tr>,
      scroll: 'tall',
      quiet: true,
    });
    expect(html).toMatch(/^<div tabindex="0" class="scroll-box scroll-box--tall" aria-live="off"><table/);
    expect(html).toContain('<th scope="col">成交号</th><th scope="col">方向</th></tr>');
    expect(bodyRows(html)).toEqual(['<tr><td class="mono">7</td><td>buy</td></tr>', '<tr class="subrow"><td colSpan="2">details of 7</td></tr>']);
  });

  it('makes a row-header column a <th scope="row"> that names its row', () => {
    const html = render({ columns: [{ ...columns[0]!, rowHeader: true }, columns[1]!], rows: [{ tradeId: '7', price: '1.00', side: 'sell' }] });
    expect(bodyRows(html)).toEqual(['<tr><th scope="row" class="mono">7</th><td class="num trend--down">1.00</td></tr>']);
  });
});
