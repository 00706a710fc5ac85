import type { RouterRoute } from 'hono/types';

/** `/v1/notes/:id` → a regular expression for concrete paths (a parameter is one non-empty segment). */
const templatePattern = (template: string) =>
  new RegExp(`^${template.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);

/**
 * The methods a path is served with, from the app's registered routes (middleware, registered for every method,
 * does not count). Empty for an unknown path: that is a 404, a known path with another method a 405.
 */
export function allowedMethods(routes: readonly RouterRoute[]) {
  const handlers = routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method.toUpperCase(), pattern: templatePattern(r.path) }));
  return (path: string): string[] => {
    const methods = new Set(handlers.filter((h) => h.pattern.test(path)).map((h) => h.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}
