/**
 * The dual-package hazard: an app that both `import`s and `require`s the package loads two copies
 * (dist/src as ESM, dist/cjs as CommonJS). Their process-wide state must be one: configuration
 * set through one copy, scopes opened through one and `applyConcurrencyCheck` done through one
 * are seen by writes of the other; `versionedModify`'s hot keys and the turns SQLite connections
 * take are one too. Runs the built package (`npm run build` first) in a fresh
 * Node process, on libSQL in memory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = fileURLToPath(new URL('../..', import.meta.url));

const script = String.raw`
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
const require = createRequire(import.meta.url);
const esm = await import('./dist/src/index.js');
const esmCore = await import('./dist/src/sqlite/index.js');
const cjs = require('./dist/cjs/index.js');
assert.notEqual(esm.versionedUpdate, cjs.versionedUpdate, 'two copies of the package are loaded');

const client = createClient({ url: ':memory:' });
const db = drizzle(client);
const items = sqliteTable('items', { id: integer().primaryKey(), name: text().notNull(), version: esmCore.integerVersion() });
const plain = sqliteTable('plain', { id: integer().primaryKey(), name: text().notNull(), rev: integer().notNull().default(1) });
await db.run(sql.raw('create table items (id integer primary key, name text not null, version integer not null default 1)'));
await db.run(sql.raw('create table plain (id integer primary key, name text not null, rev integer not null default 1)'));
await db.insert(items).values({ id: 1, name: 'a' });
await db.insert(plain).values({ id: 1, name: 'a' });
const out = {};

// configuration: set through the ESM copy, seen (and used by a write) in the CommonJS copy
const seen = [];
esm.configureConcurrency({ versionRequired: false, onConflict: (e) => seen.push(e.name) });
out.config = cjs.configureConcurrency({}).versionRequired === false;
await cjs.versionedUpdate(db, items, { id: 1 }, { name: 'b' });                     // no version: allowed by the ESM setting
await assert.rejects(() => cjs.versionedUpdate(db, items, { id: 1, version: 1 }, { name: 'c' }));
out.onConflict = seen.length === 1;

// scopes: opened through the CommonJS copy, seen by a write of the ESM copy
out.scope = await cjs.disableConcurrency(async () => (await esm.versionedUpdate(db, items, { id: 1, version: 1 }, { name: 'd' })).version === 3);

// table metadata: applyConcurrencyCheck through the ESM copy after the CommonJS copy looked
out.before = cjs.getVersionColumn(plain) === undefined;
esm.applyConcurrencyCheck(plain, 'rev');
out.metadata = cjs.getVersionColumn(plain)?.key === 'rev';

// versionedModify's hot keys: conflicts recorded through the ESM copy make the key hot in the CommonJS copy
const esmHot = await import('./dist/src/write/hot-keys.js');
const cjsHot = require('./dist/cjs/write/hot-keys.js');
const hotId = esmHot.hotKeyId(items, { id: 1 });
out.hotKeyId = cjsHot.hotKeyId(items, { id: 1 }) === hotId;
esmHot.recordConflict(hotId);
esmHot.recordConflict(hotId);
out.hot = cjsHot.isHot(hotId);

// turns on one SQLite connection (better-sqlite3's writes take them): one held through the ESM copy makes the CommonJS copy wait
const esmTurns = await import('./dist/src/transaction/sync-transaction.js');
const cjsTurns = require('./dist/cjs/transaction/sync-transaction.js');
const order = [];
let release;
const first = esmTurns.withConnectionTurn(db, () => new Promise((resolve) => { order.push('esm'); release = resolve; }));
await new Promise((resolve) => setTimeout(resolve, 10));
const second = cjsTurns.withConnectionTurn(db, async () => { order.push('cjs'); });
await new Promise((resolve) => setTimeout(resolve, 20));
out.waited = order.join() === 'esm';
release();
await first;
await second;
out.turns = order.join() === 'esm,cjs';
console.log(JSON.stringify(out));
`;

test('an ESM and a CommonJS copy loaded in one process share configuration, scopes, table metadata, hot keys and SQLite turns', () => {
  assert.ok(existsSync(`${root}dist/cjs/index.js`) && existsSync(`${root}dist/src/index.js`), 'dist/ is missing: run `npm run build` first');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout.trim().split('\n').pop()!), { config: true, onConflict: true, scope: true, before: true, metadata: true, hotKeyId: true, hot: true, waited: true, turns: true });
});

test.run();
