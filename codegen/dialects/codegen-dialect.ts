import type { Column, Table } from 'drizzle-orm';
import type { DialectName } from '../../src/dialect/dialect-adapter.js';
import type { TriggerDdl, TriggerSpec } from '../../src/triggers/trigger-spec.js';

/** The parts of Drizzle's `getTableConfig` the generated tests read. */
export interface TableConfigParts {
  foreignKeys: { reference(): { columns: Column[]; foreignTable: Table; foreignColumns: Column[] } }[];
  uniqueConstraints?: { columns: Column[] }[];
  indexes?: { config: { unique?: boolean; columns: unknown[] } }[];
}

/** A raw connection to a live database: run one statement, or a query for rows. */
export interface LiveConnection {
  run(statement: string): Promise<void>;
  rows(query: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/**
 * Every difference between dialects the codegen knows of, as one record per dialect
 * (`codegen/dialects/<dialect>/`): shared code asks the record, never the dialect's name. A
 * fourth dialect is one more folder and one more entry in `dialects/index.ts`.
 * @example
 * const dialect = dialectOfKit('postgresql')!
 * dialect.triggers.drop({ schema: undefined, table: 'items', name: 'concurrency_items_version' })
 * // ['drop function if exists "concurrency_items_version"() cascade']
 */
export interface CodegenDialect {
  /** The library's name of the dialect (`TriggerSpec.dialect`, the runtime adapters, messages). */
  readonly name: DialectName;
  /** drizzle-kit `dialect` values (config and journal) this record answers to. */
  readonly kitNames: readonly string[];
  /** The entry of the version builders (`drizzle-concurrency/<core>`) and of Drizzle's table builders (`drizzle-orm/<core>`). */
  readonly core: string;
  /** Drizzle's `getTableConfig` of the dialect: foreign keys, unique constraints and indexes. */
  tableConfig(table: Table): TableConfigParts;
  /** The keys a drizzle-kit snapshot may list the table of `spec` under, in order of preference. */
  snapshotKeys(spec: Pick<TriggerSpec, 'schema' | 'table'>): string[];
  /** The schema a trigger of `spec` is listed under in the live database (PostgreSQL: `public` when unnamed). */
  listedSchema(spec: Pick<TriggerSpec, 'schema'>): string | undefined;
  /** The trigger DDL renderer (create, drop, list). */
  readonly triggers: TriggerDdl;
  /** Where the dialect keeps trigger names, for the refusal of two that collide. */
  readonly triggerNameScope: string;
  /** The generated `setup.ts`: its driver imports, the client its `raw` stands in for, the body of `connect()` (`noUrl` throws). */
  readonly setup: { imports: string; client: string; connect(noUrl: string): string };
  /** The generated harness: Drizzle's column type (`drizzle-orm/<core>`), the statement method of a transaction, counters to restore. */
  readonly harness: {
    columnType: string;
    run: 'execute' | 'run';
    /**
     * Functions `readCounters(db)` / `restoreCounters(db, before)` for counters a rolled-back
     * insert still moves (MariaDB/MySQL AUTO_INCREMENT), or none.
     */
    counters?: string;
  };
  /** Opens the live database of a config's `dbCredentials` (`url` when it is a string) with the dialect's usual driver. */
  connect(credentials: Record<string, unknown>, url: string | undefined): Promise<LiveConnection>;
}
