import { describe, expect, it } from 'vitest';

import {
  closeCodes,
  isPlanSlug,
  isTerminalCloseCode,
  parseEpochParam,
  syncPath,
} from './sync-protocol';

describe('isPlanSlug', () => {
  it.each(['htc-npia-2022', 'ab', 'a1', '2023-plan', 'a'.repeat(64)])('accepts %j', (slug) => {
    expect(isPlanSlug(slug)).toBe(true);
  });

  it.each([
    'a',
    '',
    '-plan',
    'plan-',
    'HTC-plan',
    'plan_2022',
    'plan 2022',
    'plan/..',
    'a'.repeat(65),
    'plän',
    null,
    42,
  ])('refuses %j', (slug) => {
    expect(isPlanSlug(slug)).toBe(false);
  });
});

describe('isTerminalCloseCode', () => {
  it('stops reconnecting on 4400–4499 only', () => {
    for (const code of [4400, 4401, 4403, 4404, 4422, 4499])
      expect(isTerminalCloseCode(code)).toBe(true);
    for (const code of [1000, 1001, 1006, 1009, 4000, 4399, 4500, 4503, 4512]) {
      expect(isTerminalCloseCode(code)).toBe(false);
    }
  });

  it('classes each close code as its comment says', () => {
    const terminal = Object.entries(closeCodes)
      .filter(([, code]) => isTerminalCloseCode(code))
      .map(([name]) => name);
    expect(terminal.sort()).toEqual(
      [
        'clientIdTaken',
        'forbidden',
        'invalidUpdate',
        'malformedMessage',
        'planNotFound',
        'planRestored',
        'roleChanged',
        'sessionExpired',
      ].sort(),
    );
  });

  it('uses each code once', () => {
    const codes = Object.values(closeCodes);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('syncPath', () => {
  it('is /yjs/<slug>', () => {
    expect(syncPath('htc-npia-2022')).toBe('/yjs/htc-npia-2022');
  });
});

describe('parseEpochParam', () => {
  it('reads a whole number, absent as null, anything else as malformed', () => {
    expect(parseEpochParam(null)).toBeNull();
    expect(parseEpochParam('0')).toBe(0);
    expect(parseEpochParam('12')).toBe(12);
    for (const bad of ['', '-1', '01', '1.5', 'x', '9'.repeat(12)]) {
      expect(parseEpochParam(bad)).toBeUndefined();
    }
  });

  it('makes "plan restored" a code the client does not retry by itself', () => {
    expect(isTerminalCloseCode(closeCodes.planRestored)).toBe(true);
  });
});
