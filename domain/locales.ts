/** The languages the UI speaks. The first is the fallback. */
export const locales = ['en', 'zh-CN', 'km'] as const;

export type Locale = (typeof locales)[number];

export const defaultLocale: Locale = 'en';

/** The cookie that remembers the user's choice of language. */
export const localeCookieName = 'coplan-locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/**
 * Picks the best supported locale from an Accept-Language header, e.g. "km-KH,km;q=0.9" → "km",
 * "zh-TW" → "zh-CN" (the UI has one Chinese), anything else → null.
 */
export function matchAcceptLanguage(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      // RFC 9110 allows spaces around the ";": "km ; q=0.9".
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag === 'km' || tag.startsWith('km-')) return 'km';
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return null;
}
