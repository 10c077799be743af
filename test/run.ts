/**
 * Test runner: imports every `*.test.ts` under test/ into uvu, runs them, closes the
 * database connections and ends with one line `N passed, N failed`.
 * Usage: `npm test` or `npm test -- <substring of file path>`.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeTestDatabases } from './support/databases.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2];

function find(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) // test/concurrency holds the generated suites of the main job: `npm start` runs them on its database.
      return name === 'support' || name === 'fixtures' || name === 'concurrency' ? [] : find(path);
      return name.endsWith('.test.ts') ? [path] : [];
    });
}

const files = find(root).filter((f) => !filter || f.includes(filter));
let output = '';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: any[]) => {
  output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
  return (write as any)(chunk, ...rest);
}) as typeof process.stdout.write;

const { run } = await import('uvu/run');
let loadFailed = false;
try {
  await run(files.map((file) => ({ name: relative(root, file), file })));
} catch (error) {
  loadFailed = true;
  console.error(error);
} finally {
  await closeTestDatabases();
}
process.stdout.write = write;
// eslint-disable-next-line no-control-regex
const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const failed = total - passed + (loadFailed ? 1 : 0);
if (total === 0) process.exitCode = 1;
if (failed > 0) process.exitCode = 1;
// Per-driver lines: suites are titled `… [driver]` and uvu ends each with `(passed / total)`.
const drivers = new Map<string, [number, number]>();
for (const [, driver, ok, of] of plain.matchAll(/\[([a-z0-9]+\/[^\]]+)\][^\n]*\((\d+) \/ (\d+)\)/g)) {
  const [p, t] = drivers.get(driver!) ?? [0, 0];
  drivers.set(driver!, [p + Number(ok), t + Number(of)]);
}
for (const [driver, [p, t]] of drivers) console.log(`${driver.padEnd(24)} ${p} passed, ${t - p} failed`);
console.log(`${passed} passed, ${failed} failed`);
