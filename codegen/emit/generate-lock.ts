import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CodegenError, shown } from '../codegen-error.js';
import { writeFailure } from './file-batch.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Holds `meta/_drizzle-concurrency.lock` (created exclusively, holding our pid) while `fn`
 * runs, so two `generate` runs never interleave their journal writes. A lock left by a dead
 * process is taken over. The `_` prefix keeps a concurrent drizzle-kit from reading it as a
 * snapshot (it reads every other file of `meta/`, and reports one it cannot parse as malformed).
 */
export async function withGenerateLock<R>(out: string, fn: () => Promise<R> | R): Promise<R> {
  const path = join(out, 'meta', '_drizzle-concurrency.lock');
  let fd: number | undefined;
  for (let attempt = 0; attempt < 2 && fd === undefined; attempt++) {
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // No migrations folder to lock: fn reports that as a CodegenError, and writes nothing.
      if (code === 'ENOENT' || code === 'ENOTDIR') return fn();
      if (code !== 'EEXIST') throw writeFailure(error, join(out, 'meta'));
      const holder = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new CodegenError(`another drizzle-concurrency generate (pid ${holder}) is writing this migrations folder`, { file: shown(path) });
      }
      rmSync(path, { force: true });
    }
  }
  if (fd === undefined) throw new CodegenError('could not take the generate lock', { file: shown(path) });
  writeSync(fd, String(process.pid));
  closeSync(fd);
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}
