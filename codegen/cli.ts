#!/usr/bin/env node
/**
 * The `drizzle-concurrency` command: `generate`, `check`, `triggers list|create|drop`.
 * Exit 0 on success, 1 on any failure with the reason on stderr.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CodegenError, shown } from './codegen-error.js';
import { missingPeer, missingPeerMessage } from './load/optional-peer.js';
// The rest (the config loader, drizzle-orm and the three dialect cores the dialect records use,
// ~0.3 s) is imported once the arguments are known to name a command: --help stays instant.

const USAGE: Record<string, string> = {
  main: `usage: drizzle-concurrency <command> [options]

commands:
  generate   write the trigger migration for the schema of a drizzle config
  check      exit 1, naming the files, when generate would write or change anything
  triggers   list | create | drop the version triggers in the config's live database

run "drizzle-concurrency <command> --help" for its options`,
  generate: `usage: drizzle-concurrency generate [--config drizzle.config.ts] [--tests test/concurrency | --no-tests]

Writes one drizzle-kit custom migration (registered in meta/_journal.json) with the trigger
DDL of every triggerVersion() column, or drops of removed ones, and one conflict-test suite per
versioned table (--no-tests: the migration only). Writes nothing when nothing changed; on bad
input, prints file:line and writes nothing.`,
  check: `usage: drizzle-concurrency check [--config drizzle.config.ts] [--tests test/concurrency | --no-tests]

Exit 0 when generate would write nothing; exit 1 naming every file it would write or change.`,
  triggers: `usage: drizzle-concurrency triggers list|create|drop [--config drizzle.config.ts]

list    one line per trigger: ok (installed), missing (schema only), orphan (database only);
        exit 1 when one is missing
create  (re)create every version trigger of the schema; idempotent
drop    drop every version trigger of the schema (and PostgreSQL function); idempotent`,
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      tests: { type: 'string' },
      'no-tests': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub] = positionals;
  const help = (name: string) => (console.log(USAGE[name]), 0);
  if (!command) return values.help ? help('main') : (console.error(USAGE['main']), 1);
  if (!(command in USAGE) || command === 'main') {
    console.error(`unknown command "${command}"\n\n${USAGE['main']}`);
    return 1;
  }
  if (values.help) return help(command);
  if (values.tests && values['no-tests']) {
    console.error('--tests and --no-tests exclude each other');
    return 1;
  }
  const tests = values['no-tests'] ? { tests: false as const } : values.tests ? { tests: resolve(values.tests) } : {};
  const options = { ...(values.config ? { config: values.config } : {}), ...tests };
  if (command === 'triggers' && sub !== 'list' && sub !== 'create' && sub !== 'drop') {
    console.error(`${sub === undefined ? 'triggers needs a subcommand' : `unknown triggers subcommand "${sub}"`}\n\n${USAGE['triggers']}`);
    return 1;
  }
  if (command === 'generate') {
    const { generateReport } = await import('./generate.js');
    const { written, removed, unfillable, hints } = await generateReport(options);
    if (written.length === 0 && removed.length === 0) console.log('up to date: nothing to write');
    for (const path of written) console.log(`wrote ${shown(path)}`);
    for (const path of removed) console.log(`removed ${shown(path)}`);
    for (const hint of hints) console.error(hint);
    if (unfillable.length > 0) console.error(`the generated tests cannot fill these columns: give them values in factories.ts\n${unfillable.map((c) => `  ${c}`).join('\n')}`);
    return 0;
  }
  if (command === 'check') {
    const { planGeneration } = await import('./generate.js');
    const plan = await planGeneration(options);
    if (plan.files.length === 0 && plan.remove.length === 0) {
      console.log('up to date');
      return 0;
    }
    for (const { path } of plan.files) console.error(`${existsSync(path) ? 'out of date' : 'missing'}: ${shown(path)}`);
    for (const path of plan.remove) console.error(`stale (generate removes it): ${shown(path)}`);
    console.error('run "drizzle-concurrency generate" and commit the result');
    return 1;
  }
  const [{ loadConfig }, { collectSchema }, { openLiveDatabase }, { createTriggers, dropTriggers, listTriggers }] = await Promise.all([
    import('./config/load-config.js'),
    import('./collect/collect-schema.js'),
    import('./live/live-database.js'),
    import('./live/trigger-commands.js'),
  ]);
  const config = await loadConfig(options.config);
  const desired = (await collectSchema(config)).tables.flatMap((t) => (t.trigger ? [t.trigger] : []));
  const db = await openLiveDatabase(config);
  try {
    if (sub === 'list') {
      const statuses = await listTriggers(db, desired);
      if (statuses.length === 0) console.log('no version triggers');
      for (const s of statuses) console.log(`${s.status.padEnd(7)} ${s.name} on ${s.schema ? `${s.schema}.` : ''}${s.table}`);
      return statuses.some((s) => s.status === 'missing') ? 1 : 0;
    }
    const names = sub === 'create' ? await createTriggers(db, desired) : await dropTriggers(db, desired);
    if (names.length === 0) console.log('no triggerVersion() columns in the schema');
    for (const name of names) console.log(`${sub === 'create' ? 'created' : 'dropped'} ${name}`);
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const peer = missingPeer(error);
    if (peer) console.error(missingPeerMessage(peer));
    else console.error(error instanceof CodegenError ? error.message : `drizzle-concurrency: ${(error as Error)?.stack ?? String(error)}`);
    process.exit(1);
  },
);
