export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Any well-formed key does in permissive mode; strict mode needs a real one (signIn). */
export const CONSOLE_DEFAULT_CREDENTIALS: Credentials = { accessKeyId: 'AKIDRIFFLECONSOLE', secretAccessKey: 'riffle-console' };

// sessionStorage only: the key lives as long as the browser tab, never on disk in localStorage.
const STORAGE_KEY = 'riffle.credentials';

export function storedCredentials(): Credentials | undefined {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    if (!text) return undefined;
    const value = JSON.parse(text) as Partial<Credentials>;
    if (typeof value.accessKeyId !== 'string' || typeof value.secretAccessKey !== 'string') return undefined;
    return { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey, ...(value.sessionToken ? { sessionToken: value.sessionToken } : {}) };
  } catch {
    return undefined;
  }
}

export function storeCredentials(credentials: Credentials | undefined): void {
  if (credentials) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
  else sessionStorage.removeItem(STORAGE_KEY);
}
