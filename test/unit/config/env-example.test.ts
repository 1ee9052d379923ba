import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config/config.js';
import { ENV_KEYS } from '#src/config/config.schema.js';

describe('.env.example', () => {
  const lines = readFileSync('.env.example', 'utf8').split('\n');
  const listed = new Map(
    lines
      .map((line) => line.replace(/^#\s*/, ''))
      .filter((line) => /^PROVD_[A-Z0-9_]+=/.test(line))
      .map((line) => [line.split('=')[0]!, line.slice(line.indexOf('=') + 1)] as const),
  );

  it('lists every configuration key', () => {
    expect([...listed.keys()].sort()).toEqual(Object.values(ENV_KEYS).sort());
  });

  it('shows the real default for every key that has one', () => {
    const defaults = loadConfig({});
    for (const [key, variable] of Object.entries(ENV_KEYS)) {
      const value = (defaults as Record<string, unknown>)[key];
      if (value !== undefined) expect(listed.get(variable), variable).toBe(String(value));
    }
  });
});
