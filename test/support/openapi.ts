import type { Role } from '../../src/access/types.ts';
import { ROLES } from '../../src/access/types.ts';

export interface DocumentedOperation {
  method: string;
  /** OpenAPI path template, e.g. `/v1/notes/{id}`. */
  template: string;
  roles: Role[];
  patientData: boolean;
  secured: boolean;
  operation: any;
}

/** Every operation in the served OpenAPI document, with Clinote's role extensions. */
export function documentedOperations(doc: any): DocumentedOperation[] {
  const ops: DocumentedOperation[] = [];
  for (const [template, item] of Object.entries<any>(doc.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      ops.push({
        method: method.toUpperCase(),
        template,
        roles: operation['x-clinote-roles'] ?? [],
        patientData: Boolean(operation['x-clinote-patient-data']),
        secured: Array.isArray(operation.security) && operation.security.length > 0,
        operation,
      });
    }
  }
  return ops;
}

export const rolesOutside = (roles: readonly Role[]) => ROLES.filter((r) => !roles.includes(r));

/**
 * Fills path parameters from ids keyed by the collection segment before them
 * (`/v1/notes/{id}` takes `ids.notes`); unknown ones get a placeholder.
 */
export function fillPath(template: string, ids: Record<string, string>): string {
  return template.replace(/([\w-]+)\/\{(\w+)\}/g, (_m, segment: string, name: string) =>
    `${segment}/${encodeURIComponent(ids[segment] ?? ids[name] ?? 'x')}`,
  );
}
