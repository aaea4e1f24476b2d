import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** The app's own routes in the address bar (the console port answers every such path with the app's page). */
export type Route =
  | { readonly page: 'streams' }
  | { readonly page: 'create' }
  | { readonly page: 'stream'; readonly name: string; readonly tab: StreamTab }
  | { readonly page: 'not-found' };

export const STREAM_TABS = ['monitoring', 'configuration', 'data-viewer', 'fan-out', 'put-record'] as const;
export type StreamTab = (typeof STREAM_TABS)[number];

export function routeOf(pathname: string): Route {
  if (pathname === '/' || pathname === '/streams' || pathname === '/streams/') return { page: 'streams' };
  if (pathname === '/create') return { page: 'create' };
  const match = /^\/streams\/([^/]+)(?:\/([^/]+))?\/?$/.exec(pathname);
  if (match) {
    const tab = (match[2] ?? 'monitoring') as StreamTab;
    if (!STREAM_TABS.includes(tab)) return { page: 'not-found' };
    return { page: 'stream', name: decodeURIComponent(match[1]!), tab };
  }
  return { page: 'not-found' };
}

export function streamPath(name: string, tab?: StreamTab): string {
  return `/streams/${encodeURIComponent(name)}${tab && tab !== 'monitoring' ? `/${tab}` : ''}`;
}

const NAVIGATED = 'riffle:navigated';

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATED));
}

export function useRoute(): Route {
  const [pathname, setPathname] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPathname(window.location.pathname);
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return routeOf(pathname);
}

/** A real link (new tab, copy address work); a plain click moves within the app. */
export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a {...rest} href={to} onClick={onClick} />;
}
