/**
 * Throw-away projects for codegen tests: a folder under .tmp/ (inside this package, so schema
 * files resolve `drizzle-concurrency/*` to dist/) with a drizzle config, schema files and a
 * migrations folder made by the real drizzle-kit.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KIT = join(ROOT, 'node_modules/drizzle-kit/bin.cjs');
const CLI = join(ROOT, 'codegen/cli.ts');
const UVU = join(ROOT, 'node_modules/uvu/bin.js');
let counter = 0;

/** The strictest settings users run (issue 14): what generated code must compile under. */
export const STRICT_TSCONFIG = {
  compilerOptions: {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noPropertyAccessFromIndexSignature: true,
    verbatimModuleSyntax: true,
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  },
};

export interface Project {
  dir: string;
  config: string;
  write(files: Record<string, string>): void;
  read(path: string): string;
  /** `drizzle-kit <args>` in the project; throws with its output when it fails. */
  kit(...args: string[]): string;
  /** The CLI of this package, as a child process: exit code and output. */
  cli(...args: string[]): { code: number; stdout: string; stderr: string };
  /** Runs the generated conflict tests of the project (uvu): exit code and output. */
  generatedTests(): { code: number; stdout: string; stderr: string };
  /** Every file below the project and its content, for byte-for-byte comparisons. */
  files(): Record<string, string>;
  remove(): void;
}

export function kitDialect(dialect: 'pg' | 'mysql' | 'sqlite'): string {
  return dialect === 'pg' ? 'postgresql' : dialect === 'mysql' ? 'mysql' : 'turso';
}

export function makeProject(name: string, dialect: 'pg' | 'mysql' | 'sqlite', dbCredentials: Record<string, unknown> = { url: 'file:dev.db' }): Project {
  const dir = join(ROOT, '.tmp', `codegen-${process.pid}-${++counter}-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'drizzle.config.ts');
  writeFileSync(
    config,
    `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig(${JSON.stringify({ dialect: kitDialect(dialect), schema: './schema.ts', out: './drizzle', dbCredentials }, null, 2)});\n`,
  );
  const run = (command: string, args: string[]) =>
    spawnSync(process.execPath, [...(command.endsWith('.ts') ? ['--import', 'tsx'] : []), command, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
    });
  const project: Project = {
    dir,
    config,
    write(files) {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
    },
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    kit(...args) {
      const r = run(KIT, args);
      if (r.status !== 0) throw new Error(`drizzle-kit ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
      return r.stdout;
    },
    cli(...args) {
      const r = run(CLI, args);
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    generatedTests() {
      const r = spawnSync(process.execPath, ['--import', 'tsx', UVU, 'test/concurrency', '\\.test\\.ts$'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, FORCE_COLOR: '0' },
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    files() {
      const out: Record<string, string> = {};
      const walk = (d: string) => {
        for (const entry of readdirSync(d)) {
          const path = join(d, entry);
          if (statSync(path).isDirectory()) walk(path);
          else out[relative(dir, path)] = readFileSync(path, 'utf8');
        }
      };
      walk(dir);
      return out;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return project;
}
