import { ConfigError } from '../config/config.js';

/** Runs an entry point; a bad setting or a failed start prints one clear line and exits non-zero. */
export function bootOrExit(name: string, start: () => Promise<void>): void {
  start().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(`${name}: ${error.message}`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`${name}: failed to start: ${message}`);
    }
    process.exit(1);
  });
}
