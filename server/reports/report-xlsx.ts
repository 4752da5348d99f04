import ExcelJS from 'exceljs';
import type { MarketReport } from '../../contract/reports.ts';
import type { ReportLabels } from '../../contract/report-labels.ts';
import { reportTables, type Cell, type CellKind } from './report-tables.ts';

// One sheet per table. Figures are numbers with a number format, so a reader can sum and chart
// them in Excel/WPS; the API's decimal strings become doubles only here, where money stays far
// inside the 15 significant digits a double carries exactly.

const FORMATS: Record<Exclude<CellKind, 'text'>, string> = {
  money: '"¥"#,##0.00',
  quantity: '#,##0.####',
  count: '#,##0',
};

function cellValue(cell: Cell, kind: CellKind): { value: string | number | null; numFmt?: string } {
  if (cell === null) return { value: null };
  if (typeof cell === 'number') return { value: cell, numFmt: FORMATS.count };
  if (kind === 'text') return { value: cell };
  return { value: Number(cell), numFmt: FORMATS[kind] };
}

export async function renderReportXlsx(report: MarketReport, labels: ReportLabels): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'EcoRights Exchange';
  workbook.created = new Date(report.generatedAt);
  workbook.title = `${labels.title} ${report.period.from}–${report.period.to}`;
  for (const table of reportTables(report, labels)) {
    const sheet = workbook.addWorksheet(table.title, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.columns.map((column) => ({ header: column.header, width: column.kind === 'text' ? 24 : 18 }));
    sheet.getRow(1).font = { bold: true };
    for (const row of table.rows) {
      const added = sheet.addRow(row.map((cell, i) => cellValue(cell, table.columns[i]!.kind).value));
      row.forEach((cell, i) => {
        const { numFmt } = cellValue(cell, table.columns[i]!.kind);
        if (numFmt) added.getCell(i + 1).numFmt = numFmt;
      });
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
