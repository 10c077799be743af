import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError, VersionError, createVersionSigner } from '../../src/index.js';
import { throwsError } from '../support/assert-rejects.js';

const SECRET = 'k'.repeat(32);
const signer = createVersionSigner(SECRET);

test('sign → unsign round-trips; tokens are URL-safe "<version>.<43 base64url chars>"', () => {
  for (const version of [1, 3, 42, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
    const token = signer.sign(version);
    assert.match(token, new RegExp(`^${version}\\.[A-Za-z0-9_-]{43}$`));
    assert.is(encodeURIComponent(token), token, 'no escaping needed in a URL or form');
    assert.is(signer.unsign(token), version);
    assert.is(token, signer.sign(version), 'deterministic');
  }
  assert.is.not(signer.sign(3).split('.')[1], signer.sign(4).split('.')[1]);
  const bytes = createVersionSigner(new Uint8Array(32).fill(7));
  assert.is(bytes.unsign(bytes.sign(9)), 9);
});

test('tampered, truncated or malformed tokens are VersionErrors carrying the token', () => {
  const token = signer.sign(3);
  const [, mac] = token.split('.') as [string, string];
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const forged = [
    `4.${mac}`, // another version under this version's MAC
    `30.${mac}`,
    `3.${flip(mac, 0)}`,
    `3.${flip(mac, 20)}`,
    `3.${flip(mac, 42)}`,
  ];
  for (const bad of forged) {
    const error = throwsError(() => signer.unsign(bad), VersionError, /does not verify: it was tampered with, or signed with another secret or salt/);
    assert.is((error as VersionError).value, bad);
  }
  const malformed: unknown[] = [
    token.slice(0, -1), // truncated
    token.slice(0, 10),
    '3.',
    '3',
    `.${mac}`,
    `${token}A`,
    `${token}.`,
    ` ${token}`,
    `${token} `,
    `03.${mac}`,
    `0.${mac}`,
    `-3.${mac}`,
    `3.0.${mac}`,
    `9007199254740993.${mac}`,
    `3:${mac}`,
    `3.${mac.slice(0, 42)}=`,
    `3.${mac.slice(0, 42)}+`,
    '',
    3,
    null,
    undefined,
    {},
  ];
  for (const bad of malformed) {
    const error = throwsError(() => signer.unsign(bad), VersionError, /signed version is malformed/);
    assert.ok(Object.is((error as VersionError).value, bad));
  }
});

test('a second spelling of the same MAC bytes is refused (the text is compared, not the decoded bytes)', () => {
  const token = signer.sign(3);
  const mac = token.split('.')[1]!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(mac[42]!);
  const twin = mac.slice(0, 42) + alphabet[last ^ 1];
  assert.equal(Buffer.from(twin, 'base64url'), Buffer.from(mac, 'base64url'), 'the twin decodes to the same bytes');
  throwsError(() => signer.unsign(`3.${twin}`), VersionError, /does not verify/);
});

test('a token from another secret or another salt does not verify', () => {
  const token = signer.sign(5);
  const cases = [
    createVersionSigner('j'.repeat(32)),
    createVersionSigner(`${SECRET}x`),
    createVersionSigner(SECRET, { salt: 'products/1' }),
  ];
  for (const other of cases) {
    throwsError(() => other.unsign(token), VersionError, /another secret or salt/);
    throwsError(() => signer.unsign(other.sign(5)), VersionError, /another secret or salt/);
  }
  const one = createVersionSigner(SECRET, { salt: 'products/1' });
  const two = createVersionSigner(SECRET, { salt: 'products/2' });
  throwsError(() => two.unsign(one.sign(5)), VersionError, /another secret or salt/);
  assert.is(createVersionSigner(SECRET, { salt: 'products/1' }).unsign(one.sign(5)), 5, 'same secret and salt verify');
  const empty = createVersionSigner(SECRET, { salt: '' });
  assert.is(empty.unsign(signer.sign(5)), 5, 'an empty salt is no salt');
});

test('a secret shorter than 32 bytes is a ConfigurationError', () => {
  for (const secret of ['', 'short', 'k'.repeat(31), new Uint8Array(31), Buffer.alloc(0)]) {
    throwsError(() => createVersionSigner(secret), ConfigurationError, /at least 32 bytes, got \d+/);
  }
  throwsError(() => createVersionSigner('é'.repeat(15)), ConfigurationError, /got 30/);
  assert.ok(createVersionSigner('é'.repeat(16)), '32 UTF-8 bytes are enough');
  throwsError(() => createVersionSigner(42 as any), ConfigurationError, /must be a string or bytes/);
  throwsError(() => createVersionSigner(SECRET, { salt: 7 as any }), ConfigurationError, /salt must be a string/);
});

test('signing anything but a positive safe integer is a VersionError', () => {
  for (const version of [Number.NaN, 0, -1, 1.5, Infinity, Number.MAX_SAFE_INTEGER + 1, '3', 3n, null, undefined]) {
    const error = throwsError(() => signer.sign(version as any), VersionError, /only a positive integer version can be signed/);
    assert.ok(Object.is((error as VersionError).value, version));
  }
});

test.run();
