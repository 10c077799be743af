import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeProject } from './support/project.js';

const s = suite('codegen CLI');
const project = makeProject('cli', 'sqlite');

s('--help on each command exits 0 and prints its usage', () => {
  for (const args of [['--help'], ['generate', '--help'], ['check', '--help'], ['triggers', '--help']]) {
    const r = project.cli(...args);
    assert.is(r.code, 0, args.join(' '));
    assert.match(r.stdout, /usage: drizzle-concurrency/);
  }
});

s('an unknown command, no command or a bad triggers subcommand exit 1 with the reason on stderr', () => {
  const unknown = project.cli('frobnicate');
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  assert.is(project.cli().code, 1);
  const sub = project.cli('triggers', 'explode');
  assert.is(sub.code, 1);
  assert.match(sub.stderr, /triggers list\|create\|drop/);
});

s('a missing config exits 1 naming it', () => {
  const r = project.cli('generate', '--config', 'nope.config.ts');
  assert.is(r.code, 1);
  assert.match(r.stderr, /nope\.config\.ts: config file not found/);
});

s.after(() => project.remove());
s.run();
