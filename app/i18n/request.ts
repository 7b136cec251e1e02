/**
 * next-intl's per-request configuration. The app has no locale in its URLs: the language comes
 * from the cookie the language switcher sets, else from the browser's Accept-Language, else
 * English.
 */
import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';

import {
  defaultLocale,
  isLocale,
  localeCookieName,
  matchAcceptLanguage,
} from '../../domain/locales';
import type { Locale } from '../../domain/locales';
import type { Messages } from './messages';

async function resolveLocale(): Promise<Locale> {
  const fromCookie = (await cookies()).get(localeCookieName)?.value;
  if (isLocale(fromCookie)) return fromCookie;
  return matchAcceptLanguage((await headers()).get('accept-language')) ?? defaultLocale;
}

async function loadMessages(locale: Locale): Promise<Messages> {
  switch (locale) {
    case 'zh-CN':
      return (await import('../messages/zh-CN.json')).default;
    case 'km':
      return (await import('../messages/km.json')).default;
    case 'en':
      return (await import('../messages/en.json')).default;
  }
}

export default getRequestConfig(async () => {
  const locale = await resolveLocale();
  return {
    locale,
    messages: await loadMessages(locale),
    // Plan dates are calendar dates (YYYY-MM-DD), read as midnight UTC: formatting them in UTC
    // shows the same day everywhere, in Phnom Penh as in Haikou.
    timeZone: 'UTC',
  };
});
