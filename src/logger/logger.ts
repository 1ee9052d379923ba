import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

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
];

export function loggerOptions(level: string, name: string): LoggerOptions {
  return {
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
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

export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level, name), destination) : pino(loggerOptions(level, name));
}

export type { Logger };
