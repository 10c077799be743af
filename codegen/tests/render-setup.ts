import type { CodegenDialect } from '../dialects/index.js';

/** The first line of the user-owned modules: created once, never overwritten. */
export function ownedBanner(what: string): string {
  return `// created once by drizzle-concurrency generate ${what} — yours to edit: generate never overwrites this file`;
}

/**
 * The user-owned connection module of the generated tests. It holds no credential: it imports
 * the drizzle config (`configImport`, relative) and reads its `dbCredentials` and `casing` when
 * the tests run, so the URL, password or token stay wherever the config takes them from
 * (usually the environment). `connect()` opens one connection per suite, with the dialect's
 * driver (its record's `setup`).
 * @example
 * renderSetup(pgCodegen, '../../drizzle.config.js', 'drizzle.config.ts')
 * // import config from '../../drizzle.config.js'; … postgres(url, { max: 1 }) …
 */
export function renderSetup(dialect: CodegenDialect, configImport: string, configName: string): string {
  const head = `${ownedBanner(`from ${configName}`)}
import config from '${configImport}';`;
  const read = `
/** The config's database, read when the tests run: no credential is written in this file. */
const { dbCredentials: credentials = {}, casing } = config as unknown as {
  dbCredentials?: Record<string, unknown>;
  casing?: 'snake_case' | 'camelCase';
};
const options = casing ? { casing } : {};
const url = typeof credentials['url'] === 'string' && credentials['url'] !== '' ? credentials['url'] : undefined;
`;
  const noUrl = `throw new Error(${JSON.stringify(`${configName} gives no dbCredentials.url (is the environment variable it reads set?)`)})`;
  return `${head}
${dialect.setup.imports}
${read}
/** One connection for one test suite; \`raw\` runs SQL outside the library, as ${dialect.setup.client} would. */
export async function connect() {
${dialect.setup.connect(noUrl)}
}

export type Connection = Awaited<ReturnType<typeof connect>>;
`;
}
