/**
 * The example service's HTML form over real HTTP: the version travels as a signed hidden token
 * (or an identity string); forged or foreign versions are 400, stale posts 409 with a diff.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { useTestServer } from './support/test-server.js';
import { createVersionSigner } from '../../src/index.js';

const SECRET = 'form-test-secret-0123456789abcdef';
let skus = 0;
const { api } = useTestServer(test, 'forms', { secret: SECRET, redirect: 'manual' });

async function create(): Promise<number> {
  const res = await api('/products', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku: `FORM-${++skus}`, name: 'Desk lamp', priceCents: 2500, stock: 10 }),
  });
  assert.is(res.status, 201);
  return ((await res.json()) as { id: number }).id;
}

async function formToken(id: number): Promise<string> {
  const res = await api(`/products/${id}/edit`);
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  const token = /name="token" value="([^"]+)"/.exec(await res.text())?.[1];
  assert.ok(token, 'the form carries a hidden token');
  return token!;
}

const post = (id: number, fields: Record<string, string>) => api(`/products/${id}/edit`, { method: 'POST', body: new URLSearchParams(fields) });

async function stored(id: number): Promise<any> {
  return (await api(`/products/${id}`)).json();
}

test('a form post with the signed token saves and redirects; the old token is then stale: 409 with a diff', async () => {
  const id = await create();
  const token = await formToken(id);
  assert.match(token, /^1\.[A-Za-z0-9_-]{43}$/);
  const saved = await post(id, { token, name: 'Blue lamp', priceCents: '2400' });
  assert.is(saved.status, 303);
  assert.is(saved.headers.get('location'), `/products/${id}/edit`);
  assert.equal(await stored(id), { id, sku: `FORM-${skus}`, name: 'Blue lamp', priceCents: 2400, stock: 10, version: 2 });
  assert.match(await formToken(id), /^2\./);

  const stale = await post(id, { token, name: 'Red lamp', priceCents: '2400' });
  assert.is(stale.status, 409);
  assert.is(stale.headers.get('etag'), '"2"');
  const body = (await stale.json()) as any;
  assert.is(body.error, 'conflict');
  assert.is(body.expectedVersion, 1);
  assert.is(body.currentVersion, 2);
  assert.equal(body.diff, [{ field: 'name', mine: 'Red lamp', current: 'Blue lamp' }]);
  assert.is((await stored(id)).name, 'Blue lamp');
});

test('a forged, truncated, foreign-secret or other-product token is 400 with a clear message, and nothing is written', async () => {
  const id = await create();
  const otherId = await create();
  const token = await formToken(id);
  const mac = token.split('.')[1]!;
  assert.is((await post(id, { token, stock: '9' })).status, 303); // now at version 2: an old token must not pass as "2"
  const cases: [string, RegExp][] = [
    [`2.${mac}`, /signed version does not verify: it was tampered with, or signed with another secret or salt/],
    [`2.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`, /does not verify/],
    [token.slice(0, -5), /signed version is malformed/],
    ['2', /signed version is malformed/],
    ['', /signed version is malformed/],
    [createVersionSigner('another-secret-0123456789abcdefgh', { salt: `products/${id}` }).sign(2), /does not verify/],
    [createVersionSigner(SECRET).sign(2), /does not verify/], // right secret, no salt
    [createVersionSigner(SECRET, { salt: `products/${otherId}` }).sign(2), /does not verify/],
  ];
  for (const [forged, message] of cases) {
    const res = await post(id, { token: forged, stock: '0' });
    assert.is(res.status, 400, forged);
    const body = (await res.json()) as any;
    assert.is(body.error, 'bad_version');
    assert.match(body.message, message);
  }
  // The token of one product does not verify on another (the signer is salted per product).
  const otherToken = await formToken(otherId);
  assert.is((await post(id, { token: otherToken, stock: '0' })).status, 400);
  assert.is((await stored(id)).stock, 9);
  assert.is((await stored(id)).version, 2);
  // The genuine current token, signed the way the server does, passes.
  assert.is((await post(id, { token: createVersionSigner(SECRET, { salt: `products/${id}` }).sign(2), stock: '8' })).status, 303);
});

test('an identity string works as the form version; a forged one is 400', async () => {
  const id = await create();
  const otherId = await create();
  assert.is((await post(id, { identity: `${id},1`, stock: '7' })).status, 303);
  assert.is((await stored(id)).stock, 7);
  const stale = await post(id, { identity: `${id},1`, stock: '6' });
  assert.is(stale.status, 409);
  const cases: [string, RegExp][] = [
    ['abc', /identity "abc" for "products": has 1 comma-separated part\(s\), expected 2 \(id,version\)/],
    [`${id},2,1`, /has 3 comma-separated part/],
    [`${id},0`, /version must be a positive integer/],
    [`${id},2.0`, /version must be a positive integer/],
    [`0${id},2`, /key "id" must be an integer/],
    [`${id}.0,2`, /key "id" must be an integer/],
    [`,2`, /key "id" must be an integer/],
    ['', /has 1 comma-separated part/],
    [`${otherId},1`, new RegExp(`names product ${otherId}, not product ${id}`)],
  ];
  for (const [forged, message] of cases) {
    const res = await post(id, { identity: forged, stock: '0' });
    assert.is(res.status, 400, forged);
    const body = (await res.json()) as any;
    assert.is(body.error, 'bad_version');
    assert.match(body.message, message);
  }
  assert.is((await stored(id)).stock, 7);
  assert.is((await stored(otherId)).stock, 10, 'an identity naming another product never writes it');
});

test('a form without a version, or with both token and identity, is 400; bad fields are 400; a deleted row 410', async () => {
  const id = await create();
  const token = await formToken(id);
  const none = await post(id, { stock: '1' });
  assert.is(none.status, 400);
  assert.match(((await none.json()) as any).message, /carries no version/);
  const both = await post(id, { token, identity: `${id},1`, stock: '1' });
  assert.is(both.status, 400);
  assert.match(((await both.json()) as any).message, /both a version token and an identity/);
  const badField = await post(id, { token, stock: '-1' });
  assert.is(badField.status, 400);
  assert.match(((await badField.json()) as any).message, /"stock" must be a non-negative integer/);
  assert.is((await stored(id)).version, 1);
  assert.is((await api(`/products/${id}`, { method: 'DELETE', headers: { 'if-match': '"1"' } })).status, 204);
  assert.is((await post(id, { token, stock: '1' })).status, 410);
});

test.run();
