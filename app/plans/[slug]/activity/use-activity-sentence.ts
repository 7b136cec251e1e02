'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useCallback } from 'react';

import type { ActivityEntry } from '../../../../domain/activity';
import { usePlanDates } from '../../../lib/use-plan-dates';

/**
 * An activity entry as one sentence in the UI's language: "Chen Jing changed status from
 * Planned to In progress". Status labels are the board's; dates read as the board's ranges.
 */
export function useActivitySentence(): (entry: ActivityEntry) => string {
  const t = useTranslations('Activity');
  const statuses = useTranslations('Statuses');
  const format = useFormatter();
  const dates = usePlanDates();
  return useCallback(
    (entry: ActivityEntry) => {
      const actor = entry.actor?.name ?? t('someone');
      const value = (number: number, unit: string) =>
        `${format.number(number)}${unit ? ` ${unit}` : ''}`;
      switch (entry.kind) {
        case 'created':
          return t('created', { actor, workstream: entry.workstream });
        case 'deleted':
          return t('deleted', { actor });
        case 'moved':
          return t('moved', { actor, from: entry.from, to: entry.to });
        case 'renamed':
          return t('renamed', {
            actor,
            from: entry.from.trim() || t('untitled'),
            to: entry.to.trim() || t('untitled'),
          });
        case 'status':
          return t('status', { actor, from: statuses(entry.from), to: statuses(entry.to) });
        case 'dates':
          return t('dates', {
            actor,
            from: dates(entry.from.start, entry.from.end, 'short'),
            to: dates(entry.to.start, entry.to.end, 'short'),
          });
        case 'progress':
          return t('progress', { actor, from: entry.from, to: entry.to });
        case 'indicator':
          if (entry.to === null) return t('indicatorCleared', { actor, indicator: entry.name });
          if (entry.from === null) {
            return t('indicatorFirst', {
              actor,
              indicator: entry.name,
              to: value(entry.to, entry.unit),
            });
          }
          return t('indicator', {
            actor,
            indicator: entry.name,
            from: value(entry.from, entry.unit),
            to: value(entry.to, entry.unit),
          });
        case 'description':
          return t('description', { actor });
        case 'restored':
          return entry.versionName
            ? t('restoredNamed', { actor, name: entry.versionName })
            : t('restored', {
                actor,
                date: format.dateTime(new Date(entry.versionCreatedAt), {
                  dateStyle: 'medium',
                  timeStyle: 'short',
                }),
              });
      }
    },
    [t, statuses, format, dates],
  );
}
