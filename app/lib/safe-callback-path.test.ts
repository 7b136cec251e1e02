import { describe, expect, it } from 'vitest';

import { safeCallbackPath } from './safe-callback-path';

describe('safeCallbackPath', () => {
  it('keeps a path on this site', () => {
    expect(safeCallbackPath('/plans/htc-npia-2022?x=1#top')).toBe('/plans/htc-npia-2022?x=1#top');
    expect(safeCallbackPath('/')).toBe('/');
  });

  it.each([
    undefined,
    '',
    'plans/x',
    '//evil.example/',
    '/\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/plans/\u0000x',
    '/a\\b',
  ])('falls back to / for %j', (value) => {
    expect(safeCallbackPath(value)).toBe('/');
  });

  it('accepts an absolute URL of our own origin only', () => {
    const origin = 'http://localhost:3000';
    expect(safeCallbackPath('http://localhost:3000/plans/a?b=c', origin)).toBe('/plans/a?b=c');
    expect(safeCallbackPath('http://localhost:3001/plans/a', origin)).toBe('/');
    expect(safeCallbackPath('http://localhost:3000//evil.example', origin)).toBe('/');
  });
});
