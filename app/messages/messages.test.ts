import { describe, expect, it } from 'vitest';

import en from './en.json';
import km from './km.json';
import zhCN from './zh-CN.json';

/** Every leaf as "path → text". */
function flatten(node: unknown, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  if (typeof node === 'string') {
    entries.set(prefix, node);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      for (const [path, text] of flatten(value, prefix ? `${prefix}.${key}` : key)) {
        entries.set(path, text);
      }
    }
  }
  return entries;
}

/** The ICU arguments a message uses ("{name}", "{count, plural, …}"), sorted. */
function argumentsOf(text: string): string[] {
  return [...text.matchAll(/\{\s*([A-Za-z0-9_]+)\s*[,}]/g)].map((match) => match[1] ?? '').sort();
}

const reference = flatten(en);

describe.each([
  ['zh-CN', zhCN],
  ['km', km],
])('%s messages', (_locale, messages) => {
  const translated = flatten(messages);

  it('have exactly the English keys', () => {
    expect([...translated.keys()].sort()).toEqual([...reference.keys()].sort());
  });

  it('are never empty and use the same arguments as English', () => {
    for (const [path, text] of reference) {
      const other = translated.get(path) ?? '';
      expect(other.trim(), path).not.toBe('');
      expect(new Set(argumentsOf(other)), path).toEqual(new Set(argumentsOf(text)));
    }
  });
});
