import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { mapIndexThroughDelta, rebaseTextEdit, type TextDeltaOp } from './rebase-text-edit';

/** Runs `change` on a Y.Text holding `initial` and returns the delta Yjs reports. */
function deltaOf(initial: string, change: (text: Y.Text) => void): TextDeltaOp[] {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, initial);
  let delta: TextDeltaOp[] = [];
  text.observe((event) => {
    delta = event.delta as TextDeltaOp[];
  });
  change(text);
  return delta;
}

describe('mapIndexThroughDelta', () => {
  it('shifts a caret after an insertion before it', () => {
    const delta = deltaOf('robotics', (t) => t.insert(0, 'AI '));
    expect(mapIndexThroughDelta(8, delta)).toBe(11);
    expect(mapIndexThroughDelta(0, delta)).toBe(0);
  });

  it('keeps a caret in front of text inserted at the same place', () => {
    const delta = deltaOf('abc', (t) => t.insert(2, 'XY'));
    expect(mapIndexThroughDelta(2, delta)).toBe(2);
    expect(mapIndexThroughDelta(3, delta)).toBe(5);
  });

  it('pulls a caret back over deleted text, and into a deleted range', () => {
    const delta = deltaOf('0123456789', (t) => t.delete(2, 4));
    expect(mapIndexThroughDelta(8, delta)).toBe(4);
    expect(mapIndexThroughDelta(4, delta)).toBe(2);
    expect(mapIndexThroughDelta(1, delta)).toBe(1);
  });
});

describe('rebaseTextEdit', () => {
  it('keeps both the local composition and a remote edit', () => {
    const base = 'Training of trainers';
    const remote = deltaOf(base, (t) => t.insert(0, 'NPIA: '));
    const result = rebaseTextEdit(base, 'Training of 培训师 trainers', `NPIA: ${base}`, [remote]);
    expect(result.text).toBe('NPIA: Training of 培训师 trainers');
    expect(result.caret).toBe('NPIA: Training of 培训师 '.length);
  });

  it('is the local text when nothing happened remotely', () => {
    expect(rebaseTextEdit('ab', 'aXb', 'ab', [])).toEqual({ text: 'aXb', caret: 2 });
  });
});
