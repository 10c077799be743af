/**
 * A 3-node MariaDB Galera cluster of the run's own (Debian's galera-4): each node its own
 * datadir (`mariadb-install-db`), client port, `wsrep_node_address`, group, IST and SST ports;
 * the first node bootstraps with `--wsrep-new-cluster`, the others join it (rsync SST).
 */
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { gid, uid } from './postgres-cluster.js';
import { freePorts, listening, run, start, waitFor, type Owned } from './processes.js';

const PROVIDER = '/usr/lib/galera/libgalera_smm.so';

/** A running cluster: one URL per node. */
export interface Galera {
  urls: string[];
  servers: Owned[];
}

interface NodePorts {
  client: number;
  group: number;
  ist: number;
  sst: number;
}

function config(dir: string, i: number, ports: NodePorts[]): string {
  const me = ports[i]!;
  return [
    '[mysqld]',
    `datadir = ${dir}`,
    `socket = ${join(dir, 'mysqld.sock')}`,
    `pid-file = ${join(dir, 'mysqld.pid')}`,
    `log-error = ${join(dir, 'error.log')}`,
    `port = ${me.client}`,
    'bind-address = 127.0.0.1',
    'user = mysql',
    'skip-name-resolve',
    'performance_schema = OFF',
    'innodb_buffer_pool_size = 64M',
    'innodb_log_file_size = 48M',
    'innodb_flush_log_at_trx_commit = 2',
    'binlog_format = ROW',
    'default_storage_engine = InnoDB',
    'innodb_autoinc_lock_mode = 2',
    'max_connections = 100',
    'wsrep_on = ON',
    `wsrep_provider = ${PROVIDER}`,
    'wsrep_cluster_name = dc_topologies',
    `wsrep_cluster_address = gcomm://${ports.map((p) => `127.0.0.1:${p.group}`).join(',')}`,
    `wsrep_node_name = node${i + 1}`,
    `wsrep_node_address = 127.0.0.1:${me.group}`,
    `wsrep_node_incoming_address = 127.0.0.1:${me.client}`,
    `wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:${me.group};ist.recv_addr=127.0.0.1:${me.ist};gcache.size=64M"`,
    `wsrep_sst_receive_address = 127.0.0.1:${me.sst}`,
    'wsrep_sst_method = rsync',
    'wsrep_slave_threads = 2',
    '',
  ].join('\n');
}

/** `mariadb` on the node's socket as root. */
function socketSql(dir: string, statement: string): string {
  return run('mariadb', ['--no-defaults', '-uroot', `--socket=${join(dir, 'mysqld.sock')}`, '-N', '-e', statement]);
}

async function ready(url: string, nodes: number): Promise<boolean> {
  const c = await mysql.createConnection({ uri: url, connectTimeout: 3000 });
  try {
    const [rows] = await c.query(`show status where variable_name in ('wsrep_ready', 'wsrep_cluster_size', 'wsrep_local_state_comment')`);
    const status = Object.fromEntries((rows as any[]).map((r) => [r.Variable_name, r.Value]));
    return status['wsrep_ready'] === 'ON' && Number(status['wsrep_cluster_size']) === nodes && status['wsrep_local_state_comment'] === 'Synced';
  } finally {
    await c.end();
  }
}

/** Starts a 3-node cluster under `dir` on free ports; database `test` exists on every node. */
export async function startGalera(dir: string, nodes = 3): Promise<Galera> {
  const flat = await freePorts(nodes * 4);
  const ports: NodePorts[] = Array.from({ length: nodes }, (_, i) => ({ client: flat[4 * i]!, group: flat[4 * i + 1]!, ist: flat[4 * i + 2]!, sst: flat[4 * i + 3]! }));
  const servers: Owned[] = [];
  const urls: string[] = [];
  const dirs: string[] = [];
  for (let i = 0; i < nodes; i++) {
    const base = join(dir, 'galera', `node${i + 1}`);
    const data = join(base, 'data');
    mkdirSync(data, { recursive: true });
    for (const d of [base, data]) chownSync(d, uid('mysql'), gid('mysql'));
    const cnf = join(base, 'my.cnf');
    writeFileSync(cnf, config(data, i, ports));
    run('mariadb-install-db', [`--defaults-file=${cnf}`, '--auth-root-authentication-method=normal', '--skip-test-db']);
    dirs.push(data);
    urls.push(`mysql://root@127.0.0.1:${ports[i]!.client}/test`);
    servers.push(start(`galera node${i + 1}`, 'mariadbd', [`--defaults-file=${cnf}`, ...(i === 0 ? ['--wsrep-new-cluster'] : [])], join(dir, `galera-node${i + 1}.log`)));
    if (i === 0) {
      await waitFor('galera node1', 60_000, async () => (await listening(ports[0]!.client)) && /1/.test(socketSql(data, 'select 1')));
      // TCP root for the clients, and the database; both reach the joiners by SST.
      socketSql(data, `create user if not exists 'root'@'127.0.0.1'; grant all on *.* to 'root'@'127.0.0.1' with grant option; create database if not exists test`);
    } else {
      await waitFor(`galera node${i + 1} joined`, 120_000, () => ready(urls[i]!, i + 1));
    }
  }
  await waitFor('galera cluster', 30_000, async () => (await Promise.all(urls.map((u) => ready(u, nodes)))).every(Boolean));
  return { urls, servers };
}
