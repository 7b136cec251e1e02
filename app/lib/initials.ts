/**
 * Up to two letters for an avatar: "Sok Dara" → "SD", "王小明" → "小明" (Chinese names show the
 * given name, as chat apps in China do), "ដារា សុខ" → "ដស". Counts whole graphemes, so a Khmer
 * consonant keeps its vowel signs and subscripts.
 */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = words[0] ?? '';
  if (words.length === 1 && /^\p{Script=Han}+$/u.test(first)) {
    return graphemes(first).slice(-2).join('');
  }
  const last = words.length > 1 ? (words[words.length - 1] ?? '') : '';
  return (firstGrapheme(first) + firstGrapheme(last)).toLocaleUpperCase();
}

function graphemes(text: string): string[] {
  if (typeof Intl !== 'undefined' && 'Segmenter' in Intl) {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    return Array.from(segmenter.segment(text), (part) => part.segment);
  }
  return Array.from(text);
}

function firstGrapheme(word: string): string {
  return graphemes(word)[0] ?? '';
}
