/**
 * A member's role on one plan, and what each role may do. The server enforces these at every
 * entry point; the UI only mirrors them (see docs/roles.md and DESIGN.md).
 */
import type { OrganisationCode } from './organisations';

export const roles = ['owner', 'editor', 'commenter', 'viewer'] as const;

export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/** May change the plan document itself (workstreams, items, dates, status…). */
export function canEditPlan(role: Role): boolean {
  return role === 'owner' || role === 'editor';
}

/** May comment on items and resolve threads. */
export function canComment(role: Role): boolean {
  return role !== 'viewer';
}

/** May delete anyone's comment (moderation); everyone else deletes only their own. */
export function canDeleteAnyComment(role: Role): boolean {
  return role === 'owner';
}

/** May invite members, change roles and restore versions. */
export function canManagePlan(role: Role): boolean {
  return role === 'owner';
}

/** A plan member as the plan's pages show them (owners, mentions, presence). */
export interface PlanMember {
  id: string;
  name: string;
  organisation: OrganisationCode;
  role: Role;
}
