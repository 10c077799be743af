/**
 * Runs `fn` after every earlier call on `key` of `queues` has settled (FIFO, in this process),
 * then lets the next one go. An entry exists only while calls are queued. No SQL of its own.
 * @example
 * const queues = new Map<string, Promise<void>>()
 * await inQueueTurn(queues, 'accounts|1', () => write()) // after earlier writes on that key
 */
export async function inQueueTurn<K, R>(queues: Map<K, Promise<void>>, key: K, fn: () => Promise<R>): Promise<R> {
  const before = queues.get(key);
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = before ? before.then(() => mine) : mine;
  queues.set(key, tail);
  try {
    if (before) await before;
    return await fn();
  } finally {
    release();
    if (queues.get(key) === tail) queues.delete(key);
  }
}
