import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../helpers/context.js';

describe('building the apps', () => {
  it('emits no process warning (deprecations included)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) =>
      warnings.push(`${warning.code ?? warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const ctx = await createTestContext();
      await ctx.close();
      // process.emitWarning delivers on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});
