/** What the console port tells the page about the server (GET /console-config.json). */
export interface ConsoleSettings {
  readonly region: string;
  readonly auth: 'permissive' | 'strict';
}

export async function loadConsoleSettings(): Promise<ConsoleSettings> {
  const response = await fetch('/console-config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET /console-config.json answered ${response.status}`);
  return (await response.json()) as ConsoleSettings;
}
