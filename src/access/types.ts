/** Record types the access repositories, services and doors share. */

export const ROLES = ['admin', 'doctor', 'coder', 'clinician', 'radiologist'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  id: string;
  prefix: string;
  role: Role;
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Who is calling: the API key's id, label and role. */
export interface Principal {
  keyId: string;
  label: string;
  role: Role;
}

/** Who an audit event records: a key's id, label and role, or an operator or anonymous caller without a key. */
export interface AuditActor {
  keyId: string | null;
  label: string;
  role: string;
}
