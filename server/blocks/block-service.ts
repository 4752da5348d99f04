import { conflict, forbidden, notFound, unprocessable } from '../errors.ts';
import { knownSpec } from '../instruments/instrument-input.ts';
import type { Actor, SystemActor } from '../engine/commands.ts';
import { CASH } from '../engine/assets.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { buyerCost } from '../ledger/trade-economics.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { dec } from '../shared/decimal.ts';
import type { DueWork } from '../sessions/market-scheduler.ts';
import { KeyedLane } from '../offbook/keyed-lane.ts';
import { findOffBookTrade, reservationOf, SYSTEM_ACTOR, tradeOf } from '../offbook/off-book.ts';
import { blockBand, lotsOf, ticksOf } from './block-rules.ts';
import { blockView, type BlockRow, type BlockStatus, type BlockView } from './block-views.ts';
import type { MarketServiceDeps } from '../market/market-service-deps.ts';

declare module '../platform.ts' {
  interface Platform {
    blocks: BlockService;
  }
}

export interface BlockServiceOptions extends MarketServiceDeps {
  /** How long a counterparty has to confirm, unless the proposal says less. */
  confirmMinutes: number;
  /** Half-width of the allowed price range, in percent of the reference price. */
  priceBandPct: number;
}

export interface ProposeBlockInput {
  symbol: string;
  side: 'buy' | 'sell';
  counterpartyId: string;
  price: string;
  quantity: string;
  confirmWithinMinutes: number | null;
  note: string | null;
}

export interface BlockCaller {
  actor: Actor;
  participantId: string | null;
  role: 'participant' | 'regulator' | 'operator';
}

const reference = (id: string) => `block:${id}`;

/**
 * Block trades (大宗协议). The proposer's side (cash for amount + buyer fee, or the quantity) is
 * reserved when it proposes; the counterparty's side when it confirms, and the two reservations
 * become one off-book trade that settles like any other and prints to the tape as a block.
 * A proposal not confirmed in time expires and its reservation is released.
 */
export class BlockService implements DueWork {
  readonly name = 'blocks';
  private readonly lanes = new KeyedLane();

  constructor(private readonly o: BlockServiceOptions) {}

  private spec(symbol: string): InstrumentSpec {
    return knownSpec(this.o.instruments, symbol);
  }

  /** Refuses a price outside ±band of the reference price now in force. */
  private checkPrice(spec: InstrumentSpec, price: string): void {
    const ticks = dec(price).div(spec.tick);
    if (!ticks.isInteger() || ticks.lte(0)) throw unprocessable('PRICE_NOT_ON_TICK', `price ${price} is not a positive multiple of the tick size ${spec.row.tick_size}`);
    const { low, high } = blockBand(spec, this.o.priceBandPct);
    if (dec(price).lt(low) || dec(price).gt(high)) {
      throw unprocessable(
        'PRICE_OUT_OF_BAND',
        `a block trade must be priced within ±${this.o.priceBandPct}% of the reference price ${spec.ticksToPrice(spec.referenceTicks)}: ${spec.ticksToPrice(low.div(spec.tick).toNumber())}–${spec.ticksToPrice(high.div(spec.tick).toNumber())}`,
        {
          low: spec.ticksToPrice(low.div(spec.tick).toNumber()),
          high: spec.ticksToPrice(high.div(spec.tick).toNumber()),
          reference: spec.ticksToPrice(spec.referenceTicks),
          bandPct: String(this.o.priceBandPct),
        },
      );
    }
  }

  /** A halted instrument takes no block trades either (a halt, or the market closed between sessions). */
  private checkOpen(spec: InstrumentSpec): void {
    if (spec.row.status === 'halted') {
      throw conflict('INSTRUMENT_HALTED', `${spec.symbol} is halted${spec.row.halt_reason ? `: ${spec.row.halt_reason}` : ''}`);
    }
  }

  /** What one side of the block must reserve: the buyer its cost with fee, the seller the quantity. */
  private sideReservation(spec: InstrumentSpec, side: 'buy' | 'sell', price: string, quantity: string) {
    if (side === 'sell') return { asset: spec.symbol, amount: dec(quantity) };
    return { asset: CASH, amount: buyerCost(spec, ticksOf(spec, price), lotsOf(spec, quantity)) };
  }

  async propose(caller: BlockCaller, input: ProposeBlockInput): Promise<BlockView> {
    const { knex, engine, clock } = this.o;
    const initiatorId = caller.participantId!;
    const spec = this.spec(input.symbol);
    this.checkOpen(spec);
    const lots = spec.quantityToLots(input.quantity);
    const quantity = spec.lotsToQuantity(lots);
    const minimum = (await knex('instruments').where({ symbol: spec.symbol }).first<{ block_min_quantity: string }>('block_min_quantity'))!.block_min_quantity;
    if (dec(quantity).lt(minimum)) {
      throw unprocessable('BELOW_BLOCK_MINIMUM', `a block trade of ${spec.symbol} is at least ${dec(minimum).toString()} ${spec.row.unit}`, { minQuantity: dec(minimum).toString(), unit: spec.row.unit });
    }
    this.checkPrice(spec, input.price);
    if (input.counterpartyId === initiatorId) throw unprocessable('SELF_TRADE', 'a participant cannot trade with itself');
    const parties = await knex('participants').whereIn('id', [initiatorId, input.counterpartyId]).select<Array<{ id: string; kind: string; status: string }>>('id', 'kind', 'status');
    const counterparty = parties.find((p) => p.id === input.counterpartyId);
    if (!counterparty || counterparty.kind === 'platform') throw notFound('PARTICIPANT_NOT_FOUND', `no participant ${input.counterpartyId}`);
    if (counterparty.status !== 'active') throw unprocessable('COUNTERPARTY_SUSPENDED', 'the counterparty is suspended');
    const seller = input.side === 'sell' ? parties.find((p) => p.id === initiatorId)! : counterparty;
    if (spec.row.seller_kinds === 'government' && seller.kind !== 'government') {
      throw forbidden('SELLER_NOT_ELIGIBLE', `${spec.row.name_zh} may be sold only by government bodies (政府主导)`);
    }
    const minutes = input.confirmWithinMinutes ?? this.o.confirmMinutes;
    const id = String((await knex.raw<{ rows: Array<{ id: string }> }>(`SELECT nextval('block_trades_id_seq') AS id`)).rows[0]!.id);
    const side = this.sideReservation(spec, input.side, input.price, quantity);
    const reservation = reservationOf(
      await engine.submit({ kind: 'reserve', actor: caller.actor, participantId: initiatorId, asset: side.asset, amount: side.amount, purpose: 'block_trade', reference: reference(id) }),
    );
    const now = clock.now();
    try {
      await knex.transaction(async (trx) => {
        await trx('block_trades').insert({
          id,
          symbol: spec.symbol,
          initiator_id: initiatorId,
          counterparty_id: input.counterpartyId,
          proposed_by: caller.actor.userId,
          initiator_side: input.side,
          price: input.price,
          quantity,
          reference_price: spec.ticksToPrice(spec.referenceTicks),
          note: input.note,
          expires_at: new Date(now.getTime() + minutes * 60_000),
          initiator_reservation_id: reservation.id,
          created_at: now,
        });
        await appendAudit(trx, [
          this.audit(caller.actor, 'block.propose', id, now, {
            symbol: spec.symbol,
            initiatorId,
            counterpartyId: input.counterpartyId,
            side: input.side,
            price: input.price,
            quantity,
            confirmWithinMinutes: minutes,
            reservationId: reservation.id,
          }),
        ]);
      });
    } catch (error) {
      await this.release(reservation.id);
      throw error;
    }
    return this.publish('proposed', id, caller.participantId);
  }

  async confirm(caller: BlockCaller, id: string): Promise<BlockView> {
    return this.lanes.run(id, async () => {
      const { engine, clock } = this.o;
      const row = await this.existing(id, caller);
      if (row.counterparty_id !== caller.participantId) throw forbidden('NOT_THE_COUNTERPARTY', 'only the counterparty can confirm a block trade');
      this.ensureProposed(row);
      if (clock.now() >= row.expires_at) throw conflict('BLOCK_EXPIRED', `block trade ${id} expired at ${row.expires_at.toISOString()}`);
      const spec = this.spec(row.symbol);
      this.checkOpen(spec);
      // The reference price may have moved since the proposal (a new trading day): check again.
      this.checkPrice(spec, row.price);
      const counterSide = row.initiator_side === 'buy' ? 'sell' : 'buy';
      const side = this.sideReservation(spec, counterSide, row.price, row.quantity);
      const mine = reservationOf(
        await engine.submit({ kind: 'reserve', actor: caller.actor, participantId: row.counterparty_id, asset: side.asset, amount: side.amount, purpose: 'block_trade', reference: reference(id) }),
      );
      const outcome = await engine.submit({
        kind: 'offBookTrade',
        actor: caller.actor,
        venue: 'block',
        symbol: spec.symbol,
        priceTicks: ticksOf(spec, row.price),
        qtyLots: lotsOf(spec, row.quantity),
        buyerReservationId: counterSide === 'buy' ? mine.id : row.initiator_reservation_id,
        sellerReservationId: counterSide === 'sell' ? mine.id : row.initiator_reservation_id,
        reference: reference(id),
      });
      if (!outcome.ok) {
        await this.release(mine.id);
        // The proposer's side is gone only if the proposal ended meanwhile (expired elsewhere).
        if (outcome.error.code === 'RESERVATION_NOT_ACTIVE') throw conflict('BLOCK_NOT_PROPOSED', `block trade ${id} is no longer open`);
        throw outcome.error;
      }
      const trade = tradeOf(outcome);
      await this.decide(id, 'confirmed', caller.actor, { trade_id: trade.id, counterparty_reservation_id: mine.id }, { tradeId: trade.id });
      return this.publish('confirmed', id, caller.participantId);
    });
  }

  /** The counterparty declines, or the proposer withdraws: the proposer's reservation comes back. */
  async end(caller: BlockCaller, id: string, status: 'rejected' | 'cancelled', reason: string | null): Promise<BlockView> {
    return this.lanes.run(id, async () => {
      const row = await this.existing(id, caller);
      if (status === 'rejected' && row.counterparty_id !== caller.participantId) throw forbidden('NOT_THE_COUNTERPARTY', 'only the counterparty can reject a block trade');
      if (status === 'cancelled' && row.initiator_id !== caller.participantId) throw forbidden('NOT_THE_INITIATOR', 'only the proposer can withdraw a block trade');
      this.ensureProposed(row);
      if (await this.recoverTrade(row)) throw conflict('BLOCK_NOT_PROPOSED', `block trade ${id} is already confirmed`);
      await this.release(row.initiator_reservation_id);
      await this.decide(id, status, caller.actor, { reason }, { reason });
      return this.publish(status, id, caller.participantId);
    });
  }

  async nextDueAt(): Promise<Date | null> {
    const row = await this.o.knex('block_trades').where({ status: 'proposed' }).min<{ due: Date | null }>('expires_at as due').first();
    return row?.due ?? null;
  }

  async runDue(now: Date): Promise<void> {
    const ids = await this.o.knex('block_trades').where({ status: 'proposed' }).where('expires_at', '<=', now).orderBy('id').pluck<string[]>('id');
    for (const id of ids) {
      await this.lanes
        .run(id, async () => {
          const row = (await this.o.knex('block_trades').where({ id }).first<BlockRow>())!;
          if (row.status !== 'proposed') return;
          if (await this.recoverTrade(row)) return;
          await this.release(row.initiator_reservation_id);
          await this.decide(id, 'expired', SYSTEM_ACTOR, { reason: 'not confirmed in time' }, {});
          await this.publish('expired', id, null);
        })
        .catch((error: unknown) => this.o.log.error({ err: error, blockId: id }, 'block expiry failed; retried at the next tick'));
    }
  }

  /** Proposals a suspended participant is party to end now (its reservations are already released). */
  async participantSuspended(participantId: string, actor: Actor): Promise<void> {
    const ids = await this.o.knex('block_trades')
      .where({ status: 'proposed' })
      .where((q) => q.where({ initiator_id: participantId }).orWhere({ counterparty_id: participantId }))
      .pluck<string[]>('id');
    for (const id of ids) {
      await this.lanes.run(id, async () => {
        const row = (await this.o.knex('block_trades').where({ id }).first<BlockRow>())!;
        if (row.status !== 'proposed' || (await this.recoverTrade(row))) return;
        await this.release(row.initiator_reservation_id);
        await this.decide(id, 'cancelled', actor, { reason: 'participant suspended' }, { reason: 'participant suspended' });
        await this.publish('cancelled', id, null);
      });
    }
  }

  /**
   * A confirmation whose trade committed but whose record did not (a crash between the two) is
   * found by the trade's reference and recorded; returns whether the block was in fact traded.
   */
  private async recoverTrade(row: BlockRow): Promise<boolean> {
    const tradeId = await findOffBookTrade(this.o.knex, 'block', reference(row.id));
    if (!tradeId) return false;
    await this.decide(row.id, 'confirmed', SYSTEM_ACTOR, { trade_id: tradeId }, { tradeId, recovered: true });
    return true;
  }

  private ensureProposed(row: BlockRow): void {
    if (row.status !== 'proposed') throw conflict('BLOCK_NOT_PROPOSED', `block trade ${row.id} is ${row.status}`);
  }

  private async decide(id: string, status: BlockStatus, actor: Actor | SystemActor, columns: Partial<BlockRow>, payload: Record<string, unknown>): Promise<void> {
    const now = this.o.clock.now();
    await this.o.knex.transaction(async (trx) => {
      const row = await trx('block_trades').where({ id }).forUpdate().first<BlockRow>();
      // A trade that happened is recorded whatever the row says; nothing else overrides a decision.
      if (row!.status !== 'proposed' && status !== 'confirmed') return;
      await trx('block_trades').where({ id }).update({ ...columns, status, decided_by: actor.userId, decided_at: now });
      await appendAudit(trx, [this.audit(actor, `block.${status === 'confirmed' ? 'confirm' : status === 'rejected' ? 'reject' : status === 'cancelled' ? 'cancel' : 'expire'}`, id, now, payload)]);
    });
  }

  private async release(reservationId: string): Promise<void> {
    const outcome = await this.o.engine.submit({ kind: 'release', actor: SYSTEM_ACTOR, reservationId, amount: null });
    if (!outcome.ok && outcome.error.code !== 'RESERVATION_NOT_ACTIVE') throw outcome.error;
  }

  private async existing(id: string, caller: BlockCaller): Promise<BlockRow> {
    const row = await this.o.knex('block_trades').where({ id }).first<BlockRow | undefined>();
    const party = caller.role !== 'participant' || row?.initiator_id === caller.participantId || row?.counterparty_id === caller.participantId;
    if (!row || !party) throw notFound('BLOCK_NOT_FOUND', `no block trade ${id}`);
    return row;
  }

  private audit(actor: Actor | SystemActor, action: string, id: string, at: Date, payload: Record<string, unknown>) {
    return { actorUserId: actor.userId, actor: actor.username, action, subject: `block:${id}`, payload: { blockId: id, ...payload }, at };
  }

  private async views(rows: BlockRow[], viewerParticipantId: string | null): Promise<BlockView[]> {
    const ids = [...new Set(rows.flatMap((r) => [r.initiator_id, r.counterparty_id]))];
    const names = new Map((await this.o.knex('participants').whereIn('id', ids).select<Array<{ id: string; name: string }>>('id', 'name')).map((p) => [p.id, p.name]));
    return rows.map((r) => blockView(r, this.spec(r.symbol), names, viewerParticipantId));
  }

  private async publish(change: BlockStatus, id: string, viewerParticipantId: string | null): Promise<BlockView> {
    const row = (await this.o.knex('block_trades').where({ id }).first<BlockRow>())!;
    const [view] = await this.views([row], null);
    this.o.bus.emit('blockTrade', change, view!);
    return viewerParticipantId === null ? view! : (await this.views([row], viewerParticipantId))[0]!;
  }

  async get(caller: BlockCaller, id: string): Promise<BlockView> {
    const row = await this.existing(id, caller);
    return (await this.views([row], caller.participantId))[0]!;
  }

  async list(caller: BlockCaller, filter: { status: BlockStatus | null; symbol: string | null; limit: number }): Promise<BlockView[]> {
    const q = this.o.knex('block_trades').orderBy('id', 'desc').limit(filter.limit);
    if (caller.role === 'participant') q.where((w) => w.where({ initiator_id: caller.participantId }).orWhere({ counterparty_id: caller.participantId }));
    if (filter.status) q.where({ status: filter.status });
    if (filter.symbol) q.where({ symbol: filter.symbol });
    return this.views(await q.select<BlockRow[]>('*'), caller.participantId);
  }

  /** Participants one can trade a block with: every active one but the platform and oneself. */
  async counterparties(participantId: string | null): Promise<Array<{ id: string; name: string; kind: string; region: string }>> {
    const q = this.o.knex('participants').where({ status: 'active' }).whereNot({ kind: 'platform' }).orderBy('name');
    if (participantId) q.whereNot({ id: participantId });
    return q.select('id', 'name', 'kind', 'region');
  }

  async setMinimum(actor: Actor, symbol: string, quantity: string): Promise<{ symbol: string; blockMinQuantity: string }> {
    const spec = this.spec(symbol);
    const lots = spec.quantityToLots(quantity);
    const value = spec.lotsToQuantity(lots);
    await this.o.knex.transaction(async (trx) => {
      const before = await trx('instruments').where({ symbol }).forUpdate().first<{ block_min_quantity: string }>('block_min_quantity');
      await trx('instruments').where({ symbol }).update({ block_min_quantity: value });
      await appendAudit(trx, [
        { actorUserId: actor.userId, actor: actor.username, action: 'instrument.blockMinimum', subject: `instrument:${symbol}`, payload: { symbol, previous: before!.block_min_quantity, quantity: value }, at: this.o.clock.now() },
      ]);
    });
    return { symbol, blockMinQuantity: value };
  }
}
