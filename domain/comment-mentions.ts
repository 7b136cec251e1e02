/**
 * @mentions in comment bodies. A body stays plain text: a mention is `@` followed by a member's
 * name, exactly as the completion inserted it, and the comment carries the ids of the members it
 * mentions. Both ends read the body the same way: the composer to send only the ids whose
 * `@Name` is still in the text, the server to keep only those (and only members), the comment
 * list to highlight them.
 */

export interface Mentionable {
  id: string;
  name: string;
}

/**
 * The ids among `ids` that name one of `members` whose `@Name` the body contains, in the order
 * given, each once. Anything else is dropped without an error: the author may have picked someone
 * and then deleted the mention's text, or the member left the plan while the comment was written;
 * neither is a reason to refuse the comment.
 */
export function keepMentions(
  body: string,
  ids: readonly string[],
  members: readonly Mentionable[],
): string[] {
  const names = new Map(members.map((member) => [member.id, member.name]));
  const kept = new Set<string>();
  for (const id of ids) {
    const name = names.get(id);
    if (name && body.includes(`@${name}`)) kept.add(id);
  }
  return [...kept];
}

/** A piece of a body: plain text, or the mention of one member. */
export type BodySegment = { text: string } | { text: string; mentionId: string };

/**
 * Splits a body into text and the mentions of `mentioned` members (`@Name`), for showing the
 * mentions highlighted. Where two names start alike ("Chen" and "Chen Jing") the longer wins.
 */
export function splitMentions(body: string, mentioned: readonly Mentionable[]): BodySegment[] {
  const candidates = mentioned
    .filter((member) => member.name.length > 0)
    .sort((a, b) => b.name.length - a.name.length);
  if (candidates.length === 0) return body ? [{ text: body }] : [];
  const segments: BodySegment[] = [];
  let plain = '';
  let index = 0;
  while (index < body.length) {
    if (body[index] === '@') {
      const match = candidates.find((member) => body.startsWith(member.name, index + 1));
      if (match) {
        if (plain) segments.push({ text: plain });
        plain = '';
        segments.push({ text: `@${match.name}`, mentionId: match.id });
        index += match.name.length + 1;
        continue;
      }
    }
    plain += body[index];
    index += 1;
  }
  if (plain) segments.push({ text: plain });
  return segments;
}

/**
 * The mention being typed at the caret: the text from the last `@` before the caret, when that `@`
 * starts a word and what follows has no line break. Null when the caret is not in a mention.
 * Spaces are allowed in the query, since names have them ("@Chen J").
 */
export function findMentionQuery(
  text: string,
  caret: number,
): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  if (at > 0 && !/\s/u.test(before[at - 1] ?? '')) return null;
  const query = before.slice(at + 1);
  if (/[\n\r]/u.test(query) || query.length > 40) return null;
  return { start: at, query };
}

/**
 * Members whose name contains the query anywhere, ignoring case (also for Chinese and Khmer
 * names, which have no case: a plain substring match). Names that start with it come first.
 */
export function filterMentionable<T extends Mentionable>(
  members: readonly T[],
  query: string,
): T[] {
  const needle = query.trim().toLocaleLowerCase();
  const matches = members.filter((member) => member.name.toLocaleLowerCase().includes(needle));
  return matches.sort(
    (a, b) =>
      Number(!a.name.toLocaleLowerCase().startsWith(needle)) -
      Number(!b.name.toLocaleLowerCase().startsWith(needle)),
  );
}
