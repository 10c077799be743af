/**
 * PgBouncer from Debian's package (installed with apt-get when missing, never started as a
 * service: the run starts the binary itself as `postgres`) in transaction pooling, with a
 * server pool smaller than the clients, in front of the run's own PostgreSQL primary.
 */
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { gid, uid } from './postgres-cluster.js';
import { listening, run, start, waitFor, type Owned } from './processes.js';

const BINARY = '/usr/sbin/pgbouncer';

/** Installs Debian's pgbouncer when it is missing (its service is not started here). */
export function ensurePgbouncer(): string {
  if (!existsSync(BINARY)) {
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', '--no-install-recommends', 'pgbouncer']);
  }
  return run(BINARY, ['--version']).split('\n')[0]!.trim();
}

/** A running PgBouncer: the URL clients use. */
export interface Bouncer {
  url: string;
  server: Owned;
}

/** Starts PgBouncer on `port` in front of `postgres` on 127.0.0.1:`targetPort`, `poolSize` server connections. */
export async function startPgbouncer(dir: string, port: number, targetPort: number, poolSize: number): Promise<Bouncer> {
  const base = join(dir, 'pgbouncer');
  mkdirSync(base, { recursive: true });
  chownSync(base, uid('postgres'), gid('postgres'));
  const ini = join(base, 'pgbouncer.ini');
  writeFileSync(join(base, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(
    ini,
    [
      '[databases]',
      `postgres = host=127.0.0.1 port=${targetPort} dbname=postgres user=postgres`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${base}`,
      'auth_type = trust',
      `auth_file = ${join(base, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      `max_db_connections = ${poolSize}`,
      'min_pool_size = 0',
      'reserve_pool_size = 0',
      'max_client_conn = 200',
      'ignore_startup_parameters = extra_float_digits,options',
      'server_reset_query =',
      '',
    ].join('\n'),
  );
  const server = start('pgbouncer', BINARY, [ini], join(dir, 'pgbouncer.log'), 'postgres');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitFor('pgbouncer', 30_000, async () => {
    if (!(await listening(port))) return false;
    const c = postgres(url, { max: 1, prepare: false, onnotice: () => {}, connect_timeout: 3 });
    try {
      return (await c`select 1 as one`)[0]?.one === 1;
    } finally {
      await c.end({ timeout: 1 });
    }
  });
  return { url, server };
}
