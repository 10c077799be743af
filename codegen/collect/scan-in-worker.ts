import { Worker } from 'node:worker_threads';
import { CodegenError } from '../codegen-error.js';
import type { ScanDialects, StaticScan } from './scan-schema.js';

/** What the scan thread posts back: its result, or its error in parts a message can carry. */
type ScanMessage =
  | { ok: true; scan: StaticScan }
  | { ok: false; codegen: boolean; name: string; reason: string; file?: string; line?: number; stack?: string };

/** Same extension as this module: `.ts` under tsx (tests), `.js` once built. */
const SCAN_MODULE = new URL(`./scan-schema${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url).href;

/**
 * The thread's program, run with `eval`: import the scan module (loading ts-morph and the
 * TypeScript compiler) at once, then scan the files of the first message and post the outcome.
 * Only dynamic imports, so it runs as CommonJS or as ESM (threads inherit `--input-type`). Run
 * from source (tests, `npm start`), the thread registers tsx itself to load the `.ts` module:
 * the process's loader hooks do not reach an `eval` thread.
 */
const PROGRAM = `
import('node:worker_threads').then(async ({ parentPort, workerData }) => {
  const scanning = (workerData.tsx ? import(workerData.tsx).then((tsx) => { tsx.register(); }) : Promise.resolve())
    .then(() => import(workerData.module));
  scanning.catch(() => {});
  parentPort.once('message', ({ files, dialects }) => scanning
    .then((m) => parentPort.postMessage({ ok: true, scan: m.scanSchema(files, dialects) }))
    .catch((e) => parentPort.postMessage({ ok: false, codegen: !!e && e.name === 'CodegenError', name: (e && e.name) || 'Error',
      reason: e && e.name === 'CodegenError' ? e.reason : String((e && e.message) || e), file: e && e.file, line: e && e.line, stack: e && e.stack })));
});
`;

let warm: Worker | undefined;

function spawn(): Worker {
  const tsx = SCAN_MODULE.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : undefined;
  const worker = new Worker(PROGRAM, { eval: true, workerData: { module: SCAN_MODULE, tsx } });
  // A thread nobody asked to scan (the config failed to load) must not keep the process alive.
  worker.unref();
  worker.on('error', () => {});
  return worker;
}

/**
 * Starts the scan thread now, so it loads the TypeScript compiler (~0.4 s) while the main thread
 * loads the config and the schema modules. The next {@link scanInWorker} uses it.
 * @example
 * prestartScan()
 * const config = await loadConfig()   // meanwhile ts-morph loads
 */
export function prestartScan(): void {
  warm ??= spawn();
}

function toError(message: Extract<ScanMessage, { ok: false }>): Error {
  if (message.codegen) return new CodegenError(message.reason, { file: message.file, line: message.line });
  const error = new Error(message.reason);
  error.name = message.name;
  if (message.stack) error.stack = message.stack;
  return error;
}

/**
 * Runs the ts-morph scan (`scanSchema`) on a worker thread, so loading the compiler and parsing
 * the schema overlap with bundling and importing the schema modules on the main thread. Rejects
 * with the scan's own `CodegenError` (same message, `file`, `line`).
 * @example
 * const scanning = scanInWorker(files, { config: 'pg', cores: { 'pg-core': 'pg' } })
 * const tables = await loadTables(files, pgCodegen)   // meanwhile
 * const { calls } = await scanning
 */
export function scanInWorker(files: readonly string[], dialects: ScanDialects): Promise<StaticScan> {
  const worker = warm ?? spawn();
  warm = undefined;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      worker.unref();
      void worker.terminate();
      fn();
    };
    worker.once('message', (message: ScanMessage) => settle(() => (message.ok ? resolve(message.scan) : reject(toError(message)))));
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the schema scan thread exited with code ${code} before answering`))));
    worker.ref();
    worker.postMessage({ files: [...files], dialects });
  });
}
