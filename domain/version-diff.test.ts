import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { projectPlan } from './item-projection';
import {
  addIndicator,
  createItem,
  deleteItem,
  getItemDescription,
  setItemTitle,
  updateItem,
} from './plan-document';
import { buildPlan, replicaOf } from './plan-document.fixtures';
import { diffPlanVersions } from './version-diff';

describe('diffPlanVersions', () => {
  it('is empty when nothing changed', () => {
    const doc = buildPlan();
    expect(diffPlanVersions(projectPlan(doc), projectPlan(replicaOf(doc)))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it('names items added, removed and the fields changed since the version', () => {
    const version = buildPlan();
    const now = replicaOf(version);
    deleteItem(now, 'item-1');
    createItem(now, {
      id: 'item-3',
      title: 'Online module 在线模块',
      workstreamId: 'ws-robotics',
      leadOrg: 'NPIA',
      start: '2022-04-01',
      end: '2022-05-01',
    });
    setItemTitle(now, 'item-2', 'ការផ្លាស់ប្តូរគ្រូ');
    updateItem(now, 'item-2', { status: 'done', progress: 100, end: '2023-02-28' });
    addIndicator(now, 'item-2', {
      name: 'Teachers',
      unit: 'people',
      baseline: 0,
      target: 10,
      actual: 4,
    });
    const description = getItemDescription(now, 'item-2', { create: true }) as Y.XmlFragment;
    description.insert(0, [new Y.XmlElement('paragraph')]);

    const changes = diffPlanVersions(projectPlan(version), projectPlan(now));
    expect(changes.added).toEqual([{ id: 'item-3', title: 'Online module 在线模块' }]);
    expect(changes.removed).toEqual([{ id: 'item-1', title: 'Train NPIA teachers in robotics' }]);
    expect(changes.changed).toEqual([
      {
        id: 'item-2',
        title: 'ការផ្លាស់ប្តូរគ្រូ',
        changes: [
          { field: 'title', from: 'ការផ្លាស់ប្តូរគ្រូ 教师交流', to: 'ការផ្លាស់ប្តូរគ្រូ' },
          { field: 'status', from: 'in_progress', to: 'done' },
          {
            field: 'dates',
            from: { start: '2022-09-01', end: '2023-01-31' },
            to: { start: '2022-09-01', end: '2023-02-28' },
          },
          { field: 'progress', from: 40, to: 100 },
          { field: 'indicators' },
          { field: 'description' },
        ],
      },
    ]);
  });
});
