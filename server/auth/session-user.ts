import type { OrganisationCode } from '../../domain/organisations';

/** The signed-in person, as every entry point sees them after checking the session. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  organisation: OrganisationCode;
}

/** Sessions last at most 12 hours; then the person signs in again. */
export const sessionMaxAgeSeconds = 12 * 60 * 60;
