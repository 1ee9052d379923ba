import { Command, CommanderError } from 'commander';
import { createOperatorCommand } from './commands/operator.js';
import { devicesCommand } from './commands/devices.js';
import { fetchCommand } from './commands/fetch.js';
import { importCommand } from './commands/import.js';
import { loginCommand } from './commands/login.js';
import { resyncCommand } from './commands/resync.js';
import { CliError } from './session.js';

/** `provd`: the operator's command line for the admin API (and, for create-operator, the database). */
export function buildProgram(): Command {
  const program = new Command('provd')
    .description(
      'Command line for phone-provisiond: sign in, list devices, resync, import, create the first operator, fetch as a phone',
    )
    .showHelpAfterError()
    .exitOverride();
  loginCommand(program);
  devicesCommand(program);
  resyncCommand(program);
  importCommand(program);
  createOperatorCommand(program);
  fetchCommand(program);
  return program;
}

/** Runs the program; every expected failure is one line on stderr and a non-zero exit code, never a stack. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      console.error(`provd: ${error.message}`);
      return error.exitCode;
    }
    console.error(`provd: ${(error as Error).message}`);
    return 1;
  }
}
