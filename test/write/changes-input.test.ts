import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { concurrencyConfig, resetConcurrencyConfig } from '../../src/config/config.js';
import { ConfigurationError, configureConcurrency, versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import { generatedTable } from '../support/generated-table.js';
import { rejects, throwsError } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

await databaseSuites('changes are checked before any SQL', (test, ctx) => {
  const { d, t } = ctx;
  const gen = generatedTable(d.dialect);

  test('a generated column in changes is a ConfigurationError naming table and key; nothing is sent', async () => {
    for (const statement of gen.ddl) await d.exec(statement);
    await d.exec('insert into gen_rows (id, a) values (1, 2)');
    const [row] = await ctx.db.select().from(gen.table);
    const log: string[] = [];
    const logged = d.logged(log);
    await rejects(() => versionedUpdate(logged, gen.table, row, { a: 3, doubled: 7 }), ConfigurationError, /changes for "gen_rows" set "doubled", a generated column \(generatedAlwaysAs\)/);
    await rejects(() => versionedUpdateMany(logged, gen.table, [{ target: row, changes: { doubled: 7 } }]), ConfigurationError, /"doubled", a generated column/);
    if (d.dialect === 'pg') {
      await rejects(() => versionedUpdate(logged, gen.table, row, { ident: 9 }), ConfigurationError, /set "ident", a generated column \(generatedAlwaysAsIdentity\)/);
    }
    assert.equal(log, []);
    const saved = await versionedUpdate(ctx.db, gen.table, row, { a: 5 });
    assert.is(saved.doubled, 10);
    assert.is(saved.version, 2);
    await d.exec('drop table gen_rows');
  });

  test('a Map, an array or a class instance as changes is a ConfigurationError, not a touch', async () => {
    await ctx.db.insert(t.accounts).values({ id: 1, owner: 'a' });
    const [row] = await ctx.db.select().from(t.accounts);
    const log: string[] = [];
    const logged = d.logged(log);
    await rejects(() => versionedUpdate(logged, t.accounts, row, new Map([['balance', 5]]) as any), ConfigurationError, /changes for "dc_accounts" must be an object of column values \(a plain object, not a Map, array or class instance\), got an object of class Map/);
    await rejects(() => versionedUpdate(logged, t.accounts, row, [] as any), ConfigurationError, /must be an object of column values .* got \[\] \(an array\)/);
    class Changes {
      balance = 5;
    }
    await rejects(() => versionedUpdate(logged, t.accounts, row, new Changes() as any), ConfigurationError, /got an object of class Changes/);
    assert.equal(log, []);
    const [after] = await ctx.db.select().from(t.accounts);
    assert.is(after.version, 1);
    const bare = Object.assign(Object.create(null), { balance: 7 });
    assert.is((await versionedUpdate(ctx.db, t.accounts, row, bare)).balance, 7);
  });
});

const config = suite('configureConcurrency validates every option when it is called');
config.after.each(() => resetConcurrencyConfig());
config('wrong types, unknown options and non-objects are ConfigurationErrors; nothing is applied', () => {
  const bad: [unknown, RegExp][] = [
    [{ onConflict: 'log' }, /onConflict must be a function \(error\) => void, or undefined, got "log"/],
    [{ enabled: 'false' }, /enabled must be true or false, got "false"/],
    [{ versionRequired: 0 }, /versionRequired must be true or false, got 0/],
    [{ enabled: null }, /enabled must be true or false, got null/],
    [{ onConflcit: () => {} }, /unknown option "onConflcit" \(known: enabled, versionRequired, onConflict\)/],
    [null, /takes an object of options, got null/],
    ['strict', /takes an object of options, got "strict"/],
  ];
  for (const [options, message] of bad) {
    if (options !== null && typeof options === 'object') {
      throwsError(() => configureConcurrency({ enabled: false, ...options } as any), ConfigurationError, message);
    }
    throwsError(() => configureConcurrency(options as any), ConfigurationError, message);
    assert.equal({ ...concurrencyConfig() }, { enabled: true, versionRequired: true, onConflict: undefined });
  }
});
config('undefined keeps enabled / versionRequired and removes onConflict', () => {
  const seen = () => {};
  configureConcurrency({ versionRequired: false, onConflict: seen });
  assert.equal({ ...configureConcurrency({ enabled: undefined, versionRequired: undefined }) }, { enabled: true, versionRequired: false, onConflict: seen });
  assert.is(configureConcurrency({ onConflict: undefined }).onConflict, undefined);
});
config.run();
