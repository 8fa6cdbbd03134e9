import { useCallback, useEffect, useState } from 'react';

// Hash routing: enough for four pages, and a reload (or a test) lands on the same view.

export type Route =
  | { page: 'datasets'; datasetId?: number }
  | { page: 'training'; datasetId?: number; runId?: number }
  | { page: 'gallery'; runId?: number }
  | { page: 'compare'; runIds: number[] }
  | { page: 'backend' };

export type PageName = Route['page'];

function positiveInt(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page, id] = path.split('/');
  const params = new URLSearchParams(query);
  switch (page) {
    case 'training':
      return {
        page: 'training',
        datasetId: positiveInt(params.get('dataset')),
        runId: positiveInt(params.get('run')),
      };
    case 'gallery':
      return { page: 'gallery', runId: positiveInt(params.get('run')) };
    case 'compare':
      return {
        page: 'compare',
        runIds: (params.get('runs') ?? '')
          .split(',')
          .map((part) => positiveInt(part))
          .filter((n): n is number => n !== undefined),
      };
    case 'backend':
      return { page: 'backend' };
    default:
      return { page: 'datasets', datasetId: positiveInt(id) };
  }
}

export function formatRoute(route: Route): string {
  switch (route.page) {
    case 'datasets':
      return route.datasetId ? `#/datasets/${route.datasetId}` : '#/datasets';
    case 'training': {
      const params = new URLSearchParams();
      if (route.datasetId) params.set('dataset', String(route.datasetId));
      if (route.runId) params.set('run', String(route.runId));
      const query = params.toString();
      return query ? `#/training?${query}` : '#/training';
    }
    case 'gallery':
      return route.runId ? `#/gallery?run=${route.runId}` : '#/gallery';
    case 'compare':
      return `#/compare?runs=${route.runIds.join(',')}`;
    case 'backend':
      return '#/backend';
  }
}

export type Navigate = (route: Route, options?: { replace?: boolean }) => void;

export function useHashRoute(): [Route, Navigate] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));

  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);

  const navigate = useCallback<Navigate>((next, options) => {
    const hash = formatRoute(next);
    if (options?.replace) window.history.replaceState(null, '', hash);
    else window.history.pushState(null, '', hash);
    // pushState does not fire hashchange, so the state is set here directly.
    setRoute(parseRoute(hash));
  }, []);

  return [route, navigate];
}
