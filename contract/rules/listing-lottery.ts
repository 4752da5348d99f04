// The cap lottery (摇号) of a listing, commit–reveal, so anyone can check the draw with any SHA-256
// tool: before bidding opens the operator publishes SHA-256(seed) (the commitment); at the draw
// the seed is revealed, and
//
//   digest = SHA-256( UTF-8( `${seed}|${listingId}|${entrants.join(',')}` ) )
//   winner = entrants[ digest read as a big-endian unsigned integer  mod  entrants.length ]
//
// where the entrants are the bidder numbers (竞买号) of everyone who accepted the cap, written as
// decimal strings without leading zeros and sorted numerically (ascending). Pure: no I/O, no
// clock, nothing of server or client; the server draws with it and the public page recomputes it.

/** The recipe as the announcement prints it, for a reader to recompute the draw by hand. */
export const LOTTERY_RECIPE =
  'digest = SHA-256(UTF-8("<seed>|<listing id>|<entrant numbers, ascending, comma-separated>")); winner index = digest as a big-endian unsigned integer mod the number of entrants (0 = first in the list)';

/** A seed is 16 to 128 printable ASCII characters without "|" (the separator), so its bytes are its characters. */
export const SEED_PATTERN = '^[\\x21-\\x7b\\x7d\\x7e]{16,128}$';
/** A commitment is the seed's SHA-256 as 64 lower-case hex digits. */
export const COMMITMENT_PATTERN = '^[0-9a-f]{64}$';

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** SHA-256 (FIPS 180-4) of bytes, as 64 lower-case hex digits; synchronous, so the page and the server share it. */
export function sha256Hex(bytes: Uint8Array): string {
  const bitLength = bytes.length * 8;
  const padded = new Uint8Array(Math.ceil((bytes.length + 9) / 64) * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(block + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15]!, 7) ^ rotr(w[i - 15]!, 18) ^ (w[i - 15]! >>> 3);
      const s1 = rotr(w[i - 2]!, 17) ^ rotr(w[i - 2]!, 19) ^ (w[i - 2]! >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!];
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      [hh, g, f, e, d, c, b, a] = [g, f, e, (d + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
    }
    const next = [a, b, c, d, e, f, g, hh];
    for (let i = 0; i < 8; i++) h[i] = (h[i]! + next[i]!) >>> 0;
  }
  return [...h].map((x) => x.toString(16).padStart(8, '0')).join('');
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** The commitment the operator publishes for a seed: SHA-256 of its UTF-8 bytes. */
export const commitmentOf = (seed: string): string => sha256Hex(utf8(seed));

/** Entrant numbers in the order the draw uses: numerically ascending, as decimal strings. */
export const sortedEntrants = (bidderNos: readonly number[]): string[] => [...bidderNos].sort((a, b) => a - b).map((n) => String(n));

/** The exact text whose SHA-256 is the draw's digest. */
export const lotteryMessage = (seed: string, listingId: string, entrants: readonly string[]): string => `${seed}|${listingId}|${entrants.join(',')}`;

export interface LotteryDraw {
  /** Entrant numbers as drawn from, ascending. */
  entrants: string[];
  message: string;
  digest: string;
  /** Position of the winner in `entrants`, from 0. */
  winnerIndex: number;
  winner: string;
}

/** The draw for a revealed seed: who wins, and every input a reader needs to check it. */
export function drawLottery(seed: string, listingId: string, bidderNos: readonly number[]): LotteryDraw {
  if (bidderNos.length === 0) throw new Error('a lottery needs at least one entrant');
  const entrants = sortedEntrants(bidderNos);
  const message = lotteryMessage(seed, listingId, entrants);
  const digest = sha256Hex(utf8(message));
  const winnerIndex = Number(BigInt(`0x${digest}`) % BigInt(entrants.length));
  return { entrants, message, digest, winnerIndex, winner: entrants[winnerIndex]! };
}
