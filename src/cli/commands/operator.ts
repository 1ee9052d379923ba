import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { EntityManager } from '@mikro-orm/postgresql';
import { configFromProcessEnv, requireKey } from '../../config/config.js';
import { openOrm } from '../../db/orm.js';
import { AppError } from '../../errors/errors.js';
import { createConsoleUser } from '../../modules/console/console-users.service.js';
import { CliError } from '../session.js';

/** 24 random bytes as base64url: 32 characters, far above the console's minimum length. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * `provd create-operator --email`: the first platform operator of the console, written straight
 * into the database (PROVD_DATABASE_URL, as the server reads it) because no one can sign in to
 * create it yet. The generated password is printed once; only its argon2id hash is stored.
 */
export function createOperatorCommand(program: Command): void {
  program
    .command('create-operator')
    .description(
      'Create a platform operator console user in the database (PROVD_DATABASE_URL); prints a generated password once',
    )
    .requiredOption('--email <email>', "the operator's sign-in email")
    .action(async (options: { email: string }) => {
      const config = configFromProcessEnv();
      const orm = await openOrm({ databaseUrl: requireKey(config, 'databaseUrl'), poolMax: 2 });
      try {
        const password = generatePassword();
        const user = await createConsoleUser(orm.em.fork() as EntityManager, {
          email: options.email,
          password,
          role: 'platform',
          tenant: null,
        });
        console.log(`Created platform operator ${user.email}.`);
        console.log(`Password (shown once, change it after the first sign-in): ${password}`);
      } catch (error) {
        if (error instanceof AppError) throw new CliError(`${error.code}: ${error.message}`);
        throw error;
      } finally {
        await orm.close(true);
      }
    });
}
