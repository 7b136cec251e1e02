/**
 * The organisations that take part in a cooperation plan. A user belongs to one; an item is led
 * by one. Codes are stable identifiers stored in the database and the plan document; names are
 * shown through the UI's messages, never from here.
 */
export const organisationCodes = ['HTC', 'NPIA', 'ILO', 'MOHRSS', 'CAMHR', 'ENTERPRISE'] as const;

export type OrganisationCode = (typeof organisationCodes)[number];

/** Full English names, used by the seed and the admin CLI (the UI translates the codes). */
export const organisationNames: Record<OrganisationCode, string> = {
  HTC: 'Hainan Technician College',
  NPIA: 'National Polytechnic Institute of Angkor',
  ILO: 'International Labour Organization',
  MOHRSS: 'Ministry of Human Resources and Social Security (China)',
  CAMHR: 'CamHR Cambodia',
  ENTERPRISE: 'Enterprise partner',
};

export function isOrganisationCode(value: unknown): value is OrganisationCode {
  return typeof value === 'string' && (organisationCodes as readonly string[]).includes(value);
}

/** Accepts any case ("npia", "Npia"), as the admin CLI promises. */
export function parseOrganisationCode(value: string): OrganisationCode | null {
  const upper = value.trim().toUpperCase();
  return isOrganisationCode(upper) ? upper : null;
}
