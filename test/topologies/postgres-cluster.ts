/**
 * A PostgreSQL 15 primary and its streaming replica of the run's own, never the shared 5432
 * server: `initdb` (what `pg_createcluster` runs) into the run's temp dir, a replication user,
 * `pg_basebackup -R -X stream` for the replica; both run as `postgres` on free ports.
 */
import { chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { listening, run, start, waitFor, type Owned } from './processes.js';

const BIN = '/usr/lib/postgresql/15/bin';

/** A running primary and replica. */
export interface PgCluster {
  primaryUrl: string;
  replicaUrl: string;
  primaryPort: number;
  servers: Owned[];
}

const settings = (port: number, sockets: string) => [
  '-p', String(port),
  '-c', 'listen_addresses=127.0.0.1',
  '-c', `unix_socket_directories=${sockets}`,
  '-c', 'max_connections=60',
  '-c', 'shared_buffers=32MB',
  '-c', 'fsync=off',
  '-c', 'synchronous_commit=off',
  '-c', 'full_page_writes=off',
  '-c', 'wal_level=replica',
  '-c', 'max_wal_senders=4',
  '-c', 'hot_standby=on',
];

async function answers(url: string, sqlText: string): Promise<any[]> {
  const c = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    return [...(await c.unsafe(sqlText))];
  } finally {
    await c.end({ timeout: 1 });
  }
}

/** Starts a primary on `primaryPort` and a replica on `replicaPort` under `dir`. */
export async function startPgCluster(dir: string, primaryPort: number, replicaPort: number): Promise<PgCluster> {
  // The data directories live in a folder of postgres's own: the servers run as postgres.
  const base = join(dir, 'pg');
  mkdirSync(join(base, 'sockets'), { recursive: true });
  for (const d of [base, join(base, 'sockets')]) chownSync(d, uid('postgres'), gid('postgres'));
  const primary = join(base, 'primary');
  const replica = join(base, 'replica');
  const sockets = join(base, 'sockets');
  run(`${BIN}/initdb`, ['-D', primary, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'], 'postgres');
  const servers = [start('pg primary', `${BIN}/postgres`, ['-D', primary, ...settings(primaryPort, sockets)], join(dir, 'pg-primary.log'), 'postgres')];
  const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
  await waitFor('pg primary', 60_000, async () => (await listening(primaryPort)) && (await answers(primaryUrl, 'select 1')).length === 1);
  await answers(primaryUrl, `create role replicator with replication login`);
  run(`${BIN}/pg_basebackup`, ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'replicator', '-D', replica, '-R', '-X', 'stream', '--no-sync'], 'postgres');
  servers.push(start('pg replica', `${BIN}/postgres`, ['-D', replica, ...settings(replicaPort, sockets)], join(dir, 'pg-replica.log'), 'postgres'));
  const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/postgres`;
  await waitFor('pg replica', 60_000, async () => (await listening(replicaPort)) && (await answers(replicaUrl, 'select pg_is_in_recovery() as r'))[0]?.r === true);
  await waitFor('pg replica streaming', 30_000, async () => (await answers(primaryUrl, `select count(*)::int as n from pg_stat_replication where state = 'streaming'`))[0]?.n === 1);
  return { primaryUrl, replicaUrl, primaryPort, servers };
}

/** Numeric uid / gid of a system user. */
export function uid(user: string): number {
  return Number(run('id', ['-u', user]).trim());
}
export function gid(user: string): number {
  return Number(run('id', ['-g', user]).trim());
}
