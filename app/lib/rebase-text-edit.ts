/**
 * Helpers for a text input bound to a shared Y.Text: keep the caret where it was when someone
 * else's edit arrives, and merge an edit the user made while input was held back (IME
 * composition, used for Chinese and Khmer) into text that changed meanwhile.
 */

/** One entry of a Y.Text change delta (the Quill delta format Yjs reports). */
export type TextDeltaOp = { retain?: number; insert?: unknown; delete?: number };

/**
 * Where `index` in the old text lands in the new one. Text inserted exactly at the index goes
 * after it, so a caret stays in front of what another person types at the same place.
 */
export function mapIndexThroughDelta(index: number, delta: readonly TextDeltaOp[]): number {
  let oldPosition = 0;
  let shift = 0;
  for (const op of delta) {
    if (oldPosition > index) break;
    if (op.retain !== undefined) {
      oldPosition += op.retain;
    } else if (op.insert !== undefined) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      if (oldPosition < index) shift += length;
    } else if (op.delete !== undefined) {
      if (oldPosition < index) shift -= Math.min(op.delete, index - oldPosition);
      oldPosition += op.delete;
    }
  }
  return index + shift;
}

/**
 * Applies the user's change from `base` to `local` onto `current`, which is `base` after the
 * remote `deltas`. Returns the merged text and the caret after the user's insertion.
 */
export function rebaseTextEdit(
  base: string,
  local: string,
  current: string,
  deltas: readonly (readonly TextDeltaOp[])[],
): { text: string; caret: number } {
  let prefix = 0;
  const shorter = Math.min(base.length, local.length);
  while (prefix < shorter && base[prefix] === local[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    base[base.length - 1 - suffix] === local[local.length - 1 - suffix]
  ) {
    suffix++;
  }
  const inserted = local.slice(prefix, local.length - suffix);
  let start = prefix;
  let end = base.length - suffix;
  for (const delta of deltas) {
    start = mapIndexThroughDelta(start, delta);
    end = mapIndexThroughDelta(end, delta);
  }
  end = Math.max(start, end);
  return {
    text: current.slice(0, start) + inserted + current.slice(end),
    caret: start + inserted.length,
  };
}
