import { CliError } from '../cli-error.js';
import type { Command } from '../commands.js';

export const putCommand: Command = async () => {
  throw new CliError('riffle put is not built yet');
};
