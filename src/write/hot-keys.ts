import type { Table } from 'drizzle-orm';
import { processWide } from '../config/process-wide.js';
import { formatKey, type RowKey } from '../errors.js';
import { takeQueueTurn } from '../transaction/queue-turn.js';

/**
 * Which rows are hot right now, for `versionedModify` (mostly-optimistic concurrency control,
 * Wang & Kimura, VLDB 2016): each (table, primary key) has a temperature that rises by one per
 * conflict seen in this process and halves every {@link HOT_KEY_POLICY}`.halfLifeMs`; a key at
 * or above `threshold` is hot: its calls take turns ({@link enterTurn}), each from the row the
 * turn before it stored when one was handed on. The part of the temperature from conflicts that
 * writers elsewhere won (the winning version is not the one this process last stored there, see
 * {@link storedHere}) decides whether a turn's read takes a lock ({@link isHotElsewhere}).
 * While a hot key still has other `versionedModify` calls of this process in flight it stays warm (`inFlightHeat` per call), so
 * a contended row does not cool down, go optimistic and spin again. Memory is bounded: at most
 * `capacity` keys, the least recently heated dropped first; in-flight counters, queues and
 * handed rows exist only while calls run. Purely in-process: no SQL. The same constants serve
 * every dialect.
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
};

interface Heat {
  temperature: number;
  /** The part of `temperature` from conflicts with writers outside this process's `versionedModify` calls. */
  elsewhere: number;
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
  /** Turns queued or running per key (see {@link enterTurn}). */
  queued: new Map<string, number>(),
  /** The row a turn stored, for the next queued turn on the key. */
  handoffs: new Map<string, Record<string, unknown>>(),
  /** The version this process's last `versionedModify` on a warm or contended key stored (see {@link noteStored}). */
  storedVersions: new Map<string, string>(),
}));
const { tableIds, heat, inFlight, queues, queued, handoffs, storedVersions } = state;

/** The identity of one row of `table` for the hot-key table. */
export function hotKeyId(table: Table, key: RowKey): string {
  let id = tableIds.get(table);
  if (id === undefined) tableIds.set(table, (id = state.nextTableId++));
  return `${id}|${formatKey(key)}`;
}

function decay(entry: Heat, now: number): number {
  return 2 ** (-(now - entry.at) / HOT_KEY_POLICY.halfLifeMs);
}

function temperatureOf(entry: Heat | undefined, now: number): number {
  return entry ? entry.temperature * decay(entry, now) : 0;
}

function warm(id: string, by: number, elsewhere: boolean): void {
  const now = performance.now();
  const entry = heat.get(id);
  const factor = entry ? decay(entry, now) : 0;
  const next = {
    temperature: (entry?.temperature ?? 0) * factor + by,
    elsewhere: (entry?.elsewhere ?? 0) * factor + (elsewhere ? by : 0),
    at: now,
  };
  heat.delete(id);
  heat.set(id, next);
  if (heat.size > HOT_KEY_POLICY.capacity) heat.delete(heat.keys().next().value!);
}

/**
 * One conflict on `id`: its temperature rises by one. `byThisProcess`: the row that won was
 * stored by one of this process's own `versionedModify` calls (see {@link storedHere}), a
 * conflict the key's turns already prevent; any other conflict also heats the key "elsewhere".
 */
export function recordConflict(id: string, byThisProcess = false): void {
  warm(id, 1, !byThisProcess);
}

/** A version value as compared by {@link storedHere}: timestamps by their milliseconds. */
function versionToken(version: unknown): string {
  return version instanceof Date ? `d${version.getTime()}` : `${typeof version}:${String(version)}`;
}

/**
 * Remembers `version`, the version this process just stored on `id`, when the key is warm or has
 * other calls in flight (the only keys a conflict can follow on): so a conflict decided on that
 * version is known to come from this process. Bounded as the temperatures are.
 */
export function noteStored(id: string, version: unknown): void {
  storedVersions.delete(id);
  if (!heat.has(id) && (inFlight.get(id) ?? 0) < 2) return;
  storedVersions.set(id, versionToken(version));
  if (storedVersions.size > HOT_KEY_POLICY.capacity) storedVersions.delete(storedVersions.keys().next().value!);
}

/** True when the row now carrying `version` was stored by this process's last `versionedModify` on `id`. */
export function storedHere(id: string, version: unknown): boolean {
  return version !== undefined && storedVersions.get(id) === versionToken(version);
}

/**
 * True when `id` is hot because of writers outside this process's `versionedModify` calls
 * (other processes, plain writes): only a lock keeps those apart; this process's own calls on
 * the key already take turns.
 */
export function isHotElsewhere(id: string): boolean {
  const entry = heat.get(id);
  return entry !== undefined && entry.elsewhere * decay(entry, performance.now()) >= HOT_KEY_POLICY.threshold;
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
  if (hot && running > 0) warm(id, HOT_KEY_POLICY.inFlightHeat, false);
  return () => {
    const left = inFlight.get(id)! - 1;
    if (left === 0) inFlight.delete(id);
    else inFlight.set(id, left);
  };
}

let turnsTaken = 0;

/**
 * A turn on a hot key: the calls of this process on the key run one at a time (FIFO), and a
 * turn can hand the row it stored to the turn queued right behind it, which then needs no read.
 */
export interface KeyTurn {
  /** The row the previous turn stored, if it handed one over: given out once, then `undefined`. */
  takeHanded(): Record<string, unknown> | undefined;
  /** Hands `row` (a shallow copy), the row this turn stored, to the next turn if one is queued. */
  pass(row: Record<string, unknown>): void;
  /** Ends the turn and lets the next one go. Call exactly once. */
  end(): void;
}

/**
 * Waits for the turn on `id` after every earlier turn of this process on it (FIFO). With
 * `handOff`, the turn takes the row the previous turn passed and may pass its own: the row only
 * lives between two queued turns (no cache survives an empty queue), and the write that uses it
 * still checks the version, so a row changed meanwhile by another process is a conflict, not a
 * lost update. Never used inside a caller's transaction: a queued call could wait for one that
 * waits for a row lock the caller's transaction holds. No SQL of its own.
 * @example
 * const turn = await enterTurn(id, true)
 * try { const row = turn.takeHanded() ?? (await readLocked()); turn.pass(await write(row)) } finally { turn.end() }
 */
export async function enterTurn(id: string, handOff: boolean): Promise<KeyTurn> {
  queued.set(id, (queued.get(id) ?? 0) + 1);
  const endQueueTurn = await takeQueueTurn(queues, id);
  turnsTaken++;
  let handed = handOff ? handoffs.get(id) : undefined;
  handoffs.delete(id);
  return {
    takeHanded() {
      const row = handed;
      handed = undefined;
      return row;
    },
    pass(row) {
      if (handOff && queued.get(id)! > 1) handoffs.set(id, { ...row });
    },
    end() {
      const left = queued.get(id)! - 1;
      if (left > 0) {
        queued.set(id, left);
      } else {
        queued.delete(id);
        handoffs.delete(id);
      }
      endQueueTurn();
    },
  };
}

/** How many turns {@link enterTurn} gave out (tests). */
export function turnsGiven(): number {
  return turnsTaken;
}

/** Forgets every temperature (tests). */
export function resetHotKeys(): void {
  heat.clear();
  storedVersions.clear();
}
