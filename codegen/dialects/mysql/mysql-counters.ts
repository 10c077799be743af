/**
 * The harness functions of MySQL/MariaDB (generated code): read every AUTO_INCREMENT of the
 * database before a suite, put back the ones it moved after. InnoDB never rolls a counter back,
 * so a rolled-back insert of key 7 leaves it at 8 or above.
 * @example
 * // select table_name as name, auto_increment as next from information_schema.tables where table_schema = database() and auto_increment is not null
 * // alter table `items` auto_increment = 8
 */
export const AUTO_INCREMENT_COUNTERS = `
/**
 * The AUTO_INCREMENT of every table of the database. InnoDB does not roll it back: a rolled-back
 * insert of key 7 leaves it at 8 or above, so the suite puts the values back when it ends.
 */
async function readCounters(db: Database): Promise<Map<string, number>> {
  // MySQL 8 caches information_schema figures for a day unless told not to (MariaDB has no such variable).
  await db.execute(sql\`set @@session.information_schema_stats_expiry = 0\`).catch(() => {});
  const [rows] = (await db.execute(
    sql\`select table_name as name, auto_increment as next from information_schema.tables where table_schema = database() and auto_increment is not null\`,
  )) as unknown as [{ name: string; next: number | string }[]];
  return new Map(rows.map((r) => [r.name, Number(r.next)]));
}

/** Puts back the AUTO_INCREMENT values the suite moved (never below a key another client stored since). */
async function restoreCounters(db: Database, before: Map<string, number>): Promise<void> {
  const now = await readCounters(db);
  for (const [name, next] of before) {
    if (now.get(name) !== next) await db.execute(sql\`alter table \${sql.identifier(name)} auto_increment = \${sql.raw(String(next))}\`);
  }
}
`;
