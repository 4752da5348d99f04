import { buildClient, clientBuildIsStale } from '../../../server/client-build.ts';

// Vitest global setup: the browser tests' platform processes serve client/dist, each listing its
// files when it starts. Built by each test file, two files running side by side emptied and
// rewrote the folder under each other's server, which then lacked files it had been started
// with. So it is built here, once before any file runs, and only when older than its sources.
export default async function buildClientOnce(): Promise<void> {
  if (clientBuildIsStale()) await buildClient();
}
