import { eq } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import { RecordModifiedError, isChanged, versionedDelete, versionedUpdate } from '../../src/index.js';
import { rejects } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

// InnoDB REPEATABLE READ: a plain SELECT in a transaction reads its snapshot, while UPDATE and
// locking reads see the latest committed row. The conflict read must be a locking one.
await databaseSuites(
  'MySQL REPEATABLE READ snapshot',
  (test, { d, t, db }) => {
    /** Runs `inside` in a REPEATABLE READ transaction on one connection after it read row 1 at v1 and another connection committed v2. */
    const staleTransaction = async (inside: (tx: any, read: any) => Promise<void>) => {
      await db.insert(t.accounts).values({ id: 1, owner: 'a', balance: 10 });
      const a = await d.connect(1);
      const b = await d.connect(1);
      try {
        await a.db.transaction(
          async (tx: any) => {
            const [read] = await tx.select().from(t.accounts).where(eq(t.accounts.id, 1));
            assert.is(read.version, 1);
            const [other] = await b.db.select().from(t.accounts).where(eq(t.accounts.id, 1));
            await versionedUpdate(b.db, t.accounts, other, { balance: 20, note: 'other connection' });
            const [snapshot] = await tx.select().from(t.accounts).where(eq(t.accounts.id, 1));
            assert.is(snapshot.version, 1, 'the transaction still reads its snapshot');
            await inside(tx, read);
          },
          { isolationLevel: 'repeatable read' },
        );
      } finally {
        await a.close();
        await b.close();
      }
    };

    test('versionedUpdate with the snapshot row is a conflict carrying the committed row, and writes nothing', async () => {
      await staleTransaction(async (tx, read) => {
        const error = (await rejects(
          () => versionedUpdate(tx, t.accounts, read, { balance: 99 }),
          RecordModifiedError,
          /expected version 1, found 2/,
        )) as RecordModifiedError<any>;
        assert.is(error.current.version, 2);
        assert.is(error.current.note, 'other connection');
      });
      const [row] = await db.select().from(t.accounts);
      assert.equal([row.balance, row.note, row.version], [20, 'other connection', 2]);
    });

    test('isChanged sees the committed version, not the snapshot', async () => {
      await staleTransaction(async (tx, read) => {
        assert.is(await isChanged(tx, t.accounts, read), true);
        assert.is(await isChanged(tx, t.accounts, { ...read, version: 2 }), false);
      });
    });

    test('versionedDelete with the snapshot row says expected 1, found 2, and deletes nothing', async () => {
      await staleTransaction(async (tx, read) => {
        await rejects(() => versionedDelete(tx, t.accounts, read), RecordModifiedError, /expected version 1, found 2/);
      });
      assert.is((await db.select().from(t.accounts)).length, 1);
    });
  },
  { dialects: ['mysql'] },
);
