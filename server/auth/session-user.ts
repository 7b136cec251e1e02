import type { OrganisationCode } from '../../domain/organisations';

/** The signed-in person, as every entry point sees them after checking the session. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  organisation: OrganisationCode;
}

/** A user who just proved their password: what their new session carries. */
export interface AuthenticatedUser extends SessionUser {
  sessionVersion: number;
}

/** Sessions last at most 12 hours; then the person signs in again. */
export const sessionMaxAgeSeconds = 12 * 60 * 60;
