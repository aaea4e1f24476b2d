/** Structured logs: one JSON object a line on stdout; never record data or secrets. */
export type LogLevel = 'quiet' | 'info' | 'debug';
export type Logger = (entry: Record<string, unknown>) => void;

const rank: Record<LogLevel, number> = { quiet: 0, info: 1, debug: 2 };

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  return (entry) => {
    const entryLevel = (entry.level as LogLevel | 'error' | undefined) ?? 'info';
    // Errors are always logged; a fault must never pass silently.
    if (entryLevel !== 'error' && rank[entryLevel as LogLevel] > rank[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: entryLevel, ...entry }) + '\n');
  };
}
