import { describe, expect, it } from 'vitest';

import {
  isOrganisationCode,
  organisationCodes,
  organisationNames,
  parseOrganisationCode,
} from './organisations';

describe('parseOrganisationCode', () => {
  it.each([
    ['NPIA', 'NPIA'],
    ['npia', 'NPIA'],
    ['Npia', 'NPIA'],
    [' htc ', 'HTC'],
    ['ilo', 'ILO'],
    ['enterprise', 'ENTERPRISE'],
  ])('%j → %s', (input, expected) => {
    expect(parseOrganisationCode(input)).toBe(expected);
  });

  it.each(['', 'UN', 'H TC', 'HTC,NPIA', 'hainan'])('refuses %j', (input) => {
    expect(parseOrganisationCode(input)).toBeNull();
  });
});

describe('organisations', () => {
  it('only exact codes are codes', () => {
    expect(isOrganisationCode('HTC')).toBe(true);
    expect(isOrganisationCode('htc')).toBe(false);
    expect(isOrganisationCode(42)).toBe(false);
  });

  it('names every organisation', () => {
    expect(Object.keys(organisationNames).sort()).toEqual([...organisationCodes].sort());
  });
});
