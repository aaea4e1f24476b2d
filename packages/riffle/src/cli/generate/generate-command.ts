import { CliError } from '../cli-error.js';
import type { Command } from '../commands.js';

export const generateCommand: Command = async () => {
  throw new CliError('riffle generate is not built yet');
};
