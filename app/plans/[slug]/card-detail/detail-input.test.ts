import { describe, expect, it } from 'vitest';

import { checkLink, parseLocaleNumber } from './detail-input';

describe('checkLink', () => {
  it('keeps web and e-mail links', () => {
    expect(checkLink(' https://www.ilo.org/beijing ')).toEqual({
      ok: true,
      href: 'https://www.ilo.org/beijing',
    });
    expect(checkLink('mailto:coplan@example.org')).toEqual({
      ok: true,
      href: 'mailto:coplan@example.org',
    });
  });

  it('completes a link typed without its scheme', () => {
    expect(checkLink('ilo.org/skills')).toEqual({ ok: true, href: 'https://ilo.org/skills' });
    expect(checkLink('dara@npia.edu.kh')).toEqual({ ok: true, href: 'mailto:dara@npia.edu.kh' });
  });

  it('refuses other schemes and text that is not an address', () => {
    expect(checkLink('javascript:alert(1)')).toEqual({ ok: false, problem: 'notAllowed' });
    expect(checkLink('JavaScript:alert(1)')).toEqual({ ok: false, problem: 'notAllowed' });
    expect(checkLink('data:text/html,<b>x</b>')).toEqual({ ok: false, problem: 'notAllowed' });
    expect(checkLink('file:///etc/passwd')).toEqual({ ok: false, problem: 'notAllowed' });
    expect(checkLink('the training plan')).toEqual({ ok: false, problem: 'notAllowed' });
    expect(checkLink('   ')).toEqual({ ok: false, problem: 'empty' });
    expect(checkLink(`https://x.org/${'a'.repeat(2100)}`)).toEqual({
      ok: false,
      problem: 'tooLong',
    });
  });
});

describe('parseLocaleNumber', () => {
  it('reads numbers with English separators', () => {
    expect(parseLocaleNumber('1,234.5', 'en')).toBe(1234.5);
    expect(parseLocaleNumber('20', 'en')).toBe(20);
    expect(parseLocaleNumber('-3.5', 'zh-CN')).toBe(-3.5);
  });

  it('reads numbers with the separators of a locale that writes a decimal comma', () => {
    const { format } = new Intl.NumberFormat('km');
    const decimalComma = format(1.5).includes(',');
    if (decimalComma) {
      expect(parseLocaleNumber('1.234,5', 'km')).toBe(1234.5);
      expect(parseLocaleNumber('12,5', 'km')).toBe(12.5);
    }
    // Whatever the locale writes, a plain decimal point is understood.
    expect(parseLocaleNumber('12.5', 'km')).toBe(12.5);
    expect(parseLocaleNumber(format(1234.5), 'km')).toBe(1234.5);
  });

  it('tells empty input from input that is not a number', () => {
    expect(parseLocaleNumber('  ', 'en')).toBeUndefined();
    expect(parseLocaleNumber('twenty', 'en')).toBeNull();
    expect(parseLocaleNumber('1e400', 'en')).toBeNull();
    expect(parseLocaleNumber('12abc', 'en')).toBeNull();
  });
});
