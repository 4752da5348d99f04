// The static price band: limit prices outside it are refused, market orders never trade beyond it.

export interface PriceBand {
  /** Lowest accepted price in ticks (never below 1). */
  lowTicks: number;
  /** Highest accepted price in ticks. */
  highTicks: number;
}

/**
 * reference ± floor(reference × bps / 10000) ticks. Rounding toward the reference keeps the band
 * a promise: no accepted price is further than bps from the reference.
 */
export function priceBand(referencePriceTicks: number, priceBandBps: number): PriceBand {
  const half = Math.floor((referencePriceTicks * priceBandBps) / 10_000);
  return { lowTicks: Math.max(1, referencePriceTicks - half), highTicks: referencePriceTicks + half };
}

/** True when reference and band width are integers the band arithmetic handles exactly. */
export function isValidBand(referencePriceTicks: number, priceBandBps: number): boolean {
  return (
    Number.isSafeInteger(referencePriceTicks) &&
    referencePriceTicks > 0 &&
    Number.isSafeInteger(priceBandBps) &&
    priceBandBps >= 0 &&
    Number.isSafeInteger(referencePriceTicks * priceBandBps)
  );
}
