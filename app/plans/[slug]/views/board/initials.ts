/**
 * One or two letters for an avatar: the first letters of the first two words ("Sok Dara" → "SD"),
 * or the first character of a name written without spaces ("张伟" → "张").
 */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = [...(words[0] ?? '')][0] ?? '?';
  const second = words.length > 1 ? ([...(words[1] ?? '')][0] ?? '') : '';
  return `${first}${second}`.toLocaleUpperCase();
}
