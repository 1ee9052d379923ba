import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `npm start` runs scripts/ensure-deps.mjs on a fresh clone: it must install from the lock and
// leave package.json and package-lock.json as committed (checked by hand on a scratch clone:
// the lock is byte-identical after it). This pins every npm command it may run.
describe('scripts/ensure-deps.mjs', () => {
  const source = readFileSync('scripts/ensure-deps.mjs', 'utf8');
  const commands = [...source.matchAll(/\[\s*'(ci|install)'([^\]]*)\]/g)].map((match) => ({
    verb: match[1]!,
    flags: match[2]!,
  }));

  it('runs only lock-preserving npm commands', () => {
    expect(commands.length).toBeGreaterThan(0);
    for (const { verb, flags } of commands) {
      if (verb === 'install') expect(flags, `npm install${flags}`).toMatch(/'--no-save'/);
    }
    expect(commands[0]!.verb).toBe('ci');
  });
});
