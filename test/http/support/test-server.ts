/**
 * The example service for one HTTP test file: started on 127.0.0.1 with an ephemeral port and
 * its own libSQL file before the tests, closed and its files removed after.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Test } from 'uvu';
import { startServer, type RunningServer } from '../../../fixtures/http/server.js';

export interface TestServer {
  /** `fetch` against the running service. */
  api(path: string, init?: RequestInit): Promise<Response>;
  readonly server: RunningServer;
  /** The libSQL file the service writes, for clients outside it. */
  readonly file: string;
}

export function useTestServer(test: Test, name: string, options: { secret?: string; redirect?: RequestRedirect } = {}): TestServer {
  const file = fileURLToPath(new URL(`../../../.tmp/http-${name}-${process.pid}.db`, import.meta.url));
  let server: RunningServer | undefined;
  test.before(async () => {
    server = await startServer({ port: 0, dbFile: file, ...(options.secret ? { secret: options.secret } : {}) });
  });
  test.after(async () => {
    await server?.close();
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
  });
  return {
    api: (path, init = {}) => fetch(server!.url + path, { ...(options.redirect ? { redirect: options.redirect } : {}), ...init }),
    get server() {
      return server!;
    },
    file,
  };
}
