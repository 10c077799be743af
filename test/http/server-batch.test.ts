/**
 * The example service's list-editable batch (`PATCH /products` with `[{ identity, changes }]`):
 * `versionedUpdateMany` with `policy: 'silent'` applies the fresh rows and reports the stale ones.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { useTestServer } from './support/test-server.js';

let skus = 0;
const { api } = useTestServer(test, 'batch');
const json = (method: string, body: unknown) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function create(stock = 10): Promise<number> {
  const res = await api('/products', json('POST', { sku: `BATCH-${++skus}`, name: `Item ${skus}`, priceCents: 100, stock }));
  assert.is(res.status, 201);
  return ((await res.json()) as { id: number }).id;
}

async function listed(): Promise<Map<number, { identity: string; product: any }>> {
  const res = await api('/products');
  assert.is(res.status, 200);
  const rows = (await res.json()) as { identity: string; product: any }[];
  return new Map(rows.map((row) => [row.product.id, row]));
}

test('applies the fresh rows and reports the stale and the deleted ones', async () => {
  const [a, b, c, d] = [await create(), await create(), await create(), await create()];
  const before = await listed();
  assert.is(before.get(a)!.identity, `${a},1`);
  // Someone else edits b and deletes d after the list was read.
  assert.is((await api(`/products/${b}`, { ...json('PATCH', { stock: 50 }), headers: { 'content-type': 'application/json', 'if-match': '"1"' } })).status, 200);
  assert.is((await api(`/products/${d}`, { method: 'DELETE', headers: { 'if-match': '"1"' } })).status, 204);

  const res = await api(
    '/products',
    json('PATCH', [a, b, c, d].map((id) => ({ identity: before.get(id)!.identity, changes: { stock: 1 } }))),
  );
  assert.is(res.status, 200);
  const body = (await res.json()) as any;
  assert.equal(
    body.updated.map((u: any) => [u.identity, u.product.id, u.product.stock, u.product.version]),
    [
      [`${a},2`, a, 1, 2],
      [`${c},2`, c, 1, 2],
    ],
  );
  assert.is(body.conflicts.length, 2);
  const [stale, deleted] = body.conflicts.sort((x: any, y: any) => x.index - y.index);
  assert.equal(
    { index: stale.index, identity: stale.identity, currentIdentity: stale.currentIdentity, reason: stale.reason },
    { index: 1, identity: `${b},1`, currentIdentity: `${b},2`, reason: 'modified' },
  );
  assert.is(stale.expectedVersion, 1);
  assert.is(stale.currentVersion, 2);
  assert.equal(stale.diff, [{ field: 'stock', mine: 1, current: 50 }]);
  assert.equal(
    { index: deleted.index, identity: deleted.identity, currentIdentity: deleted.currentIdentity, reason: deleted.reason, current: deleted.current },
    { index: 3, identity: `${d},1`, currentIdentity: null, reason: 'deleted', current: null },
  );
  const after = await listed();
  assert.is(after.get(a)!.product.stock, 1);
  assert.is(after.get(b)!.product.stock, 50, 'the stale row keeps the other client\'s value');
  assert.is(after.get(c)!.product.stock, 1);
  assert.is(after.has(d), false, 'a deleted row is never re-created');

  // Retrying the conflicting row with its current identity succeeds.
  const retry = await api('/products', json('PATCH', [{ identity: stale.currentIdentity, changes: { stock: 2 } }]));
  const retried = (await retry.json()) as any;
  assert.equal(retried.conflicts, []);
  assert.is(retried.updated[0].product.stock, 2);
});

test('a malformed identity anywhere in the batch is 400 naming the item, and nothing is applied', async () => {
  const [a, b] = [await create(), await create()];
  const cases: [unknown, RegExp][] = [
    [[{ identity: `${a},1`, changes: { stock: 3 } }, { identity: `${b},x`, changes: { stock: 3 } }], /items\[1\]\.identity: identity .* version must be a positive integer/],
    [[{ identity: `${a},1`, changes: { stock: 3 } }, { identity: `${b}`, changes: { stock: 3 } }], /items\[1\]\.identity: .*has 1 comma-separated part/],
    [[{ identity: 7, changes: { stock: 3 } }], /items\[0\]\.identity: identity for "products": must be a string/],
    [[{ identity: `${a},1`, changes: { version: 3 } }], /items\[0\]\.changes holds "version"/],
    [[{ identity: `${a},1`, changes: { stock: 3 } }, { identity: `${a},1`, changes: { stock: 4 } }], /names \(id=\d+\) twice/],
    [[], /JSON array of 1 to 100 items/],
    [{ identity: `${a},1` }, /JSON array/],
    [[null], /items\[0\] must be an object/],
  ];
  for (const [body, message] of cases) {
    const res = await api('/products', json('PATCH', body));
    assert.is(res.status, 400, JSON.stringify(body));
    assert.match(((await res.json()) as any).message, message);
  }
  const now = await listed();
  assert.is(now.get(a)!.identity, `${a},1`);
  assert.is(now.get(b)!.identity, `${b},1`);
  assert.is(now.get(a)!.product.stock, 10);
});

test('a batch where every row conflicts applies nothing and reports them all', async () => {
  const [a, b] = [await create(), await create()];
  const res = await api('/products', json('PATCH', [{ identity: `${a},3`, changes: { stock: 0 } }, { identity: `${b},2`, changes: { stock: 0 } }]));
  assert.is(res.status, 200);
  const body = (await res.json()) as any;
  assert.equal(body.updated, []);
  assert.equal(body.conflicts.map((c: any) => [c.index, c.expectedVersion, c.currentVersion]), [
    [0, 3, 1],
    [1, 2, 1],
  ]);
  const now = await listed();
  assert.is(now.get(a)!.product.stock, 10);
  assert.is(now.get(b)!.product.stock, 10);
});

test.run();
