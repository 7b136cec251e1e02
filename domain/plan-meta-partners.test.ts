import { describe, expect, it } from 'vitest';

import { findPlanProblem, initialisePlan, readMeta } from './plan-document';
import { meta, newPlanDoc } from './plan-document.fixtures';

describe('partner organisations in the meta', () => {
  it('are written by initialisePlan and read back', () => {
    const doc = newPlanDoc();
    initialisePlan(doc, { ...meta, partners: ['HTC', 'NPIA', 'ILO'] });
    expect(readMeta(doc)).toEqual({ ...meta, partners: ['HTC', 'NPIA', 'ILO'] });
    expect(findPlanProblem(doc)).toBeNull();
  });

  it('are optional: plans made before them read as they were', () => {
    const doc = newPlanDoc();
    initialisePlan(doc, meta);
    expect(readMeta(doc)).toEqual(meta);
  });

  it('refuses unknown codes and a partner listed twice', () => {
    const doc = newPlanDoc();
    expect(() =>
      initialisePlan(doc, { ...meta, partners: ['HTC', 'HTC'] as Array<'HTC'> }),
    ).toThrow();
    initialisePlan(doc, meta);
    // A client that writes the key itself is refused by the server's check.
    doc.getMap('meta').set('partners', ['HTC', 'NASA']);
    expect(findPlanProblem(doc)).toBe('meta breaks the schema');
    doc.getMap('meta').set('partners', 'HTC');
    expect(findPlanProblem(doc)).toBe('meta breaks the schema');
  });
});
