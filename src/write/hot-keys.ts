import type { Table } from 'drizzle-orm';
import { processWide } from '../config/process-wide.js';
import { formatKey, type RowKey } from '../errors.js';
import { inQueueTurn } from '../transaction/queue-turn.js';

/**
 * Which rows are hot right now, for `versionedModify` (mostly-optimistic concurrency control,
 * Wang & Kimura, VLDB 2016): each (table, primary key) has a temperature that rises by one per
 * conflict seen in this process and halves every {@link HOT_KEY_POLICY}`.halfLifeMs`; a key at
 * or above `threshold` is hot and read with a lock. While a hot key still has other
 * `versionedModify` calls of this process in flight it stays warm (`inFlightHeat` per call), so
 * a contended row does not cool down, go optimistic and spin again. Memory is bounded: at most
 * `capacity` keys, the least recently heated dropped first; in-flight counters exist only
 * while a call runs. Purely in-process: no SQL. The same constants serve every dialect: on
 * MariaDB a cold key's conflict costs one more compound write (its read-back is already
 * `error.current`) while the locked path sends four statements instead of two, so locking pays
 * off there only on rows that conflict repeatedly, which the threshold of about two conflicts
 * per half-life already asks for (a MariaDB zipf sweep with thresholds 0.75, 1.5 and 3 differed
 * by less than the shared machine's noise).
 * @example
 * const id = hotKeyId(accounts, { id: 1 })
 * recordConflict(id); recordConflict(id)
 * isHot(id) // true, until it has cooled for a while
 */
export const HOT_KEY_POLICY = {
  /** Conflicts (decayed) at which a key is read with a lock: two within about a half-life. */
  threshold: 1.5,
  /** Time for a temperature to halve, in ms. */
  halfLifeMs: 250,
  /** Heat added when a hot key's call starts while others on the same key are in flight. */
  inFlightHeat: 0.5,
  /** Most keys remembered. */
  capacity: 4096,
  /**
   * Hot calls of this process on one key also queue in the process (FIFO) before taking the
   * database lock, so at most one connection per process waits on a row lock.
   */
  queueInProcess: false,
};

interface Heat {
  temperature: number;
  at: number;
}

/**
 * One per process, shared by the ESM and CommonJS copies of the package (see `processWide`), so
 * calls through either copy see the same temperatures, in-flight counts and queues.
 */
const state = processWide('hot-keys', () => ({
  tableIds: new WeakMap<Table, number>(),
  nextTableId: 0,
  /** Insertion order is recency order: a heated key is moved to the end. */
  heat: new Map<string, Heat>(),
  inFlight: new Map<string, number>(),
  queues: new Map<string, Promise<void>>(),
}));
const { tableIds, heat, inFlight, queues } = state;

/** The identity of one row of `table` for the hot-key table. */
export function hotKeyId(table: Table, key: RowKey): string {
  let id = tableIds.get(table);
  if (id === undefined) tableIds.set(table, (id = state.nextTableId++));
  return `${id}|${formatKey(key)}`;
}

function temperatureOf(entry: Heat | undefined, now: number): number {
  if (!entry) return 0;
  return entry.temperature * 2 ** (-(now - entry.at) / HOT_KEY_POLICY.halfLifeMs);
}

function warm(id: string, by: number): void {
  const now = performance.now();
  const temperature = temperatureOf(heat.get(id), now) + by;
  heat.delete(id);
  heat.set(id, { temperature, at: now });
  if (heat.size > HOT_KEY_POLICY.capacity) heat.delete(heat.keys().next().value!);
}

/** One conflict on `id`: its temperature rises by one. */
export function recordConflict(id: string): void {
  warm(id, 1);
}

/** True when `id` conflicted often enough recently to be read with a lock. */
export function isHot(id: string): boolean {
  const entry = heat.get(id);
  if (!entry) return false;
  const temperature = temperatureOf(entry, performance.now());
  if (temperature < HOT_KEY_POLICY.threshold / 8) heat.delete(id);
  return temperature >= HOT_KEY_POLICY.threshold;
}

/**
 * Marks a call on `id` as running until the returned function is called. A hot key whose call
 * starts while others on it are still running is warmed (it is still contended).
 */
export function enterKey(id: string, hot: boolean): () => void {
  const running = inFlight.get(id) ?? 0;
  inFlight.set(id, running + 1);
  if (hot && running > 0) warm(id, HOT_KEY_POLICY.inFlightHeat);
  return () => {
    const left = inFlight.get(id)! - 1;
    if (left === 0) inFlight.delete(id);
    else inFlight.set(id, left);
  };
}

let queuedRuns = 0;

/**
 * Runs `fn` after every earlier `serialized` call on `id` of this process has settled (FIFO).
 * An entry exists only while calls are queued. Never used inside a caller's transaction: a
 * queued call could wait for one that waits for a row lock the caller's transaction holds.
 */
export async function serialized<R>(id: string, fn: () => Promise<R>): Promise<R> {
  return inQueueTurn(queues, id, () => {
    queuedRuns++;
    return fn();
  });
}

/** How many calls ran through {@link serialized} (tests). */
export function serializedRuns(): number {
  return queuedRuns;
}

/** Forgets every temperature (tests). */
export function resetHotKeys(): void {
  heat.clear();
}
