import { getSchema, type JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import {
  findRichTextProblem,
  richTextMarks,
  richTextNodes,
  richTextToPlainText,
} from '../../domain/rich-text';
import { descriptionExtensions } from './description-extensions';

const schema = getSchema(descriptionExtensions());

function stored(content: JSONContent[]): Y.XmlFragment {
  const doc = new Y.Doc();
  return prosemirrorJSONToYXmlFragment(schema, { type: 'doc', content }, doc.getXmlFragment('d'));
}

const text = (value: string, marks?: JSONContent['marks']): JSONContent => ({
  type: 'text',
  text: value,
  ...(marks ? { marks } : {}),
});

describe('the description editor and the server check agree', () => {
  it('the editor names only node types and marks the server allows', () => {
    const nodes = Object.keys(schema.nodes).filter((name) => !['doc', 'text'].includes(name));
    expect(nodes.sort()).toEqual(Object.keys(richTextNodes).sort());
    expect(Object.keys(schema.marks).sort()).toEqual(Object.keys(richTextMarks).sort());
  });

  it('everything the toolbar can make is accepted as the editor stores it', () => {
    const fragment = stored([
      { type: 'heading', attrs: { level: 2 }, content: [text('Robot training plan')] },
      {
        type: 'paragraph',
        content: [
          text('Bold', [{ type: 'bold' }]),
          text(' and '),
          text('italic', [{ type: 'italic' }, { type: 'underline' }]),
          { type: 'hardBreak' },
          text('see the agreement', [
            { type: 'link', attrs: { href: 'https://www.ilo.org/beijing' } },
          ]),
          text(' or write to '),
          text('the team', [{ type: 'link', attrs: { href: 'mailto:coplan@example.org' } }]),
        ],
      },
      {
        type: 'orderedList',
        attrs: { start: 3 },
        content: [
          { type: 'listItem', content: [{ type: 'paragraph', content: [text('ToT module 1')] }] },
        ],
      },
      {
        type: 'bulletList',
        content: [
          {
            type: 'listItem',
            content: [
              { type: 'paragraph', content: [text('ហ្វឹកហ្វឺនគ្រូ')] },
              {
                type: 'bulletList',
                content: [
                  { type: 'listItem', content: [{ type: 'paragraph', content: [text('培训')] }] },
                ],
              },
            ],
          },
        ],
      },
      { type: 'blockquote', content: [{ type: 'paragraph', content: [text('Quote')] }] },
      { type: 'codeBlock', attrs: { language: 'ts' }, content: [text('const x = 1;')] },
      { type: 'horizontalRule' },
    ]);
    expect(findRichTextProblem(fragment)).toBeNull();
    expect(richTextToPlainText(fragment)).toContain('ហ្វឹកហ្វឺនគ្រូ');
    expect(richTextToPlainText(fragment)).not.toContain('<');
  });
});

describe('the server check refuses what the editor would never store', () => {
  function fragmentWith(build: (fragment: Y.XmlFragment) => void): Y.XmlFragment {
    const fragment = new Y.Doc().getXmlFragment('d');
    build(fragment);
    return fragment;
  }

  function paragraph(content: Y.XmlText | Y.XmlElement): Y.XmlElement {
    const element = new Y.XmlElement('paragraph');
    element.insert(0, [content]);
    return element;
  }

  it('a javascript: link', () => {
    const fragment = fragmentWith((f) => {
      const t = new Y.XmlText();
      f.insert(0, [paragraph(t)]);
      t.insert(0, 'click', { link: { href: 'javascript:alert(1)', target: null } });
    });
    expect(findRichTextProblem(fragment)).toMatch(/http/);
  });

  it('a script element, an image, or an event handler attribute', () => {
    expect(
      findRichTextProblem(fragmentWith((f) => f.insert(0, [new Y.XmlElement('script')]))),
    ).toMatch(/"script" is not allowed/);
    const image = fragmentWith((f) => f.insert(0, [paragraph(new Y.XmlElement('img'))]));
    expect(findRichTextProblem(image)).toMatch(/"img"/);
    const handler = fragmentWith((f) => {
      const p = new Y.XmlElement('paragraph');
      p.setAttribute('onclick', 'alert(1)');
      f.insert(0, [p]);
    });
    expect(findRichTextProblem(handler)).toMatch(/unknown attribute "onclick"/);
  });

  it('text outside a block, an unknown mark, and content in the wrong place', () => {
    const bare = fragmentWith((f) => f.insert(0, [new Y.XmlText('loose')]));
    expect(findRichTextProblem(bare)).toMatch(/outside a paragraph/);
    const styled = fragmentWith((f) => {
      const t = new Y.XmlText();
      f.insert(0, [paragraph(t)]);
      t.insert(0, 'x', { style: { color: 'red' } });
    });
    expect(findRichTextProblem(styled)).toMatch(/mark "style"/);
    const listInParagraph = fragmentWith((f) =>
      f.insert(0, [paragraph(new Y.XmlElement('bulletList'))]),
    );
    expect(findRichTextProblem(listInParagraph)).toMatch(/not allowed here/);
  });

  it('a description longer than the limit', () => {
    const fragment = fragmentWith((f) =>
      f.insert(0, [paragraph(new Y.XmlText('x'.repeat(20_001)))]),
    );
    expect(findRichTextProblem(fragment)).toMatch(/at most 20000 characters/);
  });
});
