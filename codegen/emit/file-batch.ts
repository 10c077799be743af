import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A file the codegen wants to write, with why. */
export interface PlannedFile {
  path: string;
  content: string;
  /** Written only when the file does not exist yet (user-owned modules). */
  createOnly?: boolean;
}

/** The planned files whose content differs from what is on disk (or that are missing). */
export function changedFiles(files: readonly PlannedFile[]): PlannedFile[] {
  return files.filter((f) => {
    if (!existsSync(f.path)) return true;
    if (f.createOnly) return false;
    return readFileSync(f.path, 'utf8') !== f.content;
  });
}

/**
 * Writes every file to a temporary sibling first, then renames them into place in order:
 * nothing is half-written, and a failure before the renames leaves every target untouched.
 * Put the file that commits the change (the journal) last.
 */
export function writeAll(files: readonly PlannedFile[], remove: readonly string[] = []): void {
  const temps: [string, string][] = [];
  try {
    for (const file of files) {
      mkdirSync(dirname(file.path), { recursive: true });
      const temp = `${file.path}.tmp-${process.pid}`;
      writeFileSync(temp, file.content);
      temps.push([temp, file.path]);
    }
  } catch (error) {
    for (const [temp] of temps) rmSync(temp, { force: true });
    throw error;
  }
  for (const path of remove) rmSync(path, { force: true });
  let renamed = 0;
  try {
    for (const [temp, path] of temps) {
      renameSync(temp, path);
      renamed++;
    }
  } finally {
    for (const [temp] of temps.slice(renamed)) rmSync(temp, { force: true });
  }
}

const TEMPORARY = /\.tmp-\d+$/;

/** Temporary files (`*.tmp-<pid>`) in `folders`, left by a run that died before renaming them. */
export function staleTemporaries(folders: readonly (string | undefined)[]): string[] {
  return folders.flatMap((folder) =>
    folder && existsSync(folder) ? readdirSync(folder).filter((f) => TEMPORARY.test(f)).map((f) => join(folder, f)) : [],
  );
}
