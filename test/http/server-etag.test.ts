/**
 * The example service's JSON API over real HTTP on 127.0.0.1: ETags, If-Match, 412 / 410 / 428 / 400.
 * The server is started through its exported function and spoken to with `fetch` only.
 */
import { createClient } from '@libsql/client';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { useTestServer } from './support/test-server.js';

let skus = 0;
const { api, file } = useTestServer(test, 'etag');
const patch = (id: number, ifMatch: string | undefined, changes: unknown) =>
  api(`/products/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) },
    body: typeof changes === 'string' ? changes : JSON.stringify(changes),
  });
const del = (id: number, ifMatch?: string) => api(`/products/${id}`, { method: 'DELETE', headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });

async function create(): Promise<{ id: number; version: number; priceCents: number; stock: number }> {
  const res = await api('/products', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku: `SKU-${++skus}`, name: 'Desk lamp', priceCents: 2500, stock: 10 }),
  });
  assert.is(res.status, 201);
  assert.is(res.headers.get('etag'), '"1"');
  return res.json() as any;
}

async function stored(id: number): Promise<{ status: number; etag: string | null; body: any }> {
  const res = await api(`/products/${id}`);
  return { status: res.status, etag: res.headers.get('etag'), body: await res.json() };
}

test('GET returns the row with a strong ETag of its version; unknown ids are 404', async () => {
  const { id } = await create();
  const got = await stored(id);
  assert.is(got.status, 200);
  assert.is(got.etag, '"1"');
  assert.equal(got.body, { id, sku: `SKU-${skus}`, name: 'Desk lamp', priceCents: 2500, stock: 10, version: 1 });
  for (const path of ['/products/999999', '/products/01', '/products/abc', '/products/-1']) assert.is((await api(path)).status, 404, path);
});

test('PATCH with the ETag just read succeeds and returns the next ETag, which works in turn', async () => {
  const { id } = await create();
  const first = await patch(id, '"1"', { priceCents: 2200 });
  assert.is(first.status, 200);
  assert.is(first.headers.get('etag'), '"2"');
  assert.is(((await first.json()) as any).priceCents, 2200);
  const second = await patch(id, first.headers.get('etag')!, { stock: 4 });
  assert.is(second.status, 200);
  assert.is(second.headers.get('etag'), '"3"');
  assert.equal((await stored(id)).body, { ...(await second.json() as object) });
  assert.is((await stored(id)).body.stock, 4);
});

test('two clients race a PATCH after both read: exactly one 200, the other 412 with the current ETag and a diff', async () => {
  for (let round = 0; round < 5; round++) {
    const { id } = await create();
    const [a, b] = await Promise.all([api(`/products/${id}`), api(`/products/${id}`)]);
    const [etagA, etagB] = [a.headers.get('etag')!, b.headers.get('etag')!];
    assert.is(etagA, '"1"');
    assert.is(etagB, '"1"');
    const results = await Promise.all([patch(id, etagA, { priceCents: 1111 }), patch(id, etagB, { priceCents: 2222 })]);
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status === 412);
    assert.is(won.length, 1, `statuses ${results.map((r) => r.status)}`);
    assert.is(lost.length, 1, `statuses ${results.map((r) => r.status)}`);
    const winner = (await won[0]!.json()) as any;
    const loserPrice = winner.priceCents === 1111 ? 2222 : 1111;
    assert.is(lost[0]!.headers.get('etag'), '"2"');
    assert.is(lost[0]!.headers.get('content-type'), 'application/json');
    const body = (await lost[0]!.json()) as any;
    assert.is(body.error, 'conflict');
    assert.is(body.reason, 'modified');
    assert.is(body.table, 'products');
    assert.equal(body.key, { id });
    assert.is(body.expectedVersion, 1);
    assert.is(body.currentVersion, 2);
    assert.equal(body.current, winner);
    assert.equal(body.diff, [{ field: 'priceCents', mine: loserPrice, current: winner.priceCents }]);
    const now = await stored(id);
    assert.is(now.etag, '"2"');
    assert.is(now.body.priceCents, winner.priceCents, 'the loser did not overwrite the winner');
  }
});

test('a stale DELETE is refused with 412 and the row survives; a fresh one deletes; then 410', async () => {
  const { id } = await create();
  assert.is((await patch(id, '"1"', { stock: 9 })).status, 200);
  const stale = await del(id, '"1"');
  assert.is(stale.status, 412);
  assert.is(stale.headers.get('etag'), '"2"');
  assert.is(((await stale.json()) as any).currentVersion, 2);
  const survived = await stored(id);
  assert.is(survived.status, 200);
  assert.is(survived.body.stock, 9);
  const fresh = await del(id, '"2"');
  assert.is(fresh.status, 204);
  assert.is((await stored(id)).status, 404);
  const again = await del(id, '"2"');
  assert.is(again.status, 410);
  assert.is(again.headers.get('etag'), null);
  const gone = (await again.json()) as any;
  assert.is(gone.reason, 'deleted');
  assert.is(gone.current, null);
  assert.is((await patch(id, '"2"', { stock: 1 })).status, 410);
});

test('a write without If-Match (or with "*") is 428 and changes nothing', async () => {
  const { id } = await create();
  for (const ifMatch of [undefined, '', '*']) {
    for (const res of [await patch(id, ifMatch, { stock: 0 }), await del(id, ifMatch)]) {
      assert.is(res.status, 428, `If-Match ${JSON.stringify(ifMatch)}`);
      const body = (await res.json()) as any;
      assert.is(body.error, 'precondition_required');
      assert.match(body.message, /If-Match/);
    }
  }
  const now = await stored(id);
  assert.is(now.etag, '"1"');
  assert.is(now.body.stock, 10);
});

test('a malformed If-Match is 400 with the reason, and changes nothing', async () => {
  const { id } = await create();
  const cases: [string, RegExp][] = [
    ['W/"1"', /weak entity tags only/],
    ['"abc"', /not a version ETag/],
    ['1', /expected a quoted entity tag/],
    ['"1", "2"', /names 2 different versions/],
    ['"1', /unterminated/],
    ['"0"', /not a version ETag/],
  ];
  for (const [ifMatch, message] of cases) {
    for (const res of [await patch(id, ifMatch, { stock: 0 }), await del(id, ifMatch)]) {
      assert.is(res.status, 400, ifMatch);
      const body = (await res.json()) as any;
      assert.is(body.error, 'bad_version');
      assert.match(body.message, message);
    }
  }
  assert.is((await stored(id)).etag, '"1"');
  assert.is((await patch(id, 'W/"2", "1"', { stock: 1 })).status, 200, 'weak tags beside the strong one are skipped');
});

test('bad bodies are 400 and change nothing', async () => {
  const { id } = await create();
  const cases: [unknown, RegExp][] = [
    ['{not json', /must be JSON/],
    [{ version: 5 }, /the version travels in If-Match/],
    [{ id: 2 }, /"id", which is not a writable product field/],
    [{ stock: -1 }, /stock must be a non-negative integer/],
    [{ priceCents: '10' }, /priceCents must be a non-negative integer/],
    [[1], /must be a JSON object/],
  ];
  for (const [body, message] of cases) {
    const res = await patch(id, '"1"', body);
    assert.is(res.status, 400, String(body));
    assert.match(((await res.json()) as any).message, message);
  }
  assert.is((await stored(id)).etag, '"1"');
});

test('an edit from another client (raw SQL, the version trigger) makes the ETag stale: 412', async () => {
  const { id } = await create();
  const other = createClient({ url: `file:${file}` });
  try {
    await other.execute('pragma busy_timeout = 10000');
    await other.execute({ sql: 'update products set stock = stock - 1 where id = ?', args: [id] });
  } finally {
    other.close();
  }
  const res = await patch(id, '"1"', { stock: 10 });
  assert.is(res.status, 412);
  assert.is(res.headers.get('etag'), '"2"');
  assert.equal(((await res.json()) as any).diff, [{ field: 'stock', mine: 10, current: 9 }]);
  assert.is((await patch(id, '"2"', { stock: 10 })).status, 200);
});

test.run();
