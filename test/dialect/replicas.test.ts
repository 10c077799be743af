import { eq } from 'drizzle-orm';
import { withReplicas as mysqlWithReplicas } from 'drizzle-orm/mysql-core';
import { withReplicas as pgWithReplicas } from 'drizzle-orm/pg-core';
import { withReplicas as sqliteWithReplicas } from 'drizzle-orm/sqlite-core';
import * as assert from 'uvu/assert';
import {
  RecordDeletedError,
  RecordModifiedError,
  isChanged,
  tryVersionedUpdate,
  versionedDelete,
  versionedDeleteMany,
  versionedUpdate,
  versionedUpdateMany,
} from '../../src/index.js';
import { rejects } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

const withReplicas = { pg: pgWithReplicas, mysql: mysqlWithReplicas, sqlite: sqliteWithReplicas } as const;

await databaseSuites('withReplicas(primary, [replica])', (test, { d, t, db }) => {
  test('is accepted; writes and the conflict reads go to the primary, nothing to the replica', async () => {
    const primaryLog: string[] = [];
    const replicaLog: string[] = [];
    const replicated: any = (withReplicas[d.dialect] as any)(d.logged(primaryLog), [d.logged(replicaLog)]);
    await replicated.select().from(t.accounts);
    assert.is(replicaLog.length, 1, 'the replica logs what reaches it');
    replicaLog.length = 0;

    await db.insert(t.accounts).values([
      { id: 1, owner: 'a', balance: 10 },
      { id: 2, owner: 'b', balance: 20 },
      { id: 3, owner: 'c', balance: 30 },
    ]);
    const [a, b, c] = await db.select().from(t.accounts).orderBy(t.accounts.id);
    const saved = await versionedUpdate(replicated, t.accounts, a, { balance: 11 });
    assert.equal(saved, { ...a, balance: 11, version: 2 });
    const error = (await rejects(() => versionedUpdate(replicated, t.accounts, a, { balance: 12 }), RecordModifiedError)) as RecordModifiedError<any>;
    assert.equal(error.current, saved, 'the conflict read saw the primary');
    const outcome = await tryVersionedUpdate(replicated, t.accounts, a, { balance: 13 });
    assert.is(outcome.ok, false);
    assert.is(await isChanged(replicated, t.accounts, a), true);
    assert.is(await isChanged(replicated, t.accounts, saved), false);
    await rejects(() => versionedDelete(replicated, t.accounts, a), RecordModifiedError, /found 2/);
    await versionedDelete(replicated, t.accounts, saved);
    await rejects(() => versionedUpdate(replicated, t.accounts, saved, { balance: 1 }), RecordDeletedError);
    const { updated } = await versionedUpdateMany(replicated, t.accounts, [{ target: b, changes: { balance: 21 } }]);
    assert.is(updated[0]!.version, 2);
    await versionedDeleteMany(replicated, t.accounts, [c]);

    assert.equal(replicaLog, [], 'nothing reached the replica');
    assert.ok(primaryLog.length >= 10, primaryLog.join('\n'));
    assert.equal(
      (await db.select().from(t.accounts).where(eq(t.accounts.id, 2))).map((r: any) => [r.balance, r.version]),
      [[21, 2]],
    );
    assert.is((await db.select().from(t.accounts)).length, 1);
  });
});
