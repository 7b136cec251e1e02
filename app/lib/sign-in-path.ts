/** The sign-in page's URL that brings the user back to `callbackPath` afterwards. */
export function signInPath(callbackPath: string): string {
  return callbackPath === '/'
    ? '/sign-in'
    : `/sign-in?${new URLSearchParams({ callbackUrl: callbackPath }).toString()}`;
}
