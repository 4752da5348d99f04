import type { Knex } from 'knex';
import type {
  AlertRow,
  IndicatorTypeRow,
  InstrumentRow,
  MarketReport,
  ParticipantKindRow,
  PriceSeries,
  RegionRow,
  RegistryRow,
  ReportPeriod,
  TopParticipantRow,
  VenueRow,
} from '../../contract/reports.ts';
import { withSpecs, type InstrumentSpec } from '../instruments/instrument-spec.ts';
import { fixed, money, ZERO, type Dec } from '../shared/decimal.ts';
import * as q from './report-queries.ts';

// Builds a report from the queries: the rows become the contract's shapes, formatted to each
// instrument's precision. Sums across instruments (by indicator type) are added here in decimals
// from the per-instrument sums PostgreSQL computed, so nothing is rounded twice.

const TOP_PARTICIPANTS = 10;

export type SpecOf = (symbol: string) => InstrumentSpec | undefined;

const moneyOrNull = (value: string | null) => (value === null ? null : money(value));

export async function marketReport(db: Knex, period: ReportPeriod, specOf: SpecOf, now: Date): Promise<MarketReport> {
  const [instruments, regions, kinds, venues, top, listings, registry, alerts, prices] = await Promise.all([
    q.instrumentFigures(db, period),
    q.regionFigures(db, period),
    q.participantKindFigures(db, period),
    q.venueFigures(db, period),
    q.topParticipantFigures(db, period, TOP_PARTICIPANTS),
    q.listingFigures(db, period),
    q.registryFigures(db, period),
    q.alertFigures(db, period),
    q.pricePoints(db, period),
  ]);
  const known = <T extends { symbol: string }>(rows: T[]) => withSpecs(rows, specOf);

  const byInstrument: InstrumentRow[] = known(instruments).map(({ row, spec }) => ({
    symbol: spec.symbol,
    nameZh: spec.row.name_zh,
    name: spec.row.name,
    indicatorType: spec.row.indicator_type,
    unit: spec.row.unit,
    trades: Number(row.trades),
    quantity: fixed(row.quantity, spec.qtyPlaces),
    turnover: money(row.turnover),
    vwap: moneyOrNull(row.vwap),
    high: moneyOrNull(row.high),
    low: moneyOrNull(row.low),
    close: moneyOrNull(row.close),
  }));

  return {
    period,
    generatedAt: now.toISOString(),
    totals: {
      trades: instruments.reduce((n, row) => n + Number(row.trades), 0),
      turnover: money(sum(instruments.map((row) => row.turnover))),
      fees: money(sum(instruments.map((row) => row.fees))),
    },
    byIndicatorType: byIndicatorType(known(instruments)),
    byInstrument,
    byRegion: byRegion(known(regions)),
    byParticipantKind: kinds.map((row): ParticipantKindRow => ({ side: row.side, kind: row.kind, trades: Number(row.trades), turnover: money(row.turnover) })),
    byVenue: venues.map((row): VenueRow => ({ venue: row.venue, trades: Number(row.trades), turnover: money(row.turnover) })),
    listings: { opened: Number(listings.opened), awarded: Number(listings.awarded), failed: Number(listings.failed), cancelled: Number(listings.cancelled) },
    registry: byRegistryKind(known(registry)),
    alerts: alerts.map((row): AlertRow => ({ rule: row.rule, status: row.status, alerts: Number(row.alerts) })),
    topParticipants: top.map(
      (row): TopParticipantRow => ({
        participantId: String(row.participant_id),
        name: row.name,
        kind: row.kind,
        trades: Number(row.trades),
        turnover: money(row.turnover),
        bought: money(row.bought),
        sold: money(row.sold),
      }),
    ),
    prices: priceSeries(known(prices)),
  };
}

function sum(values: string[]): Dec {
  return values.reduce((total, value) => total.plus(value), ZERO);
}

interface Figures {
  trades: number;
  quantity: string;
  turnover: string;
}

interface Grouped<L> {
  labels: L;
  indicatorType: string;
  unit: string;
  trades: number;
  quantity: string;
  turnover: string;
}

/** Sums per-instrument figures into groups of one indicator type and unit, labelled by `labels`. */
function groupByType<L extends object, R>(rows: Array<{ row: R; spec: InstrumentSpec }>, figures: (row: R) => Figures, labels: (row: R) => L): Array<Grouped<L>> {
  const groups = new Map<string, { labels: L; spec: InstrumentSpec; places: number; trades: number; quantity: Dec; turnover: Dec }>();
  for (const { row, spec } of rows) {
    const own = labels(row);
    const key = JSON.stringify([own, spec.row.indicator_type, spec.row.unit]);
    const group = groups.get(key) ?? { labels: own, spec, places: 0, trades: 0, quantity: ZERO, turnover: ZERO };
    const f = figures(row);
    group.places = Math.max(group.places, spec.qtyPlaces);
    group.trades += f.trades;
    group.quantity = group.quantity.plus(f.quantity);
    group.turnover = group.turnover.plus(f.turnover);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({
    labels: g.labels,
    indicatorType: g.spec.row.indicator_type,
    unit: g.spec.row.unit,
    trades: g.trades,
    quantity: g.quantity.toFixed(g.places),
    turnover: money(g.turnover),
  }));
}

const tradeFigures = (row: { trades: string; quantity: string; turnover: string }): Figures => ({ trades: Number(row.trades), quantity: row.quantity, turnover: row.turnover });

function byIndicatorType(rows: Array<{ row: q.InstrumentFiguresRow; spec: InstrumentSpec }>): IndicatorTypeRow[] {
  return groupByType(rows, tradeFigures, () => ({})).map(({ labels: _, ...figures }) => figures);
}

function byRegion(rows: Array<{ row: q.RegionFiguresRow; spec: InstrumentSpec }>): RegionRow[] {
  return groupByType(rows, tradeFigures, (row) => ({ prefecture: row.prefecture, region: row.region })).map(({ labels, ...figures }) => ({ ...labels, ...figures }));
}

function byRegistryKind(rows: Array<{ row: q.RegistryFiguresRow; spec: InstrumentSpec }>): RegistryRow[] {
  const figures = (row: q.RegistryFiguresRow): Figures => ({ trades: Number(row.actions), quantity: row.quantity, turnover: '0' });
  return groupByType(rows, figures, (row) => ({ kind: row.kind })).map((g) => ({ kind: g.labels.kind, indicatorType: g.indicatorType, unit: g.unit, actions: g.trades, quantity: g.quantity }));
}

function priceSeries(rows: Array<{ row: q.PricePointRow; spec: InstrumentSpec }>): PriceSeries[] {
  const series = new Map<string, PriceSeries>();
  for (const { row, spec } of rows) {
    const entry = series.get(spec.symbol) ?? { symbol: spec.symbol, nameZh: spec.row.name_zh, name: spec.row.name, points: [] };
    entry.points.push({ day: row.day, vwap: moneyOrNull(row.vwap), high: moneyOrNull(row.high), low: moneyOrNull(row.low), reference: moneyOrNull(row.reference) });
    series.set(spec.symbol, entry);
  }
  return [...series.values()];
}
