import type { MarketReport } from '../../contract/reports.ts';
import { labelOf, type ReportLabels } from '../../contract/report-labels.ts';

// The report as tables, once, for every export: the XLSX writes one sheet per table and the PDF
// prints the same tables, so the two files can never disagree.

export type CellKind = 'text' | 'money' | 'quantity' | 'count';
export type Cell = string | number | null;

export interface ReportColumn {
  header: string;
  kind: CellKind;
}

export interface ReportTable {
  title: string;
  columns: ReportColumn[];
  rows: Cell[][];
}

const text = (header: string): ReportColumn => ({ header, kind: 'text' });
const moneyCol = (header: string): ReportColumn => ({ header, kind: 'money' });
const quantityCol = (header: string): ReportColumn => ({ header, kind: 'quantity' });
const countCol = (header: string): ReportColumn => ({ header, kind: 'count' });

export function reportTables(report: MarketReport, l: ReportLabels): ReportTable[] {
  const c = l.columns;
  const type = (t: string) => labelOf(l.indicatorTypes, t);
  return [
    {
      title: l.sheets.summary,
      columns: [text(c.item), { header: c.value, kind: 'money' }],
      rows: [
        [l.summary.trades, report.totals.trades],
        [l.summary.turnover, report.totals.turnover],
        [l.summary.fees, report.totals.fees],
        [l.summary.listingsOpened, report.listings.opened],
        [l.summary.listingsAwarded, report.listings.awarded],
        [l.summary.listingsFailed, report.listings.failed],
        [l.summary.listingsCancelled, report.listings.cancelled],
      ],
    },
    {
      title: l.sheets.byIndicatorType,
      columns: [text(c.indicatorType), text(c.unit), countCol(c.trades), quantityCol(c.quantity), moneyCol(c.turnover)],
      rows: report.byIndicatorType.map((r) => [type(r.indicatorType), r.unit, r.trades, r.quantity, r.turnover]),
    },
    {
      title: l.sheets.byInstrument,
      columns: [text(c.symbol), text(c.name), text(c.unit), countCol(c.trades), quantityCol(c.quantity), moneyCol(c.turnover), moneyCol(c.vwap), moneyCol(c.high), moneyCol(c.low), moneyCol(c.close)],
      rows: report.byInstrument.map((r) => [r.symbol, r.nameZh, r.unit, r.trades, r.quantity, r.turnover, r.vwap, r.high, r.low, r.close]),
    },
    {
      title: l.sheets.byRegion,
      columns: [text(c.prefecture), text(c.region), text(c.indicatorType), text(c.unit), countCol(c.trades), quantityCol(c.quantity), moneyCol(c.turnover)],
      rows: report.byRegion.map((r) => [r.prefecture, r.region, type(r.indicatorType), r.unit, r.trades, r.quantity, r.turnover]),
    },
    {
      title: l.sheets.byParticipantKind,
      columns: [text(c.side), text(c.kind), countCol(c.trades), moneyCol(c.turnover)],
      rows: report.byParticipantKind.map((r) => [labelOf(l.sides, r.side), labelOf(l.kinds, r.kind), r.trades, r.turnover]),
    },
    {
      title: l.sheets.byVenue,
      columns: [text(c.venue), countCol(c.trades), moneyCol(c.turnover)],
      rows: report.byVenue.map((r) => [labelOf(l.venues, r.venue), r.trades, r.turnover]),
    },
    {
      title: l.sheets.registry,
      columns: [text(c.registryKind), text(c.indicatorType), text(c.unit), countCol(c.actions), quantityCol(c.quantity)],
      rows: report.registry.map((r) => [labelOf(l.registryKinds, r.kind), type(r.indicatorType), r.unit, r.actions, r.quantity]),
    },
    {
      title: l.sheets.alerts,
      columns: [text(c.rule), text(c.status), countCol(c.alerts)],
      rows: report.alerts.map((r) => [labelOf(l.rules, r.rule), labelOf(l.alertStatus, r.status), r.alerts]),
    },
    {
      title: l.sheets.topParticipants,
      columns: [text(c.participant), text(c.kind), countCol(c.trades), moneyCol(c.turnover), moneyCol(c.bought), moneyCol(c.sold)],
      rows: report.topParticipants.map((r) => [r.name, labelOf(l.kinds, r.kind), r.trades, r.turnover, r.bought, r.sold]),
    },
    {
      title: l.sheets.prices,
      columns: [text(c.symbol), text(c.day), moneyCol(c.vwap), moneyCol(c.high), moneyCol(c.low), moneyCol(c.reference)],
      rows: report.prices.flatMap((s) => s.points.map((p) => [s.symbol, p.day, p.vwap, p.high, p.low, p.reference])),
    },
  ];
}
