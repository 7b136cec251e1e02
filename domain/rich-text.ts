/**
 * The rich text an item's description may hold, as it is stored in Yjs (a Y.XmlFragment written
 * by TipTap's Collaboration extension through y-tiptap).
 *
 * y-tiptap stores a ProseMirror node as a Y.XmlElement named after the node type, with the
 * node's non-null attributes as element attributes, and text as Y.XmlText whose formatting
 * attributes are the marks (mark name → mark attributes). The editor's schema (app/) and this
 * check must agree: a unit test builds the editor's schema and compares it with the lists below.
 *
 * The check is strict on purpose: a description is shown to every member, so anything a client
 * sends that our editor would not produce (a `javascript:` link, an image, a script node, an
 * unknown attribute) is refused before it is stored.
 */
import * as Y from 'yjs';

export const richTextLimits = {
  /** Characters of text, counted as JavaScript string length. */
  characters: 20_000,
  /** Elements and text runs together. */
  nodes: 5_000,
  depth: 12,
} as const;

type AttributeCheck = (value: unknown) => boolean;
type ChildKind = 'blocks' | 'inline' | 'listItems' | 'plainText' | 'none';

const isNullableShortString =
  (max: number, pattern?: RegExp): AttributeCheck =>
  (value) =>
    value === null ||
    (typeof value === 'string' && value.length <= max && (!pattern || pattern.test(value)));

/** Node types, what they may contain, and the attributes they may carry. */
export const richTextNodes: Record<
  string,
  { block: boolean; children: ChildKind; attributes: Record<string, AttributeCheck> }
> = {
  paragraph: { block: true, children: 'inline', attributes: {} },
  heading: {
    block: true,
    children: 'inline',
    attributes: { level: (value) => value === 2 || value === 3 },
  },
  bulletList: { block: true, children: 'listItems', attributes: {} },
  orderedList: {
    block: true,
    children: 'listItems',
    attributes: {
      start: (value) =>
        typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100_000,
      type: isNullableShortString(8, /^[1aAiI]?$/),
    },
  },
  listItem: { block: false, children: 'blocks', attributes: {} },
  blockquote: { block: true, children: 'blocks', attributes: {} },
  codeBlock: {
    block: true,
    children: 'plainText',
    attributes: { language: isNullableShortString(32, /^[A-Za-z0-9+#._-]*$/) },
  },
  horizontalRule: { block: true, children: 'none', attributes: {} },
  hardBreak: { block: false, children: 'none', attributes: {} },
};

/** Links may only point to the web or to an e-mail address. */
export function isAllowedLink(href: unknown): href is string {
  if (typeof href !== 'string' || href.length > 2048) return false;
  return /^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i.test(href.trim());
}

const simpleMark: AttributeCheck = (value) =>
  value === true ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

/** Marks (text formatting) and the check of their stored attributes. */
export const richTextMarks: Record<string, AttributeCheck> = {
  bold: simpleMark,
  italic: simpleMark,
  strike: simpleMark,
  underline: simpleMark,
  code: simpleMark,
  link: (value) => {
    if (typeof value !== 'object' || value === null) return false;
    const attributes = value as Record<string, unknown>;
    const checks: Record<string, AttributeCheck> = {
      href: isAllowedLink,
      target: isNullableShortString(16, /^_blank$|^$/),
      rel: isNullableShortString(64, /^[a-z ]*$/),
      class: (v) => v === null,
      title: isNullableShortString(200),
    };
    if (!isAllowedLink(attributes.href)) return false;
    return Object.entries(attributes).every(([key, v]) => checks[key]?.(v) ?? false);
  },
};

interface Walk {
  characters: number;
  nodes: number;
}

function textProblem(text: Y.XmlText, plain: boolean, walk: Walk): string | null {
  for (const op of text.toDelta() as Array<{
    insert?: unknown;
    attributes?: Record<string, unknown>;
  }>) {
    if (typeof op.insert !== 'string') return 'text holds an embed';
    walk.characters += op.insert.length;
    walk.nodes += 1;
    for (const [mark, value] of Object.entries(op.attributes ?? {})) {
      if (plain) return 'code blocks hold plain text';
      const check = richTextMarks[mark];
      if (!check) return `the mark "${mark.slice(0, 40)}" is not allowed`;
      if (!check(value)) {
        return mark === 'link'
          ? 'a link must start with http://, https:// or mailto:'
          : `the mark "${mark}" has attributes`;
      }
    }
  }
  return null;
}

function childrenProblem(
  parent: Y.XmlFragment | Y.XmlElement,
  kind: ChildKind,
  depth: number,
  walk: Walk,
): string | null {
  if (depth > richTextLimits.depth) return `nested deeper than ${richTextLimits.depth} levels`;
  for (const child of parent.toArray()) {
    if (walk.nodes > richTextLimits.nodes) return `more than ${richTextLimits.nodes} parts`;
    if (child instanceof Y.XmlText) {
      if (kind !== 'inline' && kind !== 'plainText') return 'text outside a paragraph';
      const problem = textProblem(child, kind === 'plainText', walk);
      if (problem) return problem;
      continue;
    }
    if (!(child instanceof Y.XmlElement)) return 'unknown content';
    walk.nodes += 1;
    const name = child.nodeName;
    const rule = Object.hasOwn(richTextNodes, name) ? richTextNodes[name] : undefined;
    if (!rule) return `the element "${name.slice(0, 40)}" is not allowed`;
    const fits =
      (kind === 'blocks' && rule.block) ||
      (kind === 'listItems' && name === 'listItem') ||
      (kind === 'inline' && name === 'hardBreak');
    if (!fits) return `"${name}" is not allowed here`;
    for (const [key, value] of Object.entries(child.getAttributes())) {
      const check = rule.attributes[key];
      if (!check) return `"${name}" has an unknown attribute "${key.slice(0, 40)}"`;
      if (!check(value)) return `"${name}" has an invalid "${key}"`;
    }
    const problem = childrenProblem(child, rule.children, depth + 1, walk);
    if (problem) return problem;
  }
  return null;
}

/** Checks a stored description. Returns a human-readable problem, or null when it is allowed. */
export function findRichTextProblem(fragment: Y.XmlFragment): string | null {
  const walk: Walk = { characters: 0, nodes: 0 };
  const problem = childrenProblem(fragment, 'blocks', 1, walk);
  if (problem) return problem;
  if (walk.characters > richTextLimits.characters) {
    return `a description has at most ${richTextLimits.characters} characters`;
  }
  return null;
}

/** The description's text without formatting, for search and previews. */
export function richTextToPlainText(fragment: Y.XmlFragment): string {
  const parts: string[] = [];
  const visit = (node: Y.XmlFragment | Y.XmlElement | Y.XmlText) => {
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as Array<{ insert?: unknown }>) {
        if (typeof op.insert === 'string') parts.push(op.insert);
      }
      return;
    }
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText || child instanceof Y.XmlElement) visit(child);
    }
    if (node instanceof Y.XmlElement && richTextNodes[node.nodeName]?.block) parts.push('\n');
  };
  visit(fragment);
  return parts.join('').replace(/\n+/g, '\n').trim();
}

/** Appends plain paragraphs to a description, stored as the editor stores them (for the seed). */
export function appendParagraphs(fragment: Y.XmlFragment, paragraphs: string[]): void {
  const elements = paragraphs.map((text) => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    return paragraph;
  });
  fragment.insert(fragment.length, elements);
}
