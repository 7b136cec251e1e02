'use server';

import { refresh } from 'next/cache';
import { cookies } from 'next/headers';
import { z } from 'zod';

import { isLocale, localeCookieName } from '../../domain/locales';
import type { Locale } from '../../domain/locales';
import { getPublicOrigin } from '../../server/public-origin';

const setLocaleInput = z.object({ locale: z.custom<Locale>(isLocale, 'unknown locale') });

/** Remembers the user's language for a year and re-renders the current page in it. */
export async function setLocale(formData: FormData): Promise<void> {
  const parsed = setLocaleInput.safeParse({ locale: formData.get('locale') });
  if (!parsed.success) return;
  (await cookies()).set(localeCookieName, parsed.data.locale, {
    path: '/',
    maxAge: 60 * 60 * 24 * 365,
    sameSite: 'lax',
    // Not read by scripts; sent only over TLS when the app is served over it.
    httpOnly: true,
    secure: getPublicOrigin().startsWith('https:'),
  });
  refresh();
}
