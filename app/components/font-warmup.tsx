'use client';

/**
 * Keeps the glyphs this page will need ready for when the network goes.
 *
 * The Chinese and Khmer fonts are split by Unicode range and fetched piece by piece, when a
 * character first appears. A message first shown while offline ("Offline: your changes are
 * kept…") would then show empty boxes. Once the page is idle, this asks the browser for every
 * piece that the interface's messages in this language use; the pieces are immutable files, so
 * the HTTP cache serves them later without the network.
 */
import { useMessages } from 'next-intl';
import { useEffect } from 'react';

const families = ['Noto Sans', 'Noto Sans SC', 'Noto Sans Khmer'];
const weights = [400, 600];

function collectText(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    for (const character of value) into.add(character);
  } else if (value && typeof value === 'object') {
    for (const child of Object.values(value)) collectText(child, into);
  }
}

export function FontWarmup() {
  const messages = useMessages();
  useEffect(() => {
    if (typeof document === 'undefined' || !('fonts' in document)) return;
    const characters = new Set<string>();
    collectText(messages, characters);
    const text = [...characters].join('');
    const warm = () => {
      for (const family of families) {
        for (const weight of weights) {
          // Failures only mean a piece stays unfetched, as it would without this.
          document.fonts.load(`${weight} 16px "${family}"`, text).catch(() => {});
        }
      }
    };
    if ('requestIdleCallback' in window) {
      const handle = window.requestIdleCallback(warm, { timeout: 5000 });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = setTimeout(warm, 2000);
    return () => clearTimeout(timer);
  }, [messages]);
  return null;
}
