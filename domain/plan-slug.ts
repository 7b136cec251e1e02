/**
 * A plan's short address (`/plans/<slug>`), derived from its title for the new-plan form. The
 * pattern itself is the sync protocol's (`planSlugPattern`): lower-case Latin letters, digits and
 * inner hyphens, 2–64 characters.
 */
import { isPlanSlug } from './sync-protocol';

const maxSlugLength = 64;

/**
 * "HTC–NPIA Cooperation Plan 2024–2025" → "htc-npia-cooperation-plan-2024-2025". Accents are
 * dropped ("Coopération" → "cooperation"); a title with no Latin letters or digits (Chinese,
 * Khmer) gives `plan-<start year>-<end year>` from the period, or "" when that is unknown too.
 */
export function derivePlanSlug(title: string, period?: { start: string; end: string }): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = ascii.slice(0, maxSlugLength).replace(/-+$/, '');
  if (isPlanSlug(cut)) return cut;
  if (period) {
    const fallback = `plan-${period.start.slice(0, 4)}-${period.end.slice(0, 4)}`;
    if (isPlanSlug(fallback)) return fallback;
  }
  return '';
}
