import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What the AWS CLI's shared files say about one profile: enough to choose a region and whether to use them at all. */
export interface SharedProfile {
  readonly region: string | undefined;
  /** The profile is defined in ~/.aws/config or ~/.aws/credentials (keys, SSO, a role: the SDK's chain resolves it). */
  readonly defined: boolean;
}

type Sections = Map<string, Map<string, string>>;

/** An INI file as the AWS CLI reads it: `[section]`, `key = value`, `#`/`;` comments; indented lines are sub-settings, skipped. */
export function parseIni(text: string): Sections {
  const sections: Sections = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*([#;]|$)/.test(raw)) continue;
    const header = /^\s*\[\s*([^\]]+?)\s*\]/.exec(raw);
    if (header) {
      current = sections.get(header[1]!) ?? new Map();
      sections.set(header[1]!, current);
      continue;
    }
    if (/^\s/.test(raw) || current === undefined) continue;
    const setting = /^([^=]+?)\s*=\s*(.*?)\s*$/.exec(raw);
    if (setting) current.set(setting[1]!.toLowerCase(), setting[2]!);
  }
  return sections;
}

function readSections(path: string): Sections {
  try {
    return parseIni(readFileSync(path, 'utf8'));
  } catch {
    return new Map();
  }
}

/** The profile `name` from AWS_CONFIG_FILE (~/.aws/config) and AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials). */
export function sharedProfile(name: string, env: NodeJS.ProcessEnv): SharedProfile {
  const home = env.HOME ?? homedir();
  const config = readSections(env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'));
  const credentials = readSections(env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'));
  // The config file names profiles `[profile x]`, except the default one.
  const fromConfig = config.get(name === 'default' ? 'default' : `profile ${name}`) ?? (name === 'default' ? config.get('profile default') : undefined);
  const fromCredentials = credentials.get(name);
  return { region: fromConfig?.get('region') ?? fromCredentials?.get('region'), defined: fromConfig !== undefined || fromCredentials !== undefined };
}
