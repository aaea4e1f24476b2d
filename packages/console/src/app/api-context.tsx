import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { apiErrorOf, needsSignIn, type ApiError } from '../api/api-error.js';
import { createApiClients, type ApiClients } from '../api/api-clients.js';
import type { ConsoleSettings } from '../api/console-settings.js';
import { CONSOLE_DEFAULT_CREDENTIALS, storeCredentials, storedCredentials, type Credentials } from '../api/credentials.js';

/** A failed API call, carrying the API's own error type and message. */
export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(`${error.type}: ${error.message}`);
  }
}

export interface Api extends ApiClients {
  readonly settings: ConsoleSettings;
  /** Bumped by every sign-in and sign-out: pages load again with the new key. */
  readonly generation: number;
  readonly signedIn: Credentials | undefined;
  /** Runs a call; an error comes back as ApiCallError, and one that refuses the key opens the sign-in dialog. */
  run<T>(call: (clients: ApiClients) => Promise<T>): Promise<T>;
  readonly signInWanted: ApiError | 'required' | undefined;
  signIn(credentials: Credentials): void;
  signOut(): void;
  dismissSignIn(): void;
}

const ApiContext = createContext<Api | undefined>(undefined);

export function ApiProvider({ settings, children }: { settings: ConsoleSettings; children: ReactNode }) {
  const [signedIn, setSignedIn] = useState<Credentials | undefined>(() => storedCredentials());
  const [generation, setGeneration] = useState(0);
  const [signInWanted, setSignInWanted] = useState<ApiError | 'required' | undefined>(() =>
    settings.auth === 'strict' && !storedCredentials() ? 'required' : undefined,
  );
  // New clients for a new key: the SDK keeps the identity it resolved for as long as it does not expire.
  const clients = useMemo(() => createApiClients(settings.region, signedIn ?? CONSOLE_DEFAULT_CREDENTIALS), [settings.region, signedIn]);
  useEffect(
    () => () => {
      clients.kinesis.destroy();
      clients.cloudWatch.destroy();
    },
    [clients],
  );

  const run = useCallback(
    async <T,>(call: (clients: ApiClients) => Promise<T>): Promise<T> => {
      try {
        return await call(clients);
      } catch (error) {
        const apiError = apiErrorOf(error);
        if (needsSignIn(apiError)) setSignInWanted(apiError);
        throw new ApiCallError(apiError);
      }
    },
    [clients],
  );
  const signIn = useCallback((value: Credentials) => {
    storeCredentials(value);
    setSignedIn(value);
    setSignInWanted(undefined);
    setGeneration((n) => n + 1);
  }, []);
  const signOut = useCallback(() => {
    storeCredentials(undefined);
    setSignedIn(undefined);
    if (settings.auth === 'strict') setSignInWanted('required');
    setGeneration((n) => n + 1);
  }, [settings.auth]);
  const dismissSignIn = useCallback(() => setSignInWanted(undefined), []);

  const api = useMemo<Api>(
    () => ({ ...clients, settings, generation, signedIn, run, signInWanted, signIn, signOut, dismissSignIn }),
    [clients, settings, generation, signedIn, run, signInWanted, signIn, signOut, dismissSignIn],
  );
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

/** The ApiError of a caught error: the API's own when it is one. */
export function errorOf(error: unknown): ApiError {
  return error instanceof ApiCallError ? error.error : apiErrorOf(error);
}
