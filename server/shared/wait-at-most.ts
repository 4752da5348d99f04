/**
 * Waits for `work` at most `ms`; a failure or the deadline both just end the wait. For start-up
 * and shutdown steps that must not hold the process for ever (Redis away, a worker that does not
 * close): the work itself goes on, only the waiting stops.
 */
export async function waitAtMost(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
