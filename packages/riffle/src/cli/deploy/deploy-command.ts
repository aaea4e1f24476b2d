import { CliError } from '../cli-error.js';
import type { Command } from '../commands.js';

export const deployCommand: Command = async () => {
  throw new CliError('riffle deploy is not built yet');
};
