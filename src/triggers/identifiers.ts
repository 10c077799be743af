/** The character a dialect quotes identifiers with: `"` (PostgreSQL, SQLite) or `` ` `` (MySQL/MariaDB). */
export type IdentifierMark = '"' | '`';

/** Quoting of identifiers in rendered DDL text, for one quote character. */
export interface IdentifierQuoting {
  /** `"name"` with the quote character doubled inside. */
  readonly quote: (name: string) => string;
  /** `"schema"."name"`, or `"name"` without a schema (the search path / the connection's database). */
  readonly qualified: (schema: string | undefined, name: string) => string;
}

/**
 * The one identifier quoting of the trigger DDL renderers (SQL built with Drizzle's `sql`
 * template uses `sql.identifier` instead).
 * @example
 * identifierQuoting('"').qualified('app', 'my"table') // '"app"."my""table"'   (PostgreSQL, SQLite)
 * identifierQuoting('`').quote('items')               // '`items`'              (MySQL/MariaDB)
 */
export function identifierQuoting(mark: IdentifierMark): IdentifierQuoting {
  const quote = (name: string) => `${mark}${name.replaceAll(mark, mark + mark)}${mark}`;
  return {
    quote,
    qualified: (schema, name) => (schema === undefined ? quote(name) : `${quote(schema)}.${quote(name)}`),
  };
}
