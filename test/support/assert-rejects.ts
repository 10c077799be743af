import * as assert from 'uvu/assert';

/** Awaits `call` and asserts that it rejects with an instance of `kind` (and a message matching `message`). */
export async function rejects(
  call: () => Promise<unknown>,
  kind: abstract new (...args: any[]) => Error = Error,
  message?: RegExp,
): Promise<Error> {
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  if (error === undefined) assert.unreachable(`expected a ${kind.name}, but the call resolved`);
  assert.instance(error, kind, `expected a ${kind.name}, got ${String(error)}`);
  if (message) assert.match((error as Error).message, message);
  return error as Error;
}

/** Calls `call` and asserts that it throws an instance of `kind` synchronously (and a message matching `message`). */
export function throwsError(call: () => unknown, kind: abstract new (...args: any[]) => Error, message?: RegExp): Error {
  try {
    call();
  } catch (e) {
    assert.instance(e, kind, `expected a ${kind.name}, got ${String(e)}`);
    if (message) assert.match((e as Error).message, message);
    return e as Error;
  }
  assert.unreachable(`expected a ${kind.name}, but the call returned`);
  throw new Error('unreachable');
}
