// Hash routing (#/hosts, #/flows?filter=host:x&flow=ID): works from any path, needs no server fallback, and keeps
// the token out of every URL.
import { useSyncExternalStore } from 'react';

export type ViewName = 'overview' | 'hosts' | 'flows' | 'findings' | 'setup' | 'sessions';
export const VIEWS: ViewName[] = ['overview', 'hosts', 'flows', 'findings', 'setup', 'sessions'];

export interface Route {
  view: ViewName;
  params: URLSearchParams;
}

function parse(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const name = (q >= 0 ? text.slice(0, q) : text) as ViewName;
  const params = new URLSearchParams(q >= 0 ? text.slice(q + 1) : '');
  return { view: VIEWS.includes(name) ? name : 'overview', params };
}

let cached: { hash: string; route: Route } | undefined;
function current(): Route {
  const hash = window.location.hash;
  if (!cached || cached.hash !== hash) cached = { hash, route: parse(hash) };
  return cached.route;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, current);
}

export function routeHref(view: ViewName, params: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, v);
  const s = search.toString();
  return `#/${view}${s ? `?${s}` : ''}`;
}

/** Navigates; replace=true keeps the history short for typing in the filter box. */
export function navigate(view: ViewName, params: Record<string, string | undefined> = {}, replace = false): void {
  const href = routeHref(view, params);
  if (replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
