import { describe, expect, it } from 'vitest';

import {
  commentCreateInput,
  commentDeleteInput,
  commentEditInput,
  describeInputIssues,
  planJoinInput,
  threadStateInput,
} from './realtime-events';

const commentId = '6f1c1b1e-3c1f-4d6a-9b7e-2a4c5d6e7f80';
const base = { plan: 'htc-npia-2022-2023', itemId: 'item-1', clientMessageId: 'msg-1' };

function messageOf(result: {
  success: boolean;
  error?: Parameters<typeof describeInputIssues>[0];
}) {
  return result.error ? describeInputIssues(result.error) : '';
}

describe('comment:create input', () => {
  it('accepts a comment and a reply, trimming the body', () => {
    const parsed = commentCreateInput.safeParse({ ...base, body: '  Looks good.  ' });
    expect(parsed).toEqual({ success: true, data: { ...base, body: 'Looks good.' } });
    expect(
      commentCreateInput.safeParse({ ...base, body: 'yes', parentId: commentId }).success,
    ).toBe(true);
    expect(commentCreateInput.safeParse({ ...base, body: 'yes', parentId: null }).success).toBe(
      true,
    );
  });

  it('refuses an empty or blank body with a clear message', () => {
    for (const body of ['', '   \n\t ']) {
      const result = commentCreateInput.safeParse({ ...base, body });
      expect(result.success).toBe(false);
      expect(messageOf(result)).toBe('body: a comment cannot be empty');
    }
  });

  it('takes 10,000 characters and refuses 10,001', () => {
    expect(commentCreateInput.safeParse({ ...base, body: 'x'.repeat(10_000) }).success).toBe(true);
    const result = commentCreateInput.safeParse({ ...base, body: 'x'.repeat(10_001) });
    expect(messageOf(result)).toBe('body: a comment has at most 10,000 characters');
  });

  it('refuses a NUL character, which PostgreSQL text cannot hold', () => {
    const result = commentCreateInput.safeParse({ ...base, body: 'a\u0000b' });
    expect(messageOf(result)).toBe('body: a comment cannot contain a NUL character');
  });

  it('keeps markup as it is: the body is text', () => {
    const body = '<script>alert(1)</script> <a href="javascript:x">x</a>';
    expect(commentCreateInput.safeParse({ ...base, body })).toMatchObject({ data: { body } });
  });

  it('refuses a missing clientMessageId, a bad slug, item or parent id, and extra keys', () => {
    const bad = [
      { plan: base.plan, itemId: 'i', body: 'b' },
      { ...base, body: 'b', plan: 'Not A Slug' },
      { ...base, body: 'b', itemId: 'has space' },
      { ...base, body: 'b', parentId: 'not-a-uuid' },
      { ...base, body: 'b', clientMessageId: 'x'.repeat(101) },
      { ...base, body: 'b', role: 'owner' },
      { ...base, body: 42 },
      null,
      'comment',
    ];
    for (const input of bad) expect(commentCreateInput.safeParse(input).success).toBe(false);
  });
});

describe('the other commands', () => {
  it('comment:edit checks the body as create does', () => {
    const edit = { plan: base.plan, commentId, clientMessageId: 'm' };
    expect(commentEditInput.safeParse({ ...edit, body: ' new ' })).toMatchObject({
      data: { body: 'new' },
    });
    expect(commentEditInput.safeParse({ ...edit, body: ' ' }).success).toBe(false);
    expect(commentEditInput.safeParse({ ...edit, commentId: 'x', body: 'b' }).success).toBe(false);
  });

  it('comment:delete and thread:resolve name a comment by its uuid', () => {
    expect(
      commentDeleteInput.safeParse({ plan: base.plan, commentId, clientMessageId: 'm' }).success,
    ).toBe(true);
    expect(
      threadStateInput.safeParse({ plan: base.plan, threadId: commentId, clientMessageId: 'm' })
        .success,
    ).toBe(true);
    expect(threadStateInput.safeParse({ plan: base.plan, threadId: commentId }).success).toBe(
      false,
    );
  });

  it('plan:join is unchanged', () => {
    expect(planJoinInput.safeParse({ plan: base.plan }).success).toBe(true);
  });
});
