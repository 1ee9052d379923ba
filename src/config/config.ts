import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
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

/**
 * The environment with the `.env` file of `dir` (if any) underneath it: a variable set in the real
 * environment wins over the same variable in the file, so a deployment can override one value
 * without editing the file. A missing file is no error; an unreadable one is.
 */
export function environmentWithEnvFile(env: Env, dir: string = process.cwd()): Env {
  const path = resolve(dir, '.env');
  if (!existsSync(path)) return env;
  let fromFile: Env;
  try {
    fromFile = parseEnv(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(path, `cannot be read: ${(error as Error).message}`);
  }
  return { ...fromFile, ...env };
}

/** The single place the process environment (and `.env` in the working directory) is read. Entry points call this once. */
export function configFromProcessEnv(): Config {
  return loadConfig(environmentWithEnvFile(process.env));
}
