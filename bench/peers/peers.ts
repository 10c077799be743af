/**
 * Peer ORMs against `versionedUpdate`, same database, same row shape: Sequelize's
 * `version: true` instance `save()` and MikroORM's `version: true` single-entity `flush()`.
 * Measured op by op, interleaved with the Drizzle side (`compare` from bench/overhead.ts), so
 * drift hits both. The peers live in this folder's own package (`npm ci --prefix bench/peers`):
 * they are loaded by name at run time so the library's typecheck never needs them installed.
 */
import { eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { versionedUpdate } from '../../src/index.js';
import { MYSQL_URL, PG_URL, type TestDatabase } from '../../test/support/databases.js';
import { tableDdl } from '../../test/support/ddl.js';
import { testSchema } from '../../test/support/schema.js';
import { compare } from '../overhead.js';

/** One peer on one dialect: Drizzle's throughput over the peer's (goal ≥ 1.2). */
export interface PeerRow {
  dialect: 'pg' | 'mysql';
  peer: string;
  ratio: number;
  drizzlePerSec: number;
  peerPerSec: number;
}

const TABLE = 'bench_peer_accounts';

/** Imports a package of this folder by a name the compiler does not resolve. */
const load = (name: string): Promise<any> => import(name);

/** Versions of the peer packages, for the report. */
export function peerVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['sequelize', '@mikro-orm/core', 'pg', 'mysql2', 'mariadb']) {
    try {
      const file = new URL(`node_modules/${name}/package.json`, import.meta.url);
      out[name] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      out[name] = 'not installed';
    }
  }
  return out;
}

async function sequelizeSave(dialect: 'pg' | 'mysql', id: number, reload = false) {
  const { Sequelize, DataTypes } = await load('sequelize');
  const s = new Sequelize(dialect === 'pg' ? PG_URL : MYSQL_URL, { logging: false, pool: { max: 1, min: 1 } });
  const Account = s.define(
    'Account',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true },
      owner: { type: DataTypes.STRING(100), allowNull: false },
      balance: { type: DataTypes.INTEGER, allowNull: false },
      note: { type: DataTypes.STRING(100) },
      version: { type: DataTypes.INTEGER, allowNull: false },
    },
    { tableName: TABLE, timestamps: false, version: true },
  );
  const row = await Account.findByPk(id);
  return {
    op: async (i: number) => {
      row.balance = i;
      await row.save();
      // versionedUpdate resolves to the row as stored; save() keeps the instance as it was set.
      if (reload) await row.reload();
    },
    close: () => s.close(),
  };
}

async function mikroFlush(dialect: 'pg' | 'mysql', id: number) {
  const { EntitySchema } = await load('@mikro-orm/core');
  const { MikroORM } = await load(dialect === 'pg' ? '@mikro-orm/postgresql' : '@mikro-orm/mariadb');
  const Account = new EntitySchema({
    name: 'Account',
    tableName: TABLE,
    properties: {
      id: { type: 'number', primary: true, autoincrement: false },
      owner: { type: 'string' },
      balance: { type: 'number' },
      note: { type: 'string', nullable: true },
      version: { type: 'number', version: true },
    },
  });
  const url = new URL(dialect === 'pg' ? PG_URL : MYSQL_URL);
  const orm = await MikroORM.init({
    entities: [Account],
    clientUrl: url.href,
    dbName: url.pathname.slice(1),
    debug: false,
    pool: { min: 1, max: 1 },
    allowGlobalContext: true,
  });
  const em = orm.em.fork();
  const row = await em.findOneOrFail(Account, { id });
  return {
    op: async (i: number) => {
      row.balance = i;
      await em.flush();
    },
    close: () => orm.close(true),
  };
}

/** Runs both peers against `versionedUpdate` on `d` (postgres.js or mysql2). */
export async function peers(d: TestDatabase, ops: number, rounds: number): Promise<PeerRow[]> {
  const dialect = d.dialect as 'pg' | 'mysql';
  const t = testSchema(dialect, 'bench_peer_');
  for (const s of tableDdl(dialect, t.accounts)) await d.exec(s);
  await d.db.insert(t.accounts).values([1, 2, 3].map((id) => ({ id, owner: 'peer', balance: 0 })));
  let row = (await d.db.select().from(t.accounts).where(eq(t.accounts.id, 1)))[0];
  const ours = async (i: number) => {
    row = await versionedUpdate(d.db, t.accounts, row, { balance: i });
  };
  const out: PeerRow[] = [];
  for (const [peer, open] of [
    ['Sequelize save() (version: true)', () => sequelizeSave(dialect, 2)],
    ['MikroORM flush() (version: true)', () => mikroFlush(dialect, 3)],
    ...(dialect === 'mysql' ? ([['Sequelize save() + reload() (the row as stored, as ours returns)', () => sequelizeSave(dialect, 2, true)]] as const) : []),
  ] as const) {
    const p = await open();
    try {
      const r = await compare(ours, p.op, ops, rounds);
      out.push({ dialect, peer, ratio: r.ratio, drizzlePerSec: r.a, peerPerSec: r.b });
    } finally {
      await p.close();
    }
  }
  await d.exec(tableDdl(dialect, t.accounts)[0]!);
  return out;
}
