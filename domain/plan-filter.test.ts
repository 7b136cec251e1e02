import { describe, expect, it } from 'vitest';

import { readPlan, setItemOwner, setItemTag, updateItem } from './plan-document';
import { buildPlan } from './plan-document.fixtures';
import {
  emptyPlanFilter,
  filterItems,
  parsePlanFilter,
  parsePlanViewName,
  writePlanFilter,
  type PlanFilter,
} from './plan-filter';
import type { PlanMember } from './roles';

const members: PlanMember[] = [
  { id: 'u-htc', name: 'Chen Jing', organisation: 'HTC', role: 'editor' },
  { id: 'u-npia', name: 'Sok Dara', organisation: 'NPIA', role: 'editor' },
  { id: 'u-ilo', name: 'Anna Berg', organisation: 'ILO', role: 'commenter' },
];

function plan() {
  const doc = buildPlan();
  // item-1: led by HTC, owned by the ILO officer; item-2: led by NPIA, tagged.
  setItemOwner(doc, 'item-1', 'u-ilo', true);
  setItemTag(doc, 'item-2', 'Exchange');
  return doc;
}

function ids(filter: Partial<PlanFilter>) {
  return filterItems(readPlan(plan()).items, { ...emptyPlanFilter, ...filter }, members).map(
    (item) => item.id,
  );
}

describe('filterItems', () => {
  it('lets everything through without a filter', () => {
    expect(ids({})).toEqual(['item-1', 'item-2']);
  });

  it('filters by workstream, status, lead organisation and owner', () => {
    expect(ids({ workstreams: ['ws-exchange'] })).toEqual(['item-2']);
    expect(ids({ statuses: ['in_progress', 'done'] })).toEqual(['item-2']);
    expect(ids({ leadOrgs: ['HTC'] })).toEqual(['item-1']);
    expect(ids({ owners: ['u-ilo'] })).toEqual(['item-1']);
  });

  it('"what involves ILO" finds items an ILO person owns; "what NPIA owes" the ones NPIA leads', () => {
    expect(ids({ party: 'ILO' })).toEqual(['item-1']);
    expect(ids({ party: 'NPIA' })).toEqual(['item-2']);
    expect(ids({ party: 'HTC' })).toEqual(['item-1']);
  });

  it('matches every word of the text in the title or the tags, ignoring case', () => {
    expect(ids({ text: 'ROBOTICS train' })).toEqual(['item-1']);
    expect(ids({ text: 'exchange' })).toEqual(['item-2']);
    expect(ids({ text: '教师' })).toEqual(['item-2']);
    expect(ids({ text: 'robotics exchange' })).toEqual([]);
  });

  it('combines filters', () => {
    const doc = plan();
    updateItem(doc, 'item-2', { status: 'done' });
    const items = readPlan(doc).items;
    expect(
      filterItems(items, { ...emptyPlanFilter, statuses: ['done'], party: 'HTC' }, members),
    ).toEqual([]);
  });
});

describe('the filter in the URL', () => {
  it('round-trips and keeps other parameters', () => {
    const filter: PlanFilter = {
      workstreams: ['ws-exchange'],
      statuses: ['planned', 'blocked'],
      leadOrgs: ['NPIA'],
      owners: ['u-htc'],
      party: 'ILO',
      text: '培训 robots',
    };
    const params = writePlanFilter(new URLSearchParams('view=table&item=item-1'), filter);
    expect(params.get('view')).toBe('table');
    expect(params.get('item')).toBe('item-1');
    expect(parsePlanFilter(new URLSearchParams(params.toString()))).toEqual(filter);
    expect(writePlanFilter(params, emptyPlanFilter).toString()).toBe('view=table&item=item-1');
  });

  it('ignores values it does not know', () => {
    const params = new URLSearchParams(
      'status=done,gone&lead=HTC,EVIL&party=UN&ws=ok,<script>&view=gantt&q=' + 'x'.repeat(500),
    );
    const filter = parsePlanFilter(params);
    expect(filter).toMatchObject({
      statuses: ['done'],
      leadOrgs: ['HTC'],
      party: null,
      workstreams: ['ok'],
    });
    expect(filter.text).toHaveLength(200);
    expect(parsePlanViewName(params)).toBe('board');
    expect(parsePlanViewName(new URLSearchParams('view=timeline'))).toBe('timeline');
  });
});
