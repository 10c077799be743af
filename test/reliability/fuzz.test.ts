/**
 * Fuzzed input (fast-check) against real databases (PostgreSQL through postgres.js, libSQL
 * :memory:): versions of every shape, targets missing keys or carrying extra ones, unknown
 * change keys, identities, signed tokens, `If-Match` headers and runtime-declared
 * `checkFields`. Only documented errors come out, and no stale or malformed input ever changes
 * the stored row. `FUZZ_RUNS` sets the run count (CI: 150).
 */
import { eq } from 'drizzle-orm';
import * as pgc from 'drizzle-orm/pg-core';
import * as lite from 'drizzle-orm/sqlite-core';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ConfigurationError,
  RecordDeletedError,
  RecordModifiedError,
  VersionError,
  createVersionSigner,
  getVersionColumn,
  identity,
  parseIdentity,
  parseIfMatch,
  versionETag,
  versionedDelete,
  versionedUpdate,
  versionedUpdateMany,
} from '../../src/index.js';
import * as pgv from '../../src/pg/index.js';
import * as litev from '../../src/sqlite/index.js';
import { testDatabases, type TestDatabase } from '../support/databases.js';
import { tableDdl } from '../support/ddl.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
const STORED_VERSION = 5;
const documented = (e: unknown) =>
  e instanceof VersionError || e instanceof ConfigurationError || e instanceof RecordModifiedError || e instanceof RecordDeletedError;
const INT4_MAX = 2 ** 31 - 1;
/** A key value the integer key column cannot hold (the library does not type-check keys). */
const malformedKey = (id: unknown) => !(typeof id === 'number' && Number.isInteger(id) && Math.abs(id) <= INT4_MAX);
/** The driver's own error, as Drizzle wraps it (`DrizzleQueryError` with the driver error as `cause`). */
const driverError = (e: unknown) => e instanceof Error && /^Failed query/.test(e.message) && (e as Error).cause instanceof Error;

/** Every shape a version could arrive in, good and bad. */
const anyVersion = fc.oneof(
  fc.integer({ min: -10, max: 12 }),
  fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 0.5, 5.0000001, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e300, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.double(),
  fc.bigInt(),
  fc.string(),
  fc.constantFrom('5', ' 5', '5 ', '0x5', '5n', '', null, undefined, true, [], {}, [5], { valueOf: () => 5 }),
);

/** A target: the key, maybe missing or mistyped, the version, maybe missing, and extra keys. */
const anyTarget = fc.record(
  {
    id: fc.oneof(fc.constant(1), fc.constant(2), fc.integer(), fc.string(), fc.constant(undefined), fc.constant(null)),
    version: anyVersion,
    extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  },
  { requiredKeys: [] },
).map(({ extra, ...rest }) => ({ ...extra, ...rest }) as Record<string, unknown>);
/** Mostly malformed targets, some well-formed ones around the stored version (one of them fresh). */
const target = fc.oneof(anyTarget, fc.record({ id: fc.constantFrom(1, 2), version: fc.constantFrom(STORED_VERSION - 1, STORED_VERSION, STORED_VERSION + 1) }));

/** Changes: valid, naming the version, unknown keys, and keys Object.prototype has (`__proto__` as JSON.parse makes it). */
const anyChanges = fc.oneof(
  fc.record({ body: fc.string({ maxLength: 20 }) }),
  fc.dictionary(fc.constantFrom('body', 'version', 'nope', 'id ', 'Body', 'BODY', '', 'constructor', 'toString', 'hasOwnProperty'), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.constantFrom(JSON.parse('{"__proto__": "x"}') as Record<string, unknown>, JSON.parse('{"body": "y", "__proto__": {}}') as Record<string, unknown>),
);

function docsTable(d: TestDatabase): any {
  const name = `rel_fuzz_${process.pid}`;
  return d.dialect === 'pg'
    ? pgc.pgTable(name, { id: pgc.integer().primaryKey(), body: pgc.text().notNull(), version: pgv.integerVersion() })
    : lite.sqliteTable(name, { id: lite.integer().primaryKey(), body: lite.text().notNull(), version: litev.integerVersion() });
}

const databases = (await testDatabases()).filter((d) => d.name === 'pg/postgres-js' || d.name === 'sqlite/libsql-memory');

for (const d of databases) {
  const s = suite(`reliability: fuzz [${d.name}]`);
  const t = docsTable(d);
  const reset = async () => {
    await d.exec(`delete from "${t[Symbol.for('drizzle:Name')]}"`);
    await d.db.insert(t).values({ id: 1, body: 'stored', version: STORED_VERSION });
  };
  const stored = async () => (await d.db.select().from(t).where(eq(t.id, 1)))[0];
  s.before(async () => {
    for (const statement of tableDdl(d.dialect, t)) await d.exec(statement);
  });
  s.after(async () => {
    await d.exec(`drop table if exists "${t[Symbol.for('drizzle:Name')]}"`);
  });

  s('versionedUpdate / versionedDelete / versionedUpdateMany with any target and changes: documented errors only, no stale write lands', async () => {
    await reset();
    let cases = 0;
    let landed = 0;
    const errors: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(target, anyChanges, fc.constantFrom('update', 'delete', 'many'), async (target, changes, op) => {
        cases++;
        const before = await stored();
        const fresh = target.id === 1 && target.version === STORED_VERSION;
        try {
          if (op === 'update') await versionedUpdate(d.db, t, target, changes);
          else if (op === 'delete') await versionedDelete(d.db, t, target);
          else await versionedUpdateMany(d.db, t, [{ target, changes }], { policy: 'abort' });
          // Only a fresh target with valid changes may succeed.
          if (!fresh) throw new Error(`a ${op} with a stale or malformed target succeeded: ${String(JSON.stringify(target))}`);
          landed++;
          await reset();
          return;
        } catch (error) {
          // A malformed key value is the driver's to refuse on PostgreSQL (SQLite just finds no row).
          if (!documented(error) && !(malformedKey(target.id) && driverError(error))) throw error;
          errors[(error as Error).name] = (errors[(error as Error).name] ?? 0) + 1;
        }
        assert.equal(await stored(), before, 'a rejected write changed the row');
      }),
      { numRuns: RUNS * 2 },
    );
    console.log(`  fuzz ${d.name} writes: ${cases} cases, ${landed} fresh writes landed, errors ${JSON.stringify(errors)}`);
  });

  s('parseIdentity: any text is a target or a VersionError; identities round-trip; a parsed stale identity never writes', async () => {
    await reset();
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('1,5', '1,05', '1,5,', ',5', '1%2C,5', '1,5.0', '+1,5', '1,1e3')), async (text) => {
        cases++;
        let target: any;
        try {
          target = parseIdentity(t, text);
        } catch (error) {
          assert.instance(error, VersionError);
          return;
        }
        assert.is(identity(t, target), text, 'a parsed identity must be canonical');
        const before = await stored();
        try {
          await versionedUpdate(d.db, t, target, { body: 'fuzzed' });
          assert.ok(target.id === 1 && target.version === STORED_VERSION, 'only the fresh identity may write');
          await reset();
        } catch (error) {
          assert.ok(documented(error) || (d.dialect === 'pg' && malformedKey(target.id) && driverError(error)), String(error));
          assert.equal(await stored(), before);
        }
      }),
      { numRuns: RUNS },
    );
    fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (id, version) => {
      assert.equal(parseIdentity(t, identity(t, { id, version })), { id, version });
    }), { numRuns: RUNS });
    console.log(`  fuzz ${d.name} identities: ${cases + RUNS} cases`);
  });

  s.run();
}

const pure = suite('reliability: fuzz [pure helpers]');

pure('createVersionSigner: sign/unsign round-trips; any other text, a flipped character or a foreign salt is a VersionError', () => {
  const signer = createVersionSigner('x'.repeat(32), { salt: 'rel/1' });
  const other = createVersionSigner('x'.repeat(32), { salt: 'rel/2' });
  fc.assert(
    fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (version, at, ch) => {
      const token = signer.sign(version);
      assert.is(signer.unsign(token), version);
      const i = at % token.length;
      const forged = token.slice(0, i) + ch + token.slice(i + 1);
      if (forged !== token) assert.throws(() => signer.unsign(forged), (e: unknown) => e instanceof VersionError);
      assert.throws(() => other.unsign(token), (e: unknown) => e instanceof VersionError);
    }),
    { numRuns: RUNS * 4 },
  );
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.constantFrom('3.', '.', '3.' + 'A'.repeat(43), '0.' + 'A'.repeat(43))), (text) => {
      try {
        const v = signer.unsign(text);
        assert.is(signer.sign(v), text, 'only a token the signer made unsigns');
      } catch (e) {
        assert.instance(e, VersionError);
      }
    }),
    { numRuns: RUNS * 4 },
  );
  assert.throws(() => createVersionSigner('short'), (e: unknown) => e instanceof ConfigurationError);
});

pure('parseIfMatch: any header is undefined, *, a positive integer or a VersionError; versionETag round-trips', () => {
  const header = fc.oneof(
    fc.string(),
    fc.array(fc.oneof(fc.constantFrom('"3"', 'W/"3"', '*', '"03"', '"abc"', '"3', '3', '"-1"', '"1e3"', '"9007199254740993"', ' ', ','), fc.string()), { maxLength: 4 }).map((a) => a.join(', ')),
  );
  fc.assert(
    fc.property(fc.oneof(header, fc.array(header, { maxLength: 3 })), (h) => {
      try {
        const v = parseIfMatch(h);
        assert.ok(v === undefined || v === '*' || (Number.isSafeInteger(v) && v >= 1), `parseIfMatch(${JSON.stringify(h)}) = ${String(v)}`);
      } catch (e) {
        assert.instance(e, VersionError);
      }
    }),
    { numRuns: RUNS * 4 },
  );
  fc.assert(fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (v) => assert.is(parseIfMatch(versionETag(v)), v)), { numRuns: RUNS });
});

pure('checkFields on tables declared at runtime with random keys: valid keys accepted, anything else a ConfigurationError', () => {
  const key = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/);
  fc.assert(
    fc.property(fc.uniqueArray(key, { minLength: 1, maxLength: 5 }), fc.array(fc.oneof(key, fc.string({ maxLength: 6 })), { maxLength: 4 }), fc.boolean(), (columns, fields, ignore) => {
      const cols = columns.filter((c) => c !== 'version' && c !== 'id');
      const shape: Record<string, any> = { id: lite.integer().primaryKey() };
      for (const c of cols) shape[c] = lite.text();
      shape['version'] = litev.conditionalVersion(ignore ? { ignoreFields: fields } : { checkFields: fields });
      const valid = fields.every((f) => cols.includes(f) || f === 'id');
      const table = lite.sqliteTable('rel_fuzz_runtime', shape);
      let info: ReturnType<typeof getVersionColumn>;
      try {
        info = getVersionColumn(table);
      } catch (e) {
        assert.instance(e, ConfigurationError, String(e));
        assert.not.ok(valid, `valid ${ignore ? 'ignoreFields' : 'checkFields'} ${JSON.stringify(fields)} over ${JSON.stringify(cols)} refused: ${String(e)}`);
        return;
      }
      assert.ok(valid, `invalid ${ignore ? 'ignoreFields' : 'checkFields'} ${JSON.stringify(fields)} over ${JSON.stringify(cols)} accepted`);
      assert.is(info?.kind, 'conditional');
    }),
    { numRuns: RUNS * 2 },
  );
});

pure.run();
