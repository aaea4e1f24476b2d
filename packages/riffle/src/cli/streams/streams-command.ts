import { CliError } from '../cli-error.js';
import type { Command } from '../commands.js';

export const streamsCommand: Command = async () => {
  throw new CliError('riffle streams is not built yet');
};
