/**
 * Servers the topology run starts itself: free 127.0.0.1 ports, child processes it owns (and
 * stops by their pid, nothing else), bounded waits. Never touches the shared 5432 / 3306.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer, connect } from 'node:net';

/** A free TCP port on 127.0.0.1 (the kernel's pick; taken again by the server soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** `n` distinct free ports. */
export async function freePorts(n: number): Promise<number[]> {
  const out = new Set<number>();
  for (let tries = 0; out.size < n && tries < n * 20; tries++) out.add(await freePort());
  if (out.size < n) throw new Error(`found only ${out.size} of ${n} free ports`);
  return [...out];
}

/** Polls `check` every 200 ms until it resolves true; fails after `ms` naming `what`. */
export async function waitFor(what: string, ms: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not ready after ${ms} ms${last ? ` (${(last as Error).message})` : ''}`);
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Runs a command to completion as `user` (root when omitted); throws with its output on failure. */
export function run(command: string, args: readonly string[], user?: string): string {
  const [file, argv] = user ? ['setpriv', ['--reuid', user, '--regid', user, '--init-groups', '--', command, ...args]] : [command, args];
  const r = spawnSync(file, argv as string[], { encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stdout}${r.stderr}${r.error?.message ?? ''}`);
  return r.stdout;
}

/** A server process this run started, logging to `log`. */
export interface Owned {
  name: string;
  child: ChildProcess;
  log: string;
}

const owned: Owned[] = [];

/**
 * Starts `command` as `user` through `setpriv`, which execs it: the child's pid is the
 * server's own pid, so stopping it stops exactly that server.
 */
export function start(name: string, command: string, args: readonly string[], log: string, user?: string): Owned {
  const [file, argv] = user ? ['setpriv', ['--reuid', user, '--regid', user, '--init-groups', '--', command, ...args]] : [command, args];
  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn(file, argv as string[], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const server = { name, child, log };
  owned.push(server);
  return server;
}

/** True while the owned process runs. */
export const alive = (server: Owned) => server.child.exitCode === null && server.child.signalCode === null;

/** Stops one owned server by its pid: `signal`, then SIGKILL after `graceMs`. */
export async function stop(server: Owned, signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<void> {
  const i = owned.indexOf(server);
  if (i >= 0) owned.splice(i, 1);
  if (!alive(server)) return;
  const exited = new Promise<void>((r) => server.child.once('exit', () => r()));
  process.kill(server.child.pid!, signal);
  const timer = setTimeout(() => alive(server) && process.kill(server.child.pid!, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** How many servers are owned now: {@link stopAll} given it stops only those started later. */
export const mark = (): number => owned.length;

/** Stops every server still owned (or those started after `since`, a {@link mark}), newest first. */
export async function stopAll(since = 0): Promise<void> {
  for (const server of owned.slice(since).reverse()) await stop(server).catch(() => {});
}

/** Kills every owned server at once when the run is interrupted or crashes (sync, by pid). */
export function killOwnedNow(): void {
  for (const server of owned) if (alive(server)) process.kill(server.child.pid!, 'SIGKILL');
}
