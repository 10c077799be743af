/**
 * Golden files under fixtures/expected/<dialect>/: a missing one fails the test; they are
 * (re)written only when `UPDATE_GOLDENS=1` is set (`UPDATE_GOLDENS=1 npm test -- codegen/golden`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as assert from 'uvu/assert';
import { ROOT } from './project.js';

/** Compares `actual` with fixtures/expected/<dialect>/<name> (writes it under UPDATE_GOLDENS=1). */
export function golden(dialect: string, name: string, actual: string): void {
  const path = join(ROOT, 'fixtures/expected', dialect, name);
  if (process.env['UPDATE_GOLDENS'] === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) assert.unreachable(`golden file ${relative(ROOT, path)} is missing: UPDATE_GOLDENS=1 npm test -- codegen/golden writes it`);
  assert.fixture(actual, readFileSync(path, 'utf8'), relative(ROOT, path));
}
