import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { commitmentOf, drawLottery, lotteryMessage, sha256Hex, SEED_PATTERN, sortedEntrants } from '../../contract/rules/listing-lottery.ts';

const nodeSha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

describe('the cap lottery', () => {
  it('hashes exactly like SHA-256 at every padding boundary', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const bytes = new Uint8Array(randomBytes(length));
      expect(sha256Hex(bytes), `length ${length}`).toBe(nodeSha(bytes));
    }
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('commits to a seed by the SHA-256 of its UTF-8 bytes', () => {
    expect(commitmentOf('婺源-2026-seed-种子')).toBe(nodeSha(Buffer.from('婺源-2026-seed-种子', 'utf8')));
  });

  it('sorts entrant numbers numerically, not as text', () => {
    expect(sortedEntrants([99999, 1000, 100000, 20000])).toEqual(['1000', '20000', '99999', '100000']);
  });

  it('picks the entrant the published recipe names, whatever order they came in', () => {
    const seed = 'k3Y9-public-draw-0001';
    const draw = drawLottery(seed, '42', [583211, 4410, 70021]);
    const message = `${seed}|42|4410,70021,583211`;
    const index = Number(BigInt(`0x${nodeSha(message)}`) % 3n);
    expect(draw.message).toBe(message);
    expect(draw.digest).toBe(nodeSha(message));
    expect(draw.winnerIndex).toBe(index);
    expect(draw.winner).toBe(['4410', '70021', '583211'][index]);
    expect(drawLottery(seed, '42', [70021, 583211, 4410])).toEqual(draw);
  });

  it('spreads wins over entrants as the digest does', () => {
    const wins = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const winner = drawLottery(`seed-for-spread-${i}`, '7', [1001, 2002, 3003]).winner;
      wins.set(winner, (wins.get(winner) ?? 0) + 1);
    }
    for (const n of ['1001', '2002', '3003']) expect(wins.get(n)).toBeGreaterThan(60);
  });

  it('has one entrant win alone and refuses a draw with none', () => {
    expect(drawLottery('only-one-entrant-seed', '5', [1234]).winner).toBe('1234');
    expect(() => drawLottery('no-entrants-at-all-seed', '5', [])).toThrow();
  });

  it('allows seeds that cannot be confused with the separator', () => {
    const re = new RegExp(SEED_PATTERN);
    expect(re.test('abcdefghijklmnop')).toBe(true);
    expect(re.test('abcdefgh|ijklmnop')).toBe(false);
    expect(re.test('short')).toBe(false);
    expect(re.test('with space inside it')).toBe(false);
    expect(lotteryMessage('s', '1', ['1', '2'])).toBe('s|1|1,2');
  });
});
