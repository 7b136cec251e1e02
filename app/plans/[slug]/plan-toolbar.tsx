'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useState } from 'react';

import { organisationCodes } from '../../../domain/organisations';
import { itemStatuses, type Workstream } from '../../../domain/plan-document';
import {
  emptyPlanFilter,
  isFilterActive,
  partyCodes,
  planViews,
  type PlanFilter,
  type PlanViewName,
} from '../../../domain/plan-filter';
import type { PlanMember } from '../../../domain/roles';
import type { PlanUndo } from '../../lib/use-plan-undo';
import styles from './plan-toolbar.module.css';

/** The view switch, undo and redo, and the filters of one plan. */
export function PlanToolbar({
  view,
  onViewChange,
  filter,
  onFilterChange,
  workstreams,
  members,
  shown,
  total,
  undo,
  onOpenActivity,
  onImport,
}: {
  view: PlanViewName;
  onViewChange: (view: PlanViewName) => void;
  filter: PlanFilter;
  onFilterChange: (filter: PlanFilter) => void;
  workstreams: Workstream[];
  members: PlanMember[];
  shown: number;
  total: number;
  /** Absent for people who cannot edit. */
  undo: PlanUndo | null;
  /** Opens the plan's recent changes (the activity log). */
  onOpenActivity?: () => void;
  /** Opens the CSV import (absent for people who cannot edit). */
  onImport?: () => void;
}) {
  const t = useTranslations('Toolbar');
  const activity = useTranslations('Activity');
  const importText = useTranslations('Import');
  const statuses = useTranslations('Statuses');
  const organisations = useTranslations('Organisations');
  const searchId = useId();
  const fieldsId = useId();
  const [showFields, setShowFields] = useState(false);
  const selectedCount =
    filter.workstreams.length +
    filter.statuses.length +
    filter.leadOrgs.length +
    filter.owners.length;
  // The text filter is typed into a draft and written to the URL a moment later, not per key.
  const [text, setText] = useState(filter.text);
  const [urlText, setUrlText] = useState(filter.text);
  if (urlText !== filter.text) {
    // The URL changed by itself (back button, "clear filters"): show what it says.
    setUrlText(filter.text);
    setText(filter.text);
  }
  useEffect(() => {
    if (text === filter.text) return;
    const timer = setTimeout(() => onFilterChange({ ...filter, text }), 250);
    return () => clearTimeout(timer);
  }, [text, filter, onFilterChange]);

  const single = <K extends 'workstreams' | 'statuses' | 'leadOrgs' | 'owners'>(
    key: K,
    value: string,
  ) => onFilterChange({ ...filter, [key]: value ? [value] : [] });

  return (
    <div className={styles.toolbar}>
      <div className={styles.row}>
        <nav aria-label={t('views')} className={styles.views}>
          {planViews.map((name) => (
            <button
              key={name}
              type="button"
              className={styles.viewButton}
              aria-pressed={view === name}
              onClick={() => onViewChange(name)}
            >
              {t(`view.${name}`)}
            </button>
          ))}
        </nav>

        <div className={styles.parties} role="group" aria-label={t('quickFilters')}>
          {partyCodes.map((party) => (
            <button
              key={party}
              type="button"
              className={styles.partyButton}
              aria-pressed={filter.party === party}
              onClick={() =>
                onFilterChange({ ...filter, party: filter.party === party ? null : party })
              }
            >
              {t(`party.${party}`)}
            </button>
          ))}
        </div>

        {undo ? (
          <div className={styles.history} role="group" aria-label={t('history')}>
            <button
              type="button"
              className={styles.iconButton}
              onClick={undo.undo}
              disabled={!undo.canUndo}
              aria-keyshortcuts="Control+Z Meta+Z"
              title={t('undoHint')}
            >
              <svg viewBox="0 0 20 20" aria-hidden="true">
                <path
                  fill="currentColor"
                  d="M7.7 4.3 3 9l4.7 4.7 1.4-1.4L6.8 10H12a3.5 3.5 0 0 1 0 7h-2v2h2a5.5 5.5 0 0 0 0-11H6.8l2.3-2.3-1.4-1.4Z"
                />
              </svg>
              <span>{t('undo')}</span>
            </button>
            <button
              type="button"
              className={styles.iconButton}
              onClick={undo.redo}
              disabled={!undo.canRedo}
              aria-keyshortcuts="Control+Y Control+Shift+Z Meta+Shift+Z"
              title={t('redoHint')}
            >
              <svg viewBox="0 0 20 20" aria-hidden="true">
                <path
                  fill="currentColor"
                  d="M12.3 4.3 17 9l-4.7 4.7-1.4-1.4 2.3-2.3H8a3.5 3.5 0 0 0 0 7h2v2H8A5.5 5.5 0 0 1 8 8h5.2l-2.3-2.3 1.4-1.4Z"
                />
              </svg>
              <span>{t('redo')}</span>
            </button>
          </div>
        ) : null}

        {onOpenActivity ? (
          <button
            type="button"
            className={`${styles.iconButton} ${styles.activity}`}
            aria-haspopup="dialog"
            onClick={onOpenActivity}
            data-testid="open-activity"
          >
            <svg viewBox="0 0 20 20" aria-hidden="true">
              <path
                fill="currentColor"
                d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm0 2a6 6 0 1 1 0 12 6 6 0 0 1 0-12Zm-1 2v4.4l3.3 3.3 1.4-1.4L11 9.6V6H9Z"
              />
            </svg>
            <span>{activity('openPanel')}</span>
          </button>
        ) : null}

        {onImport ? (
          <button
            type="button"
            className={styles.iconButton}
            aria-haspopup="dialog"
            onClick={onImport}
            data-testid="open-import"
          >
            <svg viewBox="0 0 20 20" aria-hidden="true">
              <path
                fill="currentColor"
                d="M9 14h2V6.4l2.3 2.3 1.4-1.4L10 2.6 5.3 7.3l1.4 1.4L9 6.4V14Zm-5 2h12v2H4v-2Z"
              />
            </svg>
            <span>{importText('open')}</span>
          </button>
        ) : null}
      </div>

      <div className={styles.filters} role="search" aria-label={t('filters')}>
        <div className={styles.search}>
          <label htmlFor={searchId} className="visually-hidden">
            {t('search')}
          </label>
          <input
            id={searchId}
            type="search"
            className={styles.input}
            placeholder={t('searchPlaceholder')}
            value={text}
            maxLength={200}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        {/* On a phone the four lists fold away behind one button, so the plan starts higher up. */}
        <button
          type="button"
          className={styles.moreFilters}
          aria-expanded={showFields}
          aria-controls={fieldsId}
          onClick={() => setShowFields((open) => !open)}
        >
          {t('moreFilters', { count: selectedCount })}
        </button>
        <div id={fieldsId} className={styles.fields} data-open={showFields || undefined}>
          <FilterSelect
            label={t('workstream')}
            any={t('anyWorkstream')}
            value={filter.workstreams[0] ?? ''}
            options={workstreams.map((workstream) => [workstream.id, workstream.name])}
            onChange={(value) => single('workstreams', value)}
          />
          <FilterSelect
            label={t('status')}
            any={t('anyStatus')}
            value={filter.statuses[0] ?? ''}
            options={itemStatuses.map((status) => [status, statuses(status)])}
            onChange={(value) => single('statuses', value)}
          />
          <FilterSelect
            label={t('lead')}
            any={t('anyLead')}
            value={filter.leadOrgs[0] ?? ''}
            options={organisationCodes.map((code) => [code, organisations(`${code}.short`)])}
            onChange={(value) => single('leadOrgs', value)}
          />
          <FilterSelect
            label={t('owner')}
            any={t('anyOwner')}
            value={filter.owners[0] ?? ''}
            options={members.map((member) => [member.id, member.name])}
            onChange={(value) => single('owners', value)}
          />
        </div>
        <p className={styles.count} aria-live="polite">
          {isFilterActive(filter) ? t('shown', { shown, total }) : t('all', { total })}
        </p>
        {isFilterActive(filter) ? (
          <button
            type="button"
            className={styles.clear}
            onClick={() => {
              setText('');
              onFilterChange(emptyPlanFilter);
            }}
          >
            {t('clear')}
          </button>
        ) : null}
      </div>
    </div>
  );
}

function FilterSelect({
  label,
  any,
  value,
  options,
  onChange,
}: {
  label: string;
  any: string;
  value: string;
  options: Array<[value: string, label: string]>;
  onChange: (value: string) => void;
}) {
  return (
    <label className={styles.selectLabel}>
      <span className={styles.selectCaption}>{label}</span>
      <select
        className={styles.select}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-active={value !== '' || undefined}
      >
        <option value="">{any}</option>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </label>
  );
}
