import type { OutboxRelay } from '#src/modules/pipeline/relay.js';
import type { TestContext } from './context.js';

/** Every render target's desired generation, by target key. */
export async function targetGenerations(ctx: TestContext): Promise<Map<string, string>> {
  const rows = await ctx.deps.orm.em
    .getConnection()
    .execute<{ target_key: string; desired_gen: string }[]>(`select target_key, desired_gen from render_targets`);
  return new Map(rows.map((row) => [row.target_key, String(row.desired_gen)]));
}

/**
 * Drains the outbox through `relay`, runs `change`, drains again, and returns the target keys
 * whose desired generation moved (or that appeared), sorted: the exact fan-out of the change.
 */
export async function targetsBumpedBy(
  ctx: TestContext,
  relay: OutboxRelay,
  change: () => Promise<unknown>,
): Promise<string[]> {
  while ((await relay.drainOnce()) > 0);
  const before = await targetGenerations(ctx);
  await change();
  while ((await relay.drainOnce()) > 0);
  const after = await targetGenerations(ctx);
  return [...after.entries()]
    .filter(([key, gen]) => before.get(key) !== gen)
    .map(([key]) => key)
    .sort();
}
