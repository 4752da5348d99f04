import PDFDocument from 'pdfkit';
import type { MarketReport } from '../../contract/reports.ts';
import { beijingTime } from '../certificates/certificate-pdf.ts';
import { registerPdfFonts } from '../shared/pdf-fonts.ts';
import { labelOf, type ReportLabels } from '../../contract/report-labels.ts';
import { reportTables, type Cell, type ReportTable } from './report-tables.ts';

// The print-ready report: A4 landscape, embedded CJK fonts, a bar chart of turnover by indicator
// type, then the same tables the XLSX holds. Long tables continue on the next page with their
// header repeated.

const MARGIN = 40;
const ROW_HEIGHT = 16;
const GREEN = '#1f5f3f';

const grouped = (value: string) => {
  const [whole, fraction] = value.split('.');
  const withCommas = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? withCommas : `${withCommas}.${fraction}`;
};

function printed(cell: Cell): string {
  if (cell === null) return '—';
  if (typeof cell === 'number') return grouped(String(cell));
  return /^-?\d+(\.\d+)?$/.test(cell) ? grouped(cell) : cell;
}

export function renderReportPdf(report: MarketReport, labels: ReportLabels): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', layout: 'landscape', margin: MARGIN, info: { Title: `${labels.title} ${report.period.from}–${report.period.to}`, Author: 'EcoRights Exchange 生态权益指标交易平台' } });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    registerPdfFonts(pdf);

    const width = pdf.page.width - 2 * MARGIN;
    pdf.font('bold').fontSize(18).fillColor('#000').text(`${labels.title}（${labels.period[report.period.kind]}）`, { align: 'center' });
    pdf.font('regular').fontSize(10).fillColor('#555')
      .text(`${labels.covers}：${report.period.from} — ${report.period.to}    ${labels.generated}：${beijingTime(report.generatedAt)}`, { align: 'center' });
    pdf.moveTo(MARGIN, pdf.y + 4).lineTo(MARGIN + width, pdf.y + 4).strokeColor(GREEN).lineWidth(1.5).stroke();
    pdf.moveDown(1);

    turnoverChart(pdf, report, labels, width);
    for (const table of reportTables(report, labels)) printTable(pdf, table, labels, width);
    pdf.moveDown(1).font('regular').fontSize(8).fillColor('#555').text(labels.source, MARGIN, pdf.y, { width });
    pdf.end();
  });
}

function turnoverChart(pdf: PDFKit.PDFDocument, report: MarketReport, labels: ReportLabels, width: number): void {
  const rows = report.byIndicatorType;
  pdf.font('bold').fontSize(11).fillColor(GREEN).text(labels.chartTurnover, MARGIN, pdf.y);
  pdf.moveDown(0.3);
  if (rows.length === 0) {
    pdf.font('regular').fontSize(9).fillColor('#555').text(labels.none);
    pdf.moveDown(0.8);
    return;
  }
  const largest = Math.max(...rows.map((r) => Number(r.turnover)), 1);
  const labelWidth = 180;
  const barSpace = width - labelWidth - 120;
  for (const row of rows) {
    const y = pdf.y;
    pdf.font('regular').fontSize(9).fillColor('#000').text(labelOf(labels.indicatorTypes, row.indicatorType), MARGIN, y + 2, { width: labelWidth });
    const barWidth = Math.max(1, (Number(row.turnover) / largest) * barSpace);
    pdf.rect(MARGIN + labelWidth, y, barWidth, ROW_HEIGHT - 4).fill(GREEN);
    pdf.fillColor('#000').text(`¥${printed(row.turnover)}`, MARGIN + labelWidth + barWidth + 6, y + 2, { width: 120, lineBreak: false });
    pdf.y = y + ROW_HEIGHT;
  }
  pdf.x = MARGIN;
  pdf.moveDown(0.8);
}

function printTable(pdf: PDFKit.PDFDocument, table: ReportTable, labels: ReportLabels, width: number): void {
  const bottom = () => pdf.page.height - MARGIN - ROW_HEIGHT;
  if (pdf.y > bottom() - 3 * ROW_HEIGHT) pdf.addPage();
  pdf.font('bold').fontSize(11).fillColor(GREEN).text(table.title, MARGIN, pdf.y);
  pdf.moveDown(0.2);
  const textColumns = table.columns.filter((c) => c.kind === 'text').length;
  const unit = width / (table.columns.length + textColumns); // text columns get twice the room
  const widths = table.columns.map((c) => (c.kind === 'text' ? 2 * unit : unit));
  const line = (cells: string[], bold: boolean) => {
    if (pdf.y > bottom()) {
      pdf.addPage();
      if (!bold) line(table.columns.map((c) => c.header), true);
    }
    const y = pdf.y;
    let x = MARGIN;
    pdf.font(bold ? 'bold' : 'regular').fontSize(8).fillColor('#000');
    cells.forEach((cell, i) => {
      const align = table.columns[i]!.kind === 'text' ? 'left' : 'right';
      pdf.text(cell, x + 2, y + 3, { width: widths[i]! - 4, align, lineBreak: false, ellipsis: true });
      x += widths[i]!;
    });
    pdf.moveTo(MARGIN, y + ROW_HEIGHT).lineTo(MARGIN + width, y + ROW_HEIGHT).strokeColor(bold ? '#888' : '#ddd').lineWidth(0.5).stroke();
    pdf.y = y + ROW_HEIGHT;
  };
  line(table.columns.map((c) => c.header), true);
  if (table.rows.length === 0) line([labels.none, ...table.columns.slice(1).map(() => '')], false);
  for (const row of table.rows) line(row.map(printed), false);
  pdf.x = MARGIN;
  pdf.moveDown(0.8);
}
