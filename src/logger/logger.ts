import { pino, stdSerializers, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

/**
 * Paths that may carry secrets anywhere in a log object. pino redacts them before
 * serialisation, so a secret never reaches a log sink even inside an error's context.
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'sipPassword',
  '*.sipPassword',
  '*.*.sipPassword',
  'secret',
  '*.secret',
  '*.*.secret',
  'deviceSecret',
  '*.deviceSecret',
  'token',
  '*.token',
  '*.*.token',
  'adminPassword',
  '*.adminPassword',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'authorization',
  '*.authorization',
  'config.databaseUrl',
  'config.redisUrl',
  'config.platformToken',
  'config.demoAdminToken',
  'config.demoAdminPassword',
  'config.sessionKey',
  'config.digestNonceKey',
];

/**
 * Drivers put the failed statement in front of the reason ("<sql> - <reason>"), and MikroORM's
 * batch inserts inline their values into that statement — a SIP password or a device secret
 * would reach the log with it, in the message, the stack, or a wrapping error's message. Every
 * statement is cut up to the last " - " of its line; only the reason stays.
 */
const STATEMENT = /\b(?:insert\s+into|update|delete\s+from|select|with)\s.* - /gi;

export function withoutStatement(text: string): string {
  return text.replace(STATEMENT, '[statement omitted] - ');
}

function scrubError(value: unknown, depth = 0): unknown {
  if (!value || typeof value !== 'object' || depth > 3) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of ['message', 'stack'])
    if (typeof copy[key] === 'string') copy[key] = withoutStatement(copy[key] as string);
  if (copy.cause) copy.cause = scrubError(copy.cause, depth + 1);
  return copy;
}

/** pino's error serializer, then statements (and the values inlined in them) cut out. */
export function serializeError(value: unknown): unknown {
  return scrubError(value instanceof Error ? stdSerializers.err(value) : value);
}

export function loggerOptions(level: string, name: string): LoggerOptions {
  return {
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      err: serializeError,
      // Never log query strings: a phone or script may put a secret there by mistake.
      req: (req: { method?: string; url?: string; ip?: string; headers?: Record<string, unknown> }) => ({
        method: req.method,
        url: typeof req.url === 'string' ? req.url.split('?')[0] : req.url,
        ip: req.ip,
        userAgent: req.headers?.['user-agent'],
      }),
    },
  };
}

/**
 * JSON lines, except on a terminal: there pino-pretty makes them readable (colour only then, so
 * files and log collectors never see escape codes). Format `json` (PROVD_LOG_FORMAT) keeps JSON on a terminal.
 */
export function createLogger(
  level: string,
  name: string,
  destination?: DestinationStream,
  format: 'auto' | 'json' = 'auto',
): Logger {
  if (destination) return pino(loggerOptions(level, name), destination);
  if (process.stdout.isTTY && format === 'auto') {
    return pino(
      loggerOptions(level, name),
      pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }),
    );
  }
  return pino(loggerOptions(level, name));
}

export type { Logger };
