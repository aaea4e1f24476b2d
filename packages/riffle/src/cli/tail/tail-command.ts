import { CliError } from '../cli-error.js';
import type { Command } from '../commands.js';

export const tailCommand: Command = async () => {
  throw new CliError('riffle tail is not built yet');
};
