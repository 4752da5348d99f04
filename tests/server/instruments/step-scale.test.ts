import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StepScale } from '../../../server/instruments/instrument-spec.ts';
import { dec } from '../../../server/shared/decimal.ts';

// Prices and quantities reach every API answer and live message through this formatting; it
// must agree with decimal arithmetic to the last digit for every step size the platform uses.
describe('formatting counts of ticks and lots', () => {
  const steps = ['0.01', '0.05', '0.1', '1', '0.001', '10', '0.25', '0.0001'];

  it('equals Decimal(step × count).toFixed(places) for every step, count and places', () => {
    fc.assert(
      fc.property(fc.constantFrom(...steps), fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 6 }), (step, count, extra) => {
        const places = dec(step).decimalPlaces() + extra;
        const formatted = new StepScale(dec(step)).format(count, places);
        expect(formatted).toBe(dec(step).mul(count).toFixed(places));
      }),
      { numRuns: 2000 },
    );
  });

  it('declines counts beyond exact integer arithmetic instead of rounding them', () => {
    expect(new StepScale(dec('0.01')).format(Number.MAX_SAFE_INTEGER, 2)).toBe('90071992547409.91');
    expect(new StepScale(dec('0.05')).format(Number.MAX_SAFE_INTEGER, 2)).toBeNull();
    expect(new StepScale(dec('0.01')).format(5, 1)).toBeNull();
  });
});
