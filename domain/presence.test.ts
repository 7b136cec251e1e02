import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { clientPresenceInput, colorForUser, presenceStateSchema } from './presence';

describe('colorForUser', () => {
  const userIds = Array.from({ length: 50 }, (_, index) => `user-${index}`);

  it('is the same for the same user, every time', () => {
    for (const id of userIds) expect(colorForUser(id)).toBe(colorForUser(`${id}`));
    expect(colorForUser('9b2f3c1e-5a4d-4e8f-9b1a-2c3d4e5f6a7b')).toBe(
      colorForUser('9b2f3c1e-5a4d-4e8f-9b1a-2c3d4e5f6a7b'),
    );
  });

  it('is a colour the presence schema accepts', () => {
    for (const id of [...userIds, '', '用户', 'x'.repeat(10_000)]) {
      expect(colorForUser(id)).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('spreads users over several colours', () => {
    expect(new Set(userIds.map(colorForUser)).size).toBeGreaterThanOrEqual(5);
  });
});

describe('presence schemas', () => {
  const user = { id: 'u1', name: 'Sok Dara', organisation: 'NPIA', color: colorForUser('u1') };

  it('accept the state the server builds', () => {
    expect(presenceStateSchema.safeParse({ user, focus: 'item-1' }).success).toBe(true);
    expect(presenceStateSchema.safeParse({ user, focus: null }).success).toBe(true);
  });

  it('keep only a well-formed focus from a client', () => {
    const nothing = { cursor: null, dragging: null };
    expect(clientPresenceInput.parse({ focus: 'item-1' })).toEqual({ focus: 'item-1', ...nothing });
    expect(clientPresenceInput.parse({ focus: '<img src=x>' })).toEqual({
      focus: null,
      ...nothing,
    });
    expect(clientPresenceInput.parse({ focus: 'x'.repeat(65) })).toEqual({
      focus: null,
      ...nothing,
    });
    expect(clientPresenceInput.parse({})).toEqual({ focus: null, ...nothing });
  });

  it('drop user fields a client sends', () => {
    expect(clientPresenceInput.parse({ focus: null, user: { name: 'Admin' } })).toEqual({
      focus: null,
      cursor: null,
      dragging: null,
    });
  });

  it('keep a text cursor as Yjs writes it, and drop anything else in its place', () => {
    const doc = new Y.Doc();
    const text = doc.getXmlFragment('d');
    text.insert(0, [new Y.XmlText('hello')]);
    const anchor = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, 0));
    const head = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, 1, -1));
    const cursor = JSON.parse(JSON.stringify({ anchor, head }));
    expect(clientPresenceInput.parse({ focus: 'item-1', cursor }).cursor).toEqual(cursor);
    // y-tiptap puts the RelativePosition objects themselves in awareness: unset fields are null.
    const asSent = JSON.parse(
      JSON.stringify({
        anchor: Y.createRelativePositionFromTypeIndex(text, 0),
        head: Y.createRelativePositionFromTypeIndex(text.get(0) as Y.XmlText, 2),
      }),
    );
    expect(asSent.anchor.type).toBeNull();
    expect(asSent.head.tname).toBeNull();
    expect(clientPresenceInput.parse({ focus: 'item-1', cursor: asSent }).cursor).toEqual(asSent);
    expect(clientPresenceInput.parse({ cursor: { anchor, head, html: '<b>' } }).cursor).toBeNull();
    expect(
      clientPresenceInput.parse({ cursor: { anchor: 'x'.repeat(1e4), head } }).cursor,
    ).toBeNull();
  });

  it('keep where a card is being dragged, and drop a malformed drag', () => {
    const dragging = { itemId: 'item-1', status: 'done', workstreamId: 'ws-1', index: 2 };
    expect(clientPresenceInput.parse({ dragging }).dragging).toEqual(dragging);
    expect(
      clientPresenceInput.parse({ dragging: { ...dragging, status: 'gone' } }).dragging,
    ).toBeNull();
    expect(clientPresenceInput.parse({ dragging: { ...dragging, index: -1 } }).dragging).toBeNull();
  });
});
