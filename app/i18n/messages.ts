/**
 * The shape of the UI's messages. English is the reference: the other locales must have exactly
 * the same keys (checked by messages.test.ts), and next-intl type-checks every key used in code.
 */
import type en from '../messages/en.json';

import type { Locale } from '../../domain/locales';

export type Messages = typeof en;

declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
