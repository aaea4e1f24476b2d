/**
 * A command's failure, told to the user as one line `riffle <command>: <message>` and an exit code:
 * 2 for a wrong invocation or input (usage, a malformed file), 1 for a failure while running (AWS answered an error).
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
