import { describe, expect, it } from 'vitest';

import { defaultLocale, isLocale, locales, matchAcceptLanguage } from './locales';

describe('matchAcceptLanguage', () => {
  it.each([
    ['km-KH,km;q=0.9', 'km'],
    ['km', 'km'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['zh-Hant-HK', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['en-GB,en;q=0.9', 'en'],
    ['EN-us', 'en'],
    ['fr-FR, km;q=0.5', 'km'],
    ['en;q=0.5, zh;q=0.8', 'zh-CN'],
    ['km;q=0, en', 'en'],
    ['en;q=0.8, km;q=0.8', 'en'],
    [' km-KH ; q=0.7 , fr ', 'km'],
    ['fr, km ;q=0.9', 'km'],
  ] as const)('%j → %s', (header, expected) => {
    expect(matchAcceptLanguage(header)).toBe(expected);
  });

  it.each([null, undefined, '', 'fr-FR,de;q=0.9', '*', 'kmr', 'zhx', 'km;q=0', ',,;'])(
    'finds no supported locale in %j',
    (header) => {
      expect(matchAcceptLanguage(header)).toBeNull();
    },
  );
});

describe('isLocale', () => {
  it('accepts exactly the supported locales', () => {
    for (const locale of locales) expect(isLocale(locale)).toBe(true);
    expect(isLocale('zh')).toBe(false);
    expect(isLocale('EN')).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });

  it('falls back to the first locale', () => {
    expect(defaultLocale).toBe(locales[0]);
  });
});
