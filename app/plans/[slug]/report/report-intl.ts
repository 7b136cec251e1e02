import { createFormatter, createTranslator } from 'next-intl';

import type { Locale } from '../../../../domain/locales';
import type { Messages } from '../../../i18n/messages';

async function loadMessages(locale: Locale): Promise<Messages> {
  switch (locale) {
    case 'zh-CN':
      return (await import('../../../messages/zh-CN.json')).default;
    case 'km':
      return (await import('../../../messages/km.json')).default;
    case 'en':
      return (await import('../../../messages/en.json')).default;
  }
}

/**
 * Translators and a formatter for the report's own language, which may differ from the UI's
 * (the app's request config always answers in the UI's language, so `getTranslations({ locale })`
 * would not switch). The header and tabs around the report stay in the UI's language.
 */
export async function reportIntl(locale: Locale) {
  const messages = await loadMessages(locale);
  const translator = <N extends 'Report' | 'Statuses' | 'Organisations'>(namespace: N) =>
    createTranslator({ locale, messages, namespace });
  return {
    t: translator('Report'),
    statuses: translator('Statuses'),
    organisations: translator('Organisations'),
    // Plan dates are calendar dates read as midnight UTC, as everywhere in the app.
    format: createFormatter({ locale, timeZone: 'UTC' }),
  };
}
