'use client';

import { useRelativeTime } from '../../../lib/use-relative-time';

/** "3 hours ago", with the full date and time beside it, in the UI's language. */
export function VersionTime({ at }: { at: string }) {
  const time = useRelativeTime();
  const date = new Date(at);
  const full = time.full(date);
  return (
    <time dateTime={at} title={full}>
      {time.relative(date)} <span className="visually-hidden">(</span>
      <span aria-hidden="false">· {full}</span>
      <span className="visually-hidden">)</span>
    </time>
  );
}

/** A version's name, or for an automatic one the date and time it was saved. */
export function VersionName({ name, at }: { name: string | null; at: string }) {
  const time = useRelativeTime();
  return <>{name ?? time.full(new Date(at))}</>;
}
