import { Type, type Static } from 'typebox';
import { DecimalString, Nullable, StringEnum } from './common.ts';
import { COMMITMENT_PATTERN, SEED_PATTERN } from './rules/listing-lottery.ts';

// Requests and views of the listing rules of issue 15: a listing's cap, reserve and least number
// of bidders; objections heard during publicity (异议); the cap lottery's commitment and draw
// (摇号, recipe in contract/rules/listing-lottery.ts); and relisting a failed listing (流拍).

const Instant = (description: string) => Type.String({ format: 'date-time', description });

/** What the seller may add to a listing's terms when it is created. */
export const ListingTermsFields = {
  priceCap: Type.Optional(DecimalString('open mode: the highest price a bid may reach (最高限价); a bid at it stops bidding and opens the cap lottery')),
  capPct: Type.Optional(DecimalString('open mode: the cap as a percentage of the start price, e.g. "150"; instead of priceCap')),
  capWindowMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10080, description: 'minutes after the cap is reached during which every registered bidder may accept it' })),
  minBidders: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 1, description: 'fewer registered bidders than this at the close and the listing fails (流拍)' })),
  reservePrice: Type.Optional(DecimalString('保留价: a best bid below it fails the listing; bidders learn only that one exists')),
};

export const FAILURE_CODES = ['no_bid', 'too_few_bidders', 'reserve_not_met', 'unpaid'] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export const ObjectionBody = Type.Object(
  { reason: Type.String({ minLength: 5, maxLength: 2000, pattern: '\\S', description: 'what is wrong with the listing (异议理由); published without the objector’s name' }) },
  { additionalProperties: false },
);
export type ObjectionBody = Static<typeof ObjectionBody>;

export const ObjectionDecisionBody = Type.Object(
  {
    outcome: StringEnum(['upheld', 'dismissed'] as const, { description: 'upheld: the listing is withdrawn and everything it holds released; dismissed: it proceeds' }),
    reason: Type.String({ minLength: 2, maxLength: 2000, pattern: '\\S', description: 'the answer published with the objection (答复)' }),
  },
  { additionalProperties: false },
);
export type ObjectionDecisionBody = Static<typeof ObjectionDecisionBody>;

export const ListingObjection = Type.Object({
  id: Type.String(),
  listingId: Type.String(),
  reason: Type.String(),
  filedAt: Instant('when it was filed'),
  status: StringEnum(['pending', 'upheld', 'dismissed'] as const),
  decision: Nullable(Type.Object({ outcome: StringEnum(['upheld', 'dismissed'] as const), reason: Type.String(), at: Instant('when it was decided') })),
  mine: Type.Boolean({ description: 'filed by the caller’s participant (false for the public)' }),
  objector: Nullable(Type.Object({ id: Type.String(), name: Type.String() }, { description: 'operator and regulator only' })),
});
export type ListingObjection = Static<typeof ListingObjection>;

export const SeedCommitmentBody = Type.Object(
  { commitment: Type.String({ pattern: COMMITMENT_PATTERN, description: 'SHA-256 of the seed the operator chose, 64 lower-case hex digits; published on the announcement and fixed for good' }) },
  { additionalProperties: false },
);
export type SeedCommitmentBody = Static<typeof SeedCommitmentBody>;

export const DrawBody = Type.Object(
  { seed: Type.String({ pattern: SEED_PATTERN, description: 'the seed whose SHA-256 is the commitment: 16–128 printable ASCII characters, no "|" or spaces' }) },
  { additionalProperties: false },
);
export type DrawBody = Static<typeof DrawBody>;

/** A drawn lottery, with every input a reader needs to recompute it. */
export const LotteryResult = Type.Object({
  commitment: Type.String(),
  seed: Type.String(),
  listingId: Type.String(),
  entrants: Type.Array(Type.String(), { description: 'bidder numbers (竞买号) who accepted the cap, ascending' }),
  message: Type.String({ description: 'the exact text hashed' }),
  digest: Type.String({ description: 'SHA-256 of the message, hex' }),
  winnerIndex: Type.Integer({ description: 'digest mod number of entrants, from 0' }),
  winner: Type.String({ description: 'the winning bidder number' }),
  recipe: Type.String(),
  drawnAt: Instant('when the seed was revealed'),
});
export type LotteryResult = Static<typeof LotteryResult>;

export const CAP_STAGES = ['none', 'open', 'acceptance', 'draw', 'drawn'] as const;

/** A listing's cap, reserve and objections as a viewer may see them. */
export const ListingRulesView = Type.Object({
  priceCap: Nullable(Type.String()),
  capPct: Nullable(Type.String()),
  capWindowMinutes: Nullable(Type.Integer()),
  seedCommitment: Nullable(Type.String({ description: 'SHA-256 of the operator’s seed; a capped listing takes no bids without it' })),
  capStage: StringEnum(CAP_STAGES, { description: 'none (no cap) → open (below it) → acceptance (reached; bidders may accept) → draw (awaiting the seed) → drawn' }),
  capReachedAt: Nullable(Type.String()),
  capAcceptanceClosesAt: Nullable(Type.String()),
  capEntrants: Nullable(Type.Integer({ description: 'how many accepted the cap so far' })),
  lottery: Nullable(LotteryResult),
  minBidders: Type.Integer(),
  hasReserve: Type.Boolean(),
  reservePrice: Nullable(Type.String({ description: 'the seller, operator and regulator only' })),
  failureCode: Nullable(StringEnum(FAILURE_CODES)),
  relistOf: Nullable(Type.String()),
  relistedAs: Nullable(Type.String()),
  objections: Type.Array(ListingObjection),
  objectionPending: Type.Boolean({ description: 'bidding is held (暂停) until the operator decides' }),
  acceptedCap: Type.Boolean({ description: 'the caller accepted the cap' }),
});
export type ListingRulesView = Static<typeof ListingRulesView>;

export const RelistBody = Type.Object(
  {
    startPrice: DecimalString('new start price: at most the instrument’s relist step below the failed one, never below the guidance price'),
    registrationOpensAt: Instant('registration window start'),
    registrationClosesAt: Instant('registration window end'),
    biddingOpensAt: Instant('bidding window start'),
    biddingClosesAt: Instant('bidding window end'),
    title: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type RelistBody = Static<typeof RelistBody>;

export const ListingSettingsBody = Type.Object(
  {
    relistStepPct: DecimalString('the most a relist may lower the start price, percent of the failed one'),
    resultsWorkingDays: Type.Integer({ minimum: 1, maximum: 60, description: 'working days an award stays on the public results board (成交公示)' }),
  },
  { additionalProperties: false },
);
export type ListingSettingsBody = Static<typeof ListingSettingsBody>;
