import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { createStaffUser } from '../admin/participants.ts';
import { markDemoDatabase, type DemoUser } from '../setup/demo-database.ts';
import { registerLot } from '../admin/lot-registration.ts';
import { placeholderDocuments } from './demo-documents.ts';

export type { DemoUser };

// Published in the README and on the login page: only ever set in a database marked as a demo.
export const DEMO_PASSWORD = 'jiangxi-demo-2026';
const PASSWORD = DEMO_PASSWORD;

// Real Jiangxi counties and the kinds of bodies that trade there; the enterprises are illustrative.
const PARTICIPANTS = [
  { key: 'wuyuan', name: '婺源县自然资源局', kind: 'government', region: '上饶市婺源县' },
  { key: 'xunwu', name: '寻乌县自然资源局', kind: 'government', region: '赣州市寻乌县' },
  { key: 'yongxiu', name: '永修县自然资源局', kind: 'government', region: '九江市永修县' },
  { key: 'nanfeng', name: '南丰县自然资源局', kind: 'government', region: '抚州市南丰县' },
  { key: 'ncjt', name: '南昌城市建设投资发展有限公司', kind: 'enterprise', region: '南昌市红谷滩区' },
  { key: 'ganjiang', name: '赣江新区产业园开发建设有限公司', kind: 'enterprise', region: '赣江新区' },
  { key: 'lvlin', name: '江西绿林碳汇林业发展有限公司', kind: 'enterprise', region: '吉安市遂川县' },
] as const;

const DEPOSITS: Record<string, string> = { ncjt: '80000000.00', ganjiang: '50000000.00', lvlin: '2000000.00' };

const LOTS = [
  { holder: 'wuyuan', indicatorType: 'farmland', symbol: 'FARMLAND-QTY', quantity: '126.50', region: '上饶市婺源县', sourceProject: '婺源县2025年高标准农田建设新增耕地项目', verificationRef: '饶自然资验〔2025〕37号', vintage: 2025, attributes: { landType: '水田', qualityGrade: 5 } },
  { holder: 'wuyuan', indicatorType: 'farmland', symbol: 'FARMLAND-PADDY', quantity: '88.00', region: '上饶市婺源县', sourceProject: '婺源县2025年旱改水项目', verificationRef: '饶自然资验〔2025〕41号', vintage: 2025, attributes: { landType: '水田', qualityGrade: 4 } },
  { holder: 'wuyuan', indicatorType: 'farmland', symbol: 'FARMLAND-GRAIN', quantity: '65000', region: '上饶市婺源县', sourceProject: '婺源县2025年旱改水项目', verificationRef: '饶自然资产能〔2025〕12号', vintage: 2025, attributes: {} },
  { holder: 'xunwu', indicatorType: 'farmland', symbol: 'FARMLAND-QTY', quantity: '85.30', region: '赣州市寻乌县', sourceProject: '寻乌县废弃矿山复垦新增耕地项目', verificationRef: '赣市自然资验〔2025〕108号', vintage: 2025, attributes: { landType: '旱地', qualityGrade: 8 } },
  { holder: 'yongxiu', indicatorType: 'wetland', symbol: 'WETLAND', quantity: '62.40', region: '九江市永修县', sourceProject: '鄱阳湖永修段退化湿地修复工程', verificationRef: '九自然资湿〔2025〕9号', vintage: 2025, attributes: {} },
  { holder: 'nanfeng', indicatorType: 'land_linkage', symbol: 'LAND-LINKAGE', quantity: '150.00', region: '抚州市南丰县', sourceProject: '南丰县农村建设用地拆旧复垦项目', verificationRef: '抚自然资挂〔2025〕22号', vintage: 2025, attributes: {} },
  { holder: 'lvlin', indicatorType: 'carbon_sink', symbol: 'CARBON-2024', quantity: '18000', region: '吉安市遂川县', sourceProject: '遂川县森林经营碳汇项目', verificationRef: 'JX-FCER-2024-0317', vintage: 2024, attributes: { methodology: 'CCER-14-001-V01', serialFrom: 'JXFC2024000001', serialTo: 'JXFC2024018000' } },
  { holder: 'lvlin', indicatorType: 'carbon_sink', symbol: 'CARBON-2023', quantity: '12000', region: '吉安市遂川县', sourceProject: '遂川县森林经营碳汇项目', verificationRef: 'JX-FCER-2023-0211', vintage: 2023, attributes: { methodology: 'CCER-14-001-V01', serialFrom: 'JXFC2023000001', serialTo: 'JXFC2023012000' } },
] as const;

// Resting quotes and a few crossing orders, so the demo opens on a live market with history.
const ORDERS: Array<{ who: string; symbol: string; side: 'buy' | 'sell'; price: string; quantity: string }> = [
  { who: 'wuyuan', symbol: 'FARMLAND-QTY', side: 'sell', price: '372000.00', quantity: '20.00' },
  { who: 'xunwu', symbol: 'FARMLAND-QTY', side: 'sell', price: '375500.00', quantity: '15.00' },
  { who: 'wuyuan', symbol: 'FARMLAND-QTY', side: 'sell', price: '380000.00', quantity: '30.00' },
  { who: 'ncjt', symbol: 'FARMLAND-QTY', side: 'buy', price: '365000.00', quantity: '10.00' },
  { who: 'ganjiang', symbol: 'FARMLAND-QTY', side: 'buy', price: '362500.00', quantity: '12.50' },
  { who: 'ncjt', symbol: 'FARMLAND-QTY', side: 'buy', price: '372000.00', quantity: '5.00' },
  { who: 'wuyuan', symbol: 'FARMLAND-PADDY', side: 'sell', price: '128000.00', quantity: '20.00' },
  { who: 'ganjiang', symbol: 'FARMLAND-PADDY', side: 'buy', price: '122000.00', quantity: '8.00' },
  { who: 'wuyuan', symbol: 'FARMLAND-GRAIN', side: 'sell', price: '3.30', quantity: '20000' },
  { who: 'ncjt', symbol: 'FARMLAND-GRAIN', side: 'buy', price: '3.10', quantity: '10000' },
  { who: 'nanfeng', symbol: 'LAND-LINKAGE', side: 'sell', price: '286000.00', quantity: '40.00' },
  { who: 'ganjiang', symbol: 'LAND-LINKAGE', side: 'buy', price: '275000.00', quantity: '10.00' },
  { who: 'ganjiang', symbol: 'LAND-LINKAGE', side: 'buy', price: '286000.00', quantity: '6.00' },
  { who: 'yongxiu', symbol: 'WETLAND', side: 'sell', price: '89500.00', quantity: '25.00' },
  { who: 'ncjt', symbol: 'WETLAND', side: 'buy', price: '86000.00', quantity: '5.00' },
  { who: 'lvlin', symbol: 'CARBON-2024', side: 'sell', price: '63.50', quantity: '3000' },
  { who: 'lvlin', symbol: 'CARBON-2024', side: 'sell', price: '64.20', quantity: '5000' },
  { who: 'ncjt', symbol: 'CARBON-2024', side: 'buy', price: '61.00', quantity: '2000' },
  { who: 'ganjiang', symbol: 'CARBON-2024', side: 'buy', price: '63.50', quantity: '1200' },
  { who: 'lvlin', symbol: 'CARBON-2023', side: 'sell', price: '59.00', quantity: '4000' },
  { who: 'ganjiang', symbol: 'CARBON-2023', side: 'buy', price: '56.80', quantity: '1500' },
];

// Listing auctions (挂牌竞价) so the board opens populated: one open for bidding (with a first
// bid), one in registration whose bidding starts in two days. Windows are relative to seeding;
// they are shorter than the instruments' minimum windows, so the seed lowers those through the
// operator's endpoint while it lists and puts them back after (see seedDemoListings).
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const LISTINGS = [
  {
    seller: 'nanfeng',
    body: {
      symbol: 'LAND-LINKAGE',
      title: '南丰县2025年度城乡建设用地增减挂钩节余指标挂牌竞价',
      description: '抚州市南丰县农村建设用地拆旧复垦项目节余指标，经抚自然资挂〔2025〕22号验收。',
      mode: 'open',
      quantity: '20.00',
      startPrice: '280000.00',
      bidIncrement: '1000.00',
      marginPct: '10',
      antiSnipingSeconds: 300,
    },
    windows: { registrationOpensAt: 0, registrationClosesAt: 3 * DAY, biddingOpensAt: 0, biddingClosesAt: 3 * DAY },
    bids: [{ who: 'ganjiang', price: '281000.00' }],
  },
  {
    seller: 'yongxiu',
    body: {
      symbol: 'WETLAND',
      title: '永修县鄱阳湖退化湿地修复湿地占补平衡指标挂牌竞价',
      description: '九江市永修县鄱阳湖永修段退化湿地修复工程形成的湿地占补平衡指标。',
      mode: 'open',
      quantity: '10.00',
      startPrice: '88000.00',
      bidIncrement: '500.00',
      marginPct: '10',
      antiSnipingSeconds: 300,
    },
    windows: { registrationOpensAt: 0, registrationClosesAt: 2 * DAY, biddingOpensAt: 2 * DAY, biddingClosesAt: 2 * DAY + 2 * 60 * MINUTE },
    bids: [],
  },
] as const;

type Minimums = { registrationWorkingDays: number; biddingWorkingDays: number };

/**
 * Lists the demo auctions. A demo wants them live at once, which the minimum windows forbid, so
 * the minimums of their instruments are lowered to nothing for the seeding only — through the
 * operator's own endpoint, audited like any change — and put back as they were.
 */
async function seedDemoListings(app: FastifyInstance, operator: string, tokens: Map<string, string>): Promise<void> {
  const instruments = await call<Array<{ symbol: string; listingMinimums: Minimums }>>(app, 'GET', '/api/instruments', null);
  const symbols: string[] = [...new Set(LISTINGS.map((l) => l.body.symbol))];
  const saved = new Map(instruments.filter((i) => symbols.includes(i.symbol)).map((i) => [i.symbol, i.listingMinimums]));
  const setMinimums = (symbol: string, m: Minimums) => call(app, 'PUT', `/api/admin/instruments/${symbol}/listing-minimums`, operator, m);
  for (const symbol of symbols) await setMinimums(symbol, { registrationWorkingDays: 0, biddingWorkingDays: 0 });
  try {
    const now = app.platform.clock.now().getTime(); // market time: a simulation starts its listings on its own clock
    const at = (offset: number) => new Date(now + offset).toISOString();
    for (const l of LISTINGS) {
      const windows = Object.fromEntries(Object.entries(l.windows).map(([k, offset]) => [k, at(offset)]));
      if (!tokens.has(l.seller)) tokens.set(l.seller, await login(app, l.seller));
      const listing = await call<{ id: string }>(app, 'POST', '/api/listings', tokens.get(l.seller)!, { ...l.body, ...windows });
      for (const b of l.bids) {
        if (!tokens.has(b.who)) tokens.set(b.who, await login(app, b.who));
        await call(app, 'POST', `/api/listings/${listing.id}/registrations`, tokens.get(b.who)!, {});
        await call(app, 'POST', `/api/listings/${listing.id}/bids`, tokens.get(b.who)!, { price: b.price });
      }
    }
  } finally {
    for (const [symbol, m] of saved) await setMinimums(symbol, m);
  }
}

const PENDING_SUBMISSION = {
  seller: 'xunwu',
  fields: {
    symbol: 'FARMLAND-QTY',
    quantity: '42.60',
    divisionCode: '360734',
    sourceProject: '寻乌县2025年土地整治新增耕地项目',
    acceptanceNo: '赣市自然资验〔2025〕131号',
    filingNo: 'BA-360734-2025-0087',
    qualityGrade: '7',
    landType: '水田',
    plotIds: '3607342025001,3607342025002',
    vintage: '2025',
  },
} as const;

async function seedPendingSubmission(app: FastifyInstance, knex: Knex, participantId: string): Promise<void> {
  const user = await knex('users').where({ username: PENDING_SUBMISSION.seller }).first<{ id: string }>('id');
  await app.platform.lotSubmissions.submit(
    { id: String(user.id), username: PENDING_SUBMISSION.seller, participantId, participantKind: 'government' },
    { fields: { ...PENDING_SUBMISSION.fields }, documents: placeholderDocuments(PENDING_SUBMISSION.fields.filingNo) },
  );
}

async function call<T>(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT', url: string, token: string | null, payload?: object): Promise<T> {
  const response = await app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (response.statusCode >= 300) throw new Error(`demo seed: ${method} ${url} answered ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

const login = async (app: FastifyInstance, username: string) =>
  (await call<{ token: string }>(app, 'POST', '/api/auth/login', null, { username, password: PASSWORD })).token;

/**
 * Seeds a working demo market through the public API, so demo data obeys every rule real data
 * does: participants, deposits, verified lots, resting quotes, a few trades and listing auctions.
 */
export async function seedDemoData(app: FastifyInstance, knex: Knex, progress: (step: string) => void = () => {}): Promise<DemoUser[]> {
  const users: DemoUser[] = [
    { username: 'operator', password: PASSWORD, role: 'operator', participantName: null },
    { username: 'operator2', password: PASSWORD, role: 'operator', participantName: null },
    { username: 'regulator', password: PASSWORD, role: 'regulator', participantName: null },
    ...PARTICIPANTS.map((p) => ({ username: p.key, password: PASSWORD, role: `participant:${p.kind}`, participantName: p.name })),
  ];
  // The mark commits with the first known password, so no database holds one unmarked, even
  // when seeding stops half way.
  await knex.transaction(async (trx) => {
    await markDemoDatabase(trx, users);
    await createStaffUser(trx, 'operator', PASSWORD, 'operator');
    // Four eyes: a lot submission is approved by an operator other than its reviewer.
    await createStaffUser(trx, 'operator2', PASSWORD, 'operator');
    await createStaffUser(trx, 'regulator', PASSWORD, 'regulator');
  });
  const operator = await login(app, 'operator');
  const ids = new Map<string, string>();
  progress(`participants (${PARTICIPANTS.length})`);
  for (const p of PARTICIPANTS) {
    const created = await call<{ participant: { id: string } }>(app, 'POST', '/api/admin/participants', operator, {
      name: p.name,
      kind: p.kind,
      region: p.region,
      username: p.key,
      password: PASSWORD,
    });
    ids.set(p.key, created.participant.id);
  }
  progress('deposits');
  for (const [key, amount] of Object.entries(DEPOSITS)) {
    await call(app, 'POST', '/api/admin/deposits', operator, { participantId: ids.get(key), amount, reference: `DEMO-${key.toUpperCase()}-001` });
  }
  progress(`verified lots (${LOTS.length})`);
  // Demo lots are the result of reviews that happened before the demo: registered in-process,
  // through the issuance a second operator's approval runs. One more waits in the review queue.
  const operatorRow = await knex('users').where({ username: 'operator' }).first<{ id: string }>('id');
  for (const { holder, ...lot } of LOTS) {
    const spec = app.platform.instruments.spec(lot.symbol)!;
    await registerLot(knex, { id: String(operatorRow.id), username: 'operator' }, spec, { participantId: ids.get(holder)!, ...lot, vintage: lot.vintage, attributes: { ...lot.attributes } });
    app.platform.bus.emit('balance', ids.get(holder)!);
  }
  progress('a lot submission awaiting review');
  await seedPendingSubmission(app, knex, ids.get(PENDING_SUBMISSION.seller)!);
  progress(`orders (${ORDERS.length})`);
  const tokens = new Map<string, string>();
  for (const o of ORDERS) {
    if (!tokens.has(o.who)) tokens.set(o.who, await login(app, o.who));
    await call(app, 'POST', '/api/orders', tokens.get(o.who)!, { symbol: o.symbol, side: o.side, type: 'limit', price: o.price, quantity: o.quantity, timeInForce: 'GTC' });
  }
  progress(`listing auctions (${LISTINGS.length})`);
  await seedDemoListings(app, operator, tokens);
  return users;
}
