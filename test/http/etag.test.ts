import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConcurrencyError, PreconditionRequiredError, VersionError, parseIfMatch, requireIfMatch, versionETag } from '../../src/index.js';
import { throwsError } from '../support/assert-rejects.js';

test('versionETag is the version quoted, a strong tag that parseIfMatch reads back', () => {
  assert.is(versionETag(3), '"3"');
  for (const version of [1, 10, 2 ** 40, Number.MAX_SAFE_INTEGER]) assert.is(parseIfMatch(versionETag(version)), version);
  for (const bad of [0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1, '3', 3n, undefined]) {
    const error = throwsError(() => versionETag(bad as any), VersionError, /positive integer version/);
    assert.ok(Object.is((error as VersionError).value, bad));
  }
});

test('absent, empty or blank If-Match is no precondition', () => {
  for (const header of [undefined, null, '', '   ', '\t', []]) assert.is(parseIfMatch(header), undefined, JSON.stringify(header));
});

test('"*" alone means any version', () => {
  assert.is(parseIfMatch('*'), '*');
  assert.is(parseIfMatch(' * '), '*');
});

test('one strong tag, with whitespace, empty list elements or a repeated tag', () => {
  const cases: [string | string[], number][] = [
    ['"3"', 3],
    [' "3" ', 3],
    ['\t"3"\t', 3],
    ['"3","3"', 3],
    ['"3" ,  "3"', 3],
    [', "3" ,,', 3],
    [['"3"', '"3"'], 3],
    ['"9007199254740991"', Number.MAX_SAFE_INTEGER],
  ];
  for (const [header, version] of cases) assert.is(parseIfMatch(header), version, JSON.stringify(header));
});

test('weak tags never match: skipped in a list, a VersionError alone', () => {
  assert.is(parseIfMatch('W/"2", "3"'), 3);
  assert.is(parseIfMatch('"3", W/"4"'), 3);
  assert.is(parseIfMatch('W/"3", "3"'), 3);
  for (const header of ['W/"3"', ' W/"3" ', 'W/"3", W/"4"', 'W/"abc"']) {
    const error = throwsError(() => parseIfMatch(header), VersionError, /weak entity tags only, which never match under strong comparison/);
    assert.is((error as VersionError).value, header);
  }
});

test('a list naming two versions is refused: the write checks exactly one', () => {
  for (const header of ['"3", "4"', '"4","3"', 'W/"1", "3", "4"', ['"3"', '"4"']]) {
    throwsError(() => parseIfMatch(header), VersionError, /names 2 different versions/);
  }
});

test('malformed or foreign headers are VersionErrors carrying the header', () => {
  const cases: [string, RegExp][] = [
    ['3', /expected a quoted entity tag/],
    ['v3', /expected a quoted entity tag/],
    ['abc', /expected a quoted entity tag/],
    ['"3', /unterminated entity tag/],
    ['"3"x', /expected "," between entity tags/],
    ['"3" "4"', /expected "," between entity tags/],
    ['"3";q=1', /expected "," between entity tags/],
    ['*, "3"', /"\*" must stand alone/],
    ['"3", *', /"\*" must stand alone/],
    ['**', /"\*" must stand alone/],
    ['w/"3"', /expected a quoted entity tag/],
    ['W/ "3"', /expected a quoted entity tag/],
    ['W/3', /expected a quoted entity tag/],
    ['"3 "', /character " " is not allowed in an entity tag/],
    ['"a\\"b"', /is not allowed|expected ","/],
    [',', /holds no entity tag/],
    [' , , ', /holds no entity tag/],
    ['""', /tag "" is not a version ETag/],
    ['"abc"', /tag "abc" is not a version ETag/],
    ['"03"', /tag "03" is not a version ETag/],
    ['"0"', /tag "0" is not a version ETag/],
    ['"-1"', /tag "-1" is not a version ETag/],
    ['"1.5"', /tag "1.5" is not a version ETag/],
    ['"v3"', /tag "v3" is not a version ETag/],
    ['"9007199254740993"', /is not a version ETag/],
  ];
  for (const [header, message] of cases) {
    const error = throwsError(() => parseIfMatch(header), VersionError, message);
    assert.is((error as VersionError).value, header, header);
  }
  throwsError(() => parseIfMatch(42 as any), VersionError, /must be a string, got 42/);
});

test('requireIfMatch: the version, 428 when absent or "*", 400 (VersionError) when malformed', () => {
  assert.is(requireIfMatch('"7"'), 7);
  for (const header of [undefined, null, '', '  ', '*']) {
    const error = throwsError(() => requireIfMatch(header), PreconditionRequiredError, /If-Match/);
    assert.instance(error, ConcurrencyError);
    assert.is(error.name, 'PreconditionRequiredError');
    assert.is((error as PreconditionRequiredError).status, 428);
  }
  throwsError(() => requireIfMatch('*'), PreconditionRequiredError, /names no version/);
  throwsError(() => requireIfMatch(undefined), PreconditionRequiredError, /If-Match required/);
  for (const header of ['W/"7"', '"x"', '7', '"7", "8"']) {
    const error = throwsError(() => requireIfMatch(header), VersionError);
    assert.not.instance(error, PreconditionRequiredError);
  }
});

test('64 KB hostile headers of spaces and tabs are answered correctly', () => {
  const pad = ' \t'.repeat(32 * 1024);
  throwsError(() => parseIfMatch(`"3"${pad}x`), VersionError, /expected "," between entity tags/);
  throwsError(() => parseIfMatch(`${pad}x`), VersionError, /expected a quoted entity tag/);
  assert.is(parseIfMatch(`${pad}"3"${pad}`), 3);
  assert.is(parseIfMatch(pad), undefined);
  assert.is(parseIfMatch(`${pad}*${pad}`), '*');
});

test.run();
