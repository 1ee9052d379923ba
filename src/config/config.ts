import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, ENV_FALLBACKS, ENV_KEYS, SECRET_KEYS, type Config } from './config.schema.js';

export type { Config } from './config.schema.js';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the configuration from an environment map. Pure: pass `process.env` in. */
export function loadConfig(env: Env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ENV_KEYS) as (keyof Config)[]) {
    const fallback = ENV_FALLBACKS[key];
    const value = env[ENV_KEYS[key]] ?? (fallback ? env[fallback] : undefined);
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw));
  const firstError = Value.Errors(ConfigSchema, withDefaults).First();
  if (firstError) {
    const key = firstError.path.split('/')[1] as keyof Config | undefined;
    const variable = key ? ENV_KEYS[key] : 'configuration';
    const shown = key && !SECRET_KEYS.has(key) && raw[key] !== undefined ? ` (got ${JSON.stringify(raw[key])})` : '';
    throw new ConfigError(variable, `${firstError.message.toLowerCase()}${shown}`);
  }
  return withDefaults as Config;
}

/** Narrows an optional key to present, or fails naming its variable. */
export function requireKey<K extends keyof Config>(config: Config, key: K): NonNullable<Config[K]> {
  const value = config[key];
  if (value === undefined || value === null) throw new ConfigError(ENV_KEYS[key], 'is required');
  return value as NonNullable<Config[K]>;
}

/** Base URL phones use to reach the provisioning server. */
export function publicPhoneUrl(config: Config): string {
  return (config.publicPhoneUrl ?? `http://${config.host}:${config.phonePort}`).replace(/\/+$/, '');
}

/**
 * How many processes serve the phone port: `PROVD_PHONE_PROCESSES`, with `auto` = the CPUs this
 * process may use (pass `os.availableParallelism()`). 1 = the phone server inside the api process.
 */
export function phoneProcessCount(config: Config, cpus: number): number {
  return config.phoneProcesses === 'auto' ? Math.max(1, cpus) : config.phoneProcesses;
}

/** The single place the process environment is read. Entry points call this once. */
export function configFromProcessEnv(): Config {
  return loadConfig(process.env);
}
