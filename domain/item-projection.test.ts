import { describe, expect, it } from 'vitest';

import { projectItem, projectPlan } from './item-projection';
import {
  addIndicator,
  deleteItem,
  getItemDescription,
  setItemOwner,
  setItemTag,
  setItemTitle,
  updateItem,
  updateWorkstream,
} from './plan-document';
import { buildPlan } from './plan-document.fixtures';
import * as Y from 'yjs';

describe('projectItem', () => {
  it('reads every projected field of an item, with its workstream name', () => {
    const doc = buildPlan();
    setItemOwner(doc, 'item-1', '0b0a6ef0-3e2c-4c55-9a0a-1c1b1d1e1f10', true);
    setItemTag(doc, 'item-1', 'robotics', true);
    const indicatorId = addIndicator(doc, 'item-1', {
      name: 'Teachers certified',
      unit: 'people',
      baseline: 0,
      target: 20,
      actual: null,
    });
    const projection = projectItem(doc, 'item-1');
    expect(projection).toMatchObject({
      id: 'item-1',
      title: 'Train NPIA teachers in robotics',
      workstreamId: 'ws-robotics',
      workstreamName: 'AI and robotics training',
      status: 'planned',
      leadOrg: 'HTC',
      start: '2022-03-01',
      end: '2022-06-30',
      progress: 0,
      owners: ['0b0a6ef0-3e2c-4c55-9a0a-1c1b1d1e1f10'],
      tags: ['robotics'],
      indicators: [
        {
          id: indicatorId,
          name: 'Teachers certified',
          unit: 'people',
          baseline: 0,
          target: 20,
          actual: null,
        },
      ],
    });
    expect(typeof projection?.position).toBe('string');
  });

  it('is null for a missing or deleted item', () => {
    const doc = buildPlan();
    expect(projectItem(doc, 'nope')).toBeNull();
    deleteItem(doc, 'item-1');
    expect(projectItem(doc, 'item-1')).toBeNull();
  });

  it('changes the description fingerprint when the description changes, and only then', () => {
    const doc = buildPlan();
    const before = projectItem(doc, 'item-1')?.descriptionFingerprint;
    updateItem(doc, 'item-1', { progress: 10 });
    expect(projectItem(doc, 'item-1')?.descriptionFingerprint).toBe(before);
    const fragment = getItemDescription(doc, 'item-1');
    doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Two cohorts of ten')]);
      fragment?.insert(0, [paragraph]);
    });
    expect(projectItem(doc, 'item-1')?.descriptionFingerprint).not.toBe(before);
  });

  it('follows a workstream rename', () => {
    const doc = buildPlan();
    updateWorkstream(doc, 'ws-robotics', { name: 'Robotics' });
    expect(projectItem(doc, 'item-1')?.workstreamName).toBe('Robotics');
  });
});

describe('projectPlan', () => {
  it('projects every item, the same as one by one', () => {
    const doc = buildPlan();
    setItemTitle(doc, 'item-2', 'Exchange');
    const all = projectPlan(doc);
    expect([...all.keys()].sort()).toEqual(['item-1', 'item-2']);
    expect(all.get('item-2')).toEqual(projectItem(doc, 'item-2'));
    expect(all.get('item-1')).toEqual(projectItem(doc, 'item-1'));
  });
});
