import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CodegenError, shown } from '../codegen-error.js';

/** A file the codegen wants to write, with why. */
export interface PlannedFile {
  path: string;
  content: string;
  /** Written only when the file does not exist yet (user-owned modules). */
  createOnly?: boolean;
  /**
   * What the file held when the run planned it: `null` when it did not exist. Written only if
   * that still holds at the rename (another writer, such as `drizzle-kit generate`, changed
   * nothing); {@link changedFiles} fills it in from the disk when the planner did not.
   */
  before?: string | null;
}

/** The content of `path`, or `null` when there is no such file. */
function contentOf(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The planned files whose content differs from what is on disk (or that are missing), each with what it held. */
export function changedFiles(files: readonly PlannedFile[]): PlannedFile[] {
  return files.flatMap((f) => {
    const now = contentOf(f.path);
    if (now !== null && (f.createOnly || now === f.content)) return [];
    return [{ ...f, before: f.before === undefined ? now : f.before }];
  });
}

/** File system refusals that mean "you cannot write here": reported in one line, as a CodegenError. */
const NOT_WRITABLE: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/** `error` as a one-line CodegenError naming `path` when it is a write refusal; otherwise as it is. */
export function writeFailure(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined || !(code in NOT_WRITABLE)) return error;
  return new CodegenError(`cannot write here: ${NOT_WRITABLE[code]} (${code}); nothing was written`, { file: shown(path) }, { cause: error });
}

/**
 * The temporary sibling of `path`: `_`-prefixed, since drizzle-kit reads every file of `meta/`
 * not starting with `_` as a snapshot (a half-written one would be "malformed", a whole one a
 * second child of the same parent).
 */
function temporaryOf(path: string): string {
  return join(dirname(path), `_${basename(path)}.tmp-${process.pid}`);
}

/** The refusal when another writer changed a planned file between planning and writing. */
function folderChanged(path: string, now: string | null): CodegenError {
  return new CodegenError(
    `the migrations folder changed while generate ran (this file ${now === null ? 'vanished' : 'appeared or changed'}, e.g. by a concurrent drizzle-kit generate); nothing was written: run it again`,
    { file: shown(path) },
  );
}

/** True when `file` still holds what it held when planned. */
function unchanged(file: PlannedFile): boolean {
  return file.before === undefined || contentOf(file.path) === file.before;
}

/**
 * Writes every file to a temporary sibling first, then renames them into place in order:
 * nothing is half-written, and a failure before the renames leaves every target untouched.
 * Put the file that commits the change (the journal) last. A file planned as absent is linked
 * into place (never replacing one that appeared since); a file planned with content is
 * replaced only if it still holds it, checked for every file before the first rename and again
 * right before its own. A change found before the first rename writes nothing; one found later
 * removes the files this run created.
 */
export function writeAll(files: readonly PlannedFile[], remove: readonly string[] = []): void {
  const temps: [string, PlannedFile][] = [];
  try {
    for (const file of files) {
      const temp = temporaryOf(file.path);
      try {
        mkdirSync(dirname(file.path), { recursive: true });
        writeFileSync(temp, file.content);
      } catch (error) {
        throw writeFailure(error, file.path);
      }
      temps.push([temp, file]);
    }
    for (const file of files) if (!unchanged(file)) throw folderChanged(file.path, contentOf(file.path));
  } catch (error) {
    for (const [temp] of temps) rmSync(temp, { force: true });
    throw error;
  }
  for (const path of remove) rmSync(path, { force: true });
  let renamed = 0;
  const created: string[] = [];
  try {
    for (const [temp, file] of temps) {
      try {
        if (file.before === null) {
          // link fails with EEXIST instead of replacing a file another writer created meanwhile.
          linkSync(temp, file.path);
          created.push(file.path);
          rmSync(temp);
        } else {
          if (!unchanged(file)) throw folderChanged(file.path, contentOf(file.path));
          renameSync(temp, file.path);
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw folderChanged(file.path, contentOf(file.path));
        throw writeFailure(error, file.path);
      }
      renamed++;
    }
  } catch (error) {
    if (error instanceof CodegenError) for (const path of created) rmSync(path, { force: true });
    throw error;
  } finally {
    for (const [temp] of temps.slice(renamed)) rmSync(temp, { force: true });
  }
}

const TEMPORARY = /\.tmp-\d+$/;

/** Temporary files (`_*.tmp-<pid>`) in `folders`, left by a run that died before renaming them. */
export function staleTemporaries(folders: readonly (string | undefined)[]): string[] {
  return folders.flatMap((folder) =>
    folder && existsSync(folder) ? readdirSync(folder).filter((f) => TEMPORARY.test(f)).map((f) => join(folder, f)) : [],
  );
}
