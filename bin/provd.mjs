#!/usr/bin/env node
// Entry point of the `provd` command: the TypeScript sources run through tsx (a dependency), so
// the command works from a fresh clone after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
