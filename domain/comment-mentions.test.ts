import { describe, expect, it } from 'vitest';

import {
  filterMentionable,
  findMentionQuery,
  keepMentions,
  splitMentions,
} from './comment-mentions';

const chen = { id: 'u-chen', name: 'Chen Jing' };
const chenShort = { id: 'u-chen-short', name: 'Chen' };
const sok = { id: 'u-sok', name: 'Sok Dara' };
const khmer = { id: 'u-km', name: 'សុខ ដារា' };
const zh = { id: 'u-zh', name: '陈静' };

describe('keepMentions', () => {
  it('keeps members whose @Name is in the body, in order, once', () => {
    expect(
      keepMentions('@Sok Dara and @Chen Jing, see', ['u-chen', 'u-sok', 'u-chen'], [chen, sok]),
    ).toEqual(['u-chen', 'u-sok']);
  });

  it('drops non-members and members whose mention text was deleted', () => {
    expect(keepMentions('Hello Chen Jing', ['u-chen', 'u-stranger'], [chen])).toEqual([]);
    expect(keepMentions('@陈静 请看', ['u-zh', 'u-stranger'], [zh])).toEqual(['u-zh']);
  });
});

describe('splitMentions', () => {
  it('marks the mentions of the given members, the longest name first, and keeps the rest as text', () => {
    expect(splitMentions('Hi @Chen Jing and @Chen, <b>x</b> @Nobody', [chenShort, chen])).toEqual([
      { text: 'Hi ' },
      { text: '@Chen Jing', mentionId: 'u-chen' },
      { text: ' and ' },
      { text: '@Chen', mentionId: 'u-chen-short' },
      { text: ', <b>x</b> @Nobody' },
    ]);
  });

  it('returns the whole body as text without mentioned members', () => {
    expect(splitMentions('@Chen Jing', [])).toEqual([{ text: '@Chen Jing' }]);
    expect(splitMentions('@សុខ ដារា!', [khmer])).toEqual([
      { text: '@សុខ ដារា', mentionId: 'u-km' },
      { text: '!' },
    ]);
  });
});

describe('findMentionQuery', () => {
  it('finds the mention typed at the caret, spaces included', () => {
    expect(findMentionQuery('Ask @Chen J', 11)).toEqual({ start: 4, query: 'Chen J' });
    expect(findMentionQuery('@', 1)).toEqual({ start: 0, query: '' });
  });

  it('ignores an @ inside a word, or before a line break', () => {
    expect(findMentionQuery('mail a@b.org', 12)).toBeNull();
    expect(findMentionQuery('@Chen\nnext', 10)).toBeNull();
    expect(findMentionQuery('no mention', 5)).toBeNull();
  });
});

describe('filterMentionable', () => {
  it('matches any part of the name, ignoring case, names starting with it first', () => {
    expect(filterMentionable([sok, chen, chenShort], 'che')).toEqual([chen, chenShort]);
    expect(filterMentionable([sok, chen], 'JING')).toEqual([chen]);
    expect(filterMentionable([sok, chen, khmer, zh], 'ដារា')).toEqual([khmer]);
    expect(filterMentionable([sok, chen, khmer, zh], '静')).toEqual([zh]);
    expect(filterMentionable([sok, chen], '')).toEqual([sok, chen]);
  });
});
