'use client';

import { signOut } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';

export function SignOutButton() {
  const t = useTranslations('SignOut');
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        signOut({ callbackUrl: '/sign-in' }).catch(() => setPending(false));
      }}
    >
      {pending ? t('submitting') : t('submit')}
    </button>
  );
}
