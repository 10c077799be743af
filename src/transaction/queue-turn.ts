/**
 * Waits until every earlier turn on `key` of `queues` has ended (FIFO, in this process) and
 * resolves to the function that ends this turn and lets the next one go. Every turn taken must
 * be ended exactly once. An entry exists only while turns are queued. No SQL of its own.
 * @example
 * const queues = new Map<string, Promise<void>>()
 * const end = await takeQueueTurn(queues, 'accounts|1')
 * try { await write() } finally { end() }
 */
export async function takeQueueTurn<K>(queues: Map<K, Promise<void>>, key: K): Promise<() => void> {
  const before = queues.get(key);
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = before ? before.then(() => mine) : mine;
  queues.set(key, tail);
  if (before) await before;
  return () => {
    release();
    if (queues.get(key) === tail) queues.delete(key);
  };
}

/**
 * Runs `fn` after every earlier turn on `key` of `queues` has ended (FIFO, in this process),
 * then lets the next one go (see {@link takeQueueTurn}). No SQL of its own.
 * @example
 * const queues = new Map<string, Promise<void>>()
 * await inQueueTurn(queues, 'accounts|1', () => write()) // after earlier writes on that key
 */
export async function inQueueTurn<K, R>(queues: Map<K, Promise<void>>, key: K, fn: () => Promise<R>): Promise<R> {
  const end = await takeQueueTurn(queues, key);
  try {
    return await fn();
  } finally {
    end();
  }
}
