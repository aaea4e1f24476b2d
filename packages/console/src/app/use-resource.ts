import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../api/api-error.js';
import { errorOf, useApi } from './api-context.js';

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  reload(): void;
}

/** Loads `load()` now, again whenever `key` or the signed-in key changes, and on reload(); the last answer wins. */
export function useResource<T>(load: () => Promise<T>, key: string): Resource<T> {
  const { generation } = useApi();
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    loader.current().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState((previous) => ({ data: previous.data, error: errorOf(error), loading: false })),
    );
    return () => {
      current = false;
    };
  }, [key, tick, generation]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
