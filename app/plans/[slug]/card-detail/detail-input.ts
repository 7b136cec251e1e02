/**
 * What people type into the card details panel, read the way they mean it: a link without a
 * scheme, a number written with the separators of their language.
 */
import { isAllowedLink } from '../../../../domain/rich-text';

export type LinkCheck =
  { ok: true; href: string } | { ok: false; problem: 'empty' | 'notAllowed' | 'tooLong' };

/**
 * A link for the description: http, https and mailto only, as the server allows. "ilo.org/x"
 * becomes https://ilo.org/x and "name@example.org" a mailto: link, as people expect; any other
 * scheme (javascript:, data:, file:) is refused, never rewritten.
 */
export function checkLink(input: string): LinkCheck {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, problem: 'empty' };
  if (trimmed.length > 2048) return { ok: false, problem: 'tooLong' };
  let href = trimmed;
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed);
  if (!hasScheme) {
    if (/^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(trimmed)) href = `mailto:${trimmed}`;
    else if (/^[^\s/:]+\.[^\s/:]+([/?#]\S*)?$/.test(trimmed)) href = `https://${trimmed}`;
    else return { ok: false, problem: 'notAllowed' };
  }
  return isAllowedLink(href) ? { ok: true, href } : { ok: false, problem: 'notAllowed' };
}

/** The decimal and grouping characters of a locale ("1,234.5" in English, "1.234,5" in Khmer). */
function separators(locale: string): { decimal: string; group: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  return {
    decimal: parts.find((part) => part.type === 'decimal')?.value ?? '.',
    group: parts.find((part) => part.type === 'group')?.value ?? ',',
  };
}

/**
 * A number as typed in the given locale, or null if it is not one. Accepts the locale's own
 * separators and, since keyboards and habits differ, a plain "12.5" too when it cannot be read
 * as grouping. Empty input is `undefined` (no value), not an error.
 */
export function parseLocaleNumber(raw: string, locale: string): number | null | undefined {
  const text = raw.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (text === '') return undefined;
  const { decimal, group } = separators(locale);
  let normalised = text;
  if (decimal !== '.' && text.includes(decimal)) {
    normalised = text.split(group).join('').replace(decimal, '.');
  } else if (group === ',' || decimal === '.') {
    normalised = text.replace(/,/g, '');
  } else if (/^-?\d{1,3}(\.\d{3})+$/.test(text)) {
    // "1.234" in a locale that groups with dots.
    normalised = text.replace(/\./g, '');
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(normalised)) return null;
  const value = Number(normalised);
  return Number.isFinite(value) ? value : null;
}
