// npm run bench:reports [-- --trades 1000000 --fresh]
//
// A year of trading in a benchmark database — by default 1,000,000 trades over 2026 across every
// instrument, 200 participants in Jiangxi's eleven prefectures, 95% continuous market, 3% blocks,
// 2% listing awards, with daily reference prices, 5,000 uses/retirements and 20,000 alerts — then
// the regulator's daily, monthly and yearly reports through the API (JSON, XLSX, PDF), each the
// median of three runs. The yardstick, timed in the same sitting, is one plain scan summing the
// month's trades: the ratio says what the report costs beyond reading its rows. Seeding is kept
// between runs (a marker in platform_settings); --fresh rebuilds it.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.ts';
import { dropDatabase, ensureDatabase } from '../../server/infra/database.ts';
import { startPlatform } from '../../server/platform-factory.ts';
import { createStaffUser } from '../../server/admin/participants.ts';

const { values: args } = parseArgs({ options: { trades: { type: 'string', default: '1000000' }, fresh: { type: 'boolean', default: false } } });
const TRADES = Number(args.trades);
const say = (line: string) => process.stderr.write(`[bench:reports] ${line}\n`);
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ecorights_bench_reports';
const MARKER = `bench-reports-seeded-${TRADES}`;

const PREFECTURES: Array<[string, string[]]> = [
  ['南昌市', ['进贤县', '安义县', '南昌县']],
  ['九江市', ['永修县', '修水县', '都昌县']],
  ['上饶市', ['婺源县', '鄱阳县', '余干县']],
  ['抚州市', ['南丰县', '广昌县', '黎川县']],
  ['宜春市', ['靖安县', '铜鼓县', '宜丰县']],
  ['吉安市', ['遂川县', '井冈山市', '永新县']],
  ['赣州市', ['寻乌县', '安远县', '崇义县']],
  ['景德镇市', ['浮梁县', '乐平市']],
  ['萍乡市', ['芦溪县', '莲花县']],
  ['新余市', ['分宜县']],
  ['鹰潭市', ['余江区', '贵溪市']],
];
const PARTICIPANTS = 200;

if (args.fresh) await dropDatabase(DATABASE_URL).catch(() => {});
await ensureDatabase(DATABASE_URL);
const config = loadConfig({}, { DATABASE_URL, REDIS_PREFIX: 'bench_reports', DEMO: 'off', CLIENT_BUILD: 'off', PORT: 0, LOG_LEVEL: 'silent', SETTLEMENT_WORKERS: 0, LOGIN_RATE_LIMIT_PER_MINUTE: 1_000_000 });
const running = await startPlatform(config, { logger: false });
const { knex } = running.platform;

const seeded = await knex('platform_settings').where({ key: MARKER }).first();
if (!seeded) await seed();
else say(`reusing the seeded database (${TRADES.toLocaleString('en')} trades); --fresh rebuilds it`);

async function seed(): Promise<void> {
  const started = performance.now();
  if ((await knex('trades').count<{ count: string }[]>('* as count'))[0]!.count !== '0') {
    throw new Error(`${DATABASE_URL} holds trades from another run; rerun with --fresh`);
  }
  say(`seeding ${PARTICIPANTS} participants`);
  const regions = PREFECTURES.flatMap(([prefecture, counties]) => counties.map((county) => ({ prefecture, region: `${prefecture}${county}` })));
  const participants = Array.from({ length: PARTICIPANTS }, (_, i) => {
    const place = regions[i % regions.length]!;
    const government = i % 4 === 0;
    return { name: government ? `${place.region}自然资源局（基准${i}）` : `基准企业${i}有限公司`, kind: government ? 'government' : 'enterprise', ...place };
  });
  const ids = (await knex('participants').insert(participants).returning('id')).map((r: { id: string }) => Number(r.id));
  const [user] = await knex('users').insert({ username: 'bench-trader', password_hash: 'x', role: 'participant', participant_id: ids[0] }).returning('id');
  await knex.transaction((trx) => createStaffUser(trx, 'regulator', 'bench-reports-password', 'regulator'));

  // One resting buy and one sell order per participant and instrument for the book trades to name.
  const instruments = Number((await knex('instruments').count<{ count: string }[]>('* as count'))[0]!.count);
  await knex.raw(
    `INSERT INTO orders (id, participant_id, user_id, symbol, side, type, time_in_force, price, quantity, filled_quantity, status, priority, created_at, updated_at)
     SELECT 1000000000 + p.n * 64 + s.n * 2 + side.n, p.id, :user, s.symbol, CASE side.n WHEN 0 THEN 'buy' ELSE 'sell' END, 'limit', 'GTC',
            s.reference_price, 1000000, 0, 'open', p.n * 64 + s.n * 2 + side.n, '2026-01-01', '2026-01-01'
       FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM participants) p
      CROSS JOIN (SELECT symbol, reference_price, row_number() OVER (ORDER BY symbol) - 1 AS n FROM instruments) s
      CROSS JOIN (VALUES (0), (1)) side(n)`,
    { user: user.id },
  );

  // Trades over the Beijing trading hours of every day of 2026, in time order (as the engine
  // writes them), so the BRIN index sees what production sees.
  const CHUNK = 100_000;
  const yearSeconds = 365 * 86_400;
  for (let from = 0; from < TRADES; from += CHUNK) {
    const to = Math.min(TRADES, from + CHUNK);
    await knex.raw(
      `WITH s AS (SELECT symbol, reference_price, lot_size, row_number() OVER (ORDER BY symbol) - 1 AS n FROM instruments),
            p AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM participants),
            g AS (SELECT i, hashint4(i) AS h1, hashint4(i + 7919) AS h2, hashint4(i + 104729) AS h3 FROM generate_series(:from::int, :to::int - 1) i)
       INSERT INTO trades (id, symbol, price, quantity, amount, buyer_fee, seller_fee, buy_order_id, sell_order_id, buyer_id, seller_id,
                           aggressor_side, status, executed_at, venue, offbook_ref)
       SELECT 10000000 + g.i, s.symbol, x.price, x.quantity, round(x.price * x.quantity, 2), 0, 0,
              CASE WHEN x.venue = 'book' THEN 1000000000 + b.n * 64 + s.n * 2 END,
              CASE WHEN x.venue = 'book' THEN 1000000000 + sl.n * 64 + s.n * 2 + 1 END,
              b.id, sl.id, CASE WHEN g.h1 % 2 = 0 THEN 'buy' ELSE 'sell' END, 'settled',
              '2025-12-31T16:00:00Z'::timestamptz + (g.i::float8 / :total * :yearSeconds) * interval '1 second',
              x.venue, CASE WHEN x.venue <> 'book' THEN x.venue || ':' || g.i END
         FROM g
         JOIN s ON s.n = abs(g.h1) % :instruments
         JOIN p b ON b.n = abs(g.h2) % :participants
         JOIN p sl ON sl.n = (abs(g.h2) % :participants + 1 + abs(g.h3) % (:participants - 1)) % :participants
         CROSS JOIN LATERAL (SELECT
              round(s.reference_price * (0.95 + (abs(g.h3) % 1000) / 10000.0), 2) AS price,
              s.lot_size * (1 + abs(g.h1) % 50) AS quantity,
              CASE WHEN abs(g.h2) % 100 < 3 THEN 'block' WHEN abs(g.h2) % 100 < 5 THEN 'listing' ELSE 'book' END AS venue) x
        ORDER BY g.i`,
      { from, to, total: TRADES, yearSeconds, participants: PARTICIPANTS, instruments },
    );
    say(`trades ${to.toLocaleString('en')} / ${TRADES.toLocaleString('en')} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  say('daily reference prices, registry actions, alerts');
  await knex.raw(
    `INSERT INTO daily_prices (symbol, trading_day, close_price, method, volume, value, trades, previous_reference, closed_at)
     SELECT symbol, beijing_day(executed_at), round(sum(amount) / sum(quantity), 2), 'vwap', sum(quantity), sum(amount), count(*), min(price),
            max(executed_at)
       FROM trades WHERE venue = 'book' GROUP BY symbol, beijing_day(executed_at)`,
  );
  const [transfer] = await knex('journal_transfers').insert({ kind: 'bench', reference: 'bench-registry' }).returning('id');
  await knex.raw(
    `INSERT INTO registry_actions (participant_id, user_id, kind, symbol, quantity, request_id, project_name, approval_ref, beneficiary, reason, certificate_no, transfer_id, created_at)
     SELECT p.id, :user, CASE WHEN i % 3 = 0 THEN 'retire' ELSE 'use' END, s.symbol, 1 + i % 20, 'bench-' || i,
            CASE WHEN i % 3 <> 0 THEN '基准项目' END, CASE WHEN i % 3 <> 0 THEN '基准批复' END,
            CASE WHEN i % 3 = 0 THEN '基准受益方' END, CASE WHEN i % 3 = 0 THEN '基准注销' END,
            'BENCH-' || i, :transfer, '2025-12-31T16:00:00Z'::timestamptz + (i / 5000.0 * 365) * interval '1 day'
       FROM generate_series(0, 4999) i
       JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM participants) p ON p.n = i % :participants
       JOIN (SELECT symbol, row_number() OVER (ORDER BY symbol) - 1 AS n FROM instruments) s ON s.n = i % :instruments`,
    { user: user.id, transfer: transfer.id, participants: PARTICIPANTS, instruments },
  );
  await knex.raw(
    `INSERT INTO alerts (rule, severity, symbol, participant_ids, message, dedupe_key, status, created_at, acknowledged_at, acknowledged_by, acknowledgement_note)
     SELECT (ARRAY['wash_trading','spoofing','abnormal_price','concentration','marking_the_close'])[1 + i % 5], 'warning', s.symbol, '{}', 'bench',
            'bench-' || i, a.status, a.at, CASE WHEN a.status = 'acknowledged' THEN a.at END,
            CASE WHEN a.status = 'acknowledged' THEN :user::bigint END, CASE WHEN a.status = 'acknowledged' THEN '基准' END
       FROM generate_series(0, 19999) i JOIN (SELECT symbol, row_number() OVER (ORDER BY symbol) - 1 AS n FROM instruments) s ON s.n = i % :instruments
      CROSS JOIN LATERAL (SELECT CASE WHEN i % 4 = 0 THEN 'open' ELSE 'acknowledged' END AS status,
                                 '2025-12-31T16:00:00Z'::timestamptz + (i / 20000.0 * 365) * interval '1 day' AS at) a`,
    { instruments, user: user.id },
  );
  // What autovacuum does in production: summarize the BRIN ranges the inserts filled.
  await knex.raw('VACUUM ANALYZE');
  await knex('platform_settings').insert({ key: MARKER, value: JSON.stringify({ seededAt: new Date().toISOString() }) });
  say(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

const login = await running.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'regulator', password: 'bench-reports-password' } });
const token = login.json<{ token: string }>().token;

async function timed(what: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await what();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[1]!;
}

const get = (url: string) => async () => {
  const res = await running.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res;
};

const yardstickMs = await timed(() =>
  knex.raw(`SELECT count(*), sum(amount) FROM trades WHERE executed_at >= beijing_day_start('2026-06-01') AND executed_at < beijing_day_start('2026-07-01')`),
);
const periods = [
  ['daily', 'period=day&date=2026-06-15'],
  ['monthly', 'period=month&date=2026-06-15'],
  ['yearly', 'period=year&date=2026-06-15'],
] as const;
const rows: Array<{ report: string; trades: number; jsonMs: number; xlsxMs: number; pdfMs: number }> = [];
for (const [report, query] of periods) {
  say(`timing the ${report} report`);
  const json = await get(`/api/regulator/reports?${query}`)();
  const trades = json.json<{ totals: { trades: number } }>().totals.trades;
  rows.push({
    report,
    trades,
    jsonMs: await timed(get(`/api/regulator/reports?${query}`)),
    xlsxMs: await timed(get(`/api/regulator/reports.xlsx?${query}`)),
    pdfMs: await timed(get(`/api/regulator/reports.pdf?${query}`)),
  });
}
await running.close();

const ms = (v: number) => v.toFixed(0).padStart(8);
console.log(`\nbench:reports — ${TRADES.toLocaleString('en')} trades in 2026, median of 3, yardstick (plain scan of June's trades) ${yardstickMs.toFixed(0)} ms`);
console.log('report    trades in period      JSON ms   XLSX ms    PDF ms   JSON/yardstick');
for (const r of rows) console.log(`${r.report.padEnd(9)} ${r.trades.toLocaleString('en').padStart(16)} ${ms(r.jsonMs)}  ${ms(r.xlsxMs)}  ${ms(r.pdfMs)}   ${(r.jsonMs / yardstickMs).toFixed(1).padStart(8)}`);
const monthly = rows.find((r) => r.report === 'monthly')!;
console.log(`monthly report under 2 s: ${Math.max(monthly.jsonMs, monthly.xlsxMs, monthly.pdfMs) < 2000 ? 'yes' : 'NO'}`);
console.log(JSON.stringify({ bench: 'reports', trades: TRADES, yardstickMs: Math.round(yardstickMs), reports: rows.map((r) => ({ ...r, jsonMs: Math.round(r.jsonMs), xlsxMs: Math.round(r.xlsxMs), pdfMs: Math.round(r.pdfMs) })) }));
