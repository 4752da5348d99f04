/**
 * One serial lane per key (a listing, a block trade): work for the same key runs one at a time
 * in arrival order, work for different keys in parallel. It orders this process's requests;
 * row locks and re-checks in PostgreSQL are what make the outcome right across processes.
 */
export class KeyedLane {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => {});
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
