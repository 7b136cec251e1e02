'use client';

import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { useId, useRef, useState } from 'react';
import type * as Y from 'yjs';

import {
  addIndicator,
  deleteIndicator,
  indicatorProgress,
  planLimits,
  updateIndicator,
  type Indicator,
  type IndicatorInput,
  type Item,
} from '../../../../domain/plan-document';
import { EditError, toEditFailure, type EditFailure } from '../edit-error';
import { TrashIcon } from './checklist-section';
import { ProgressBar } from './detail-fields';
import { parseLocaleNumber } from './detail-input';
import styles from './card-detail.module.css';

/** Results-framework indicators: where a measure started, where it should get, where it is. */
export function IndicatorsSection({
  doc,
  item,
  canEdit,
  labelId,
}: {
  doc: Y.Doc;
  item: Item;
  canEdit: boolean;
  labelId: string;
}) {
  const t = useTranslations('Indicators');
  const hintId = useId();
  // The indicator being edited ('new' for the add form).
  const [editing, setEditing] = useState<string | null>(null);
  const [failure, setFailure] = useState<EditFailure | null>(null);
  const addButtonRef = useRef<HTMLButtonElement>(null);
  const full = item.indicators.length >= planLimits.indicatorsPerItem;

  function run(change: () => void): boolean {
    try {
      change();
      setFailure(null);
      return true;
    } catch (error) {
      setFailure(toEditFailure(error));
      return false;
    }
  }

  return (
    <div className={styles.stack} data-testid="indicators">
      <p id={hintId} className={styles.hint}>
        {t('hint')}
      </p>
      {item.indicators.length === 0 && editing !== 'new' ? (
        <p className={styles.muted}>{t('empty')}</p>
      ) : null}
      {item.indicators.length > 0 ? (
        <ul className={styles.indicators} aria-labelledby={labelId}>
          {item.indicators.map((indicator) =>
            editing === indicator.id ? (
              <li key={indicator.id} className={styles.indicator}>
                <IndicatorForm
                  initial={indicator}
                  hintId={hintId}
                  onSave={(input) => {
                    const saved = run(() => updateIndicator(doc, item.id, indicator.id, input));
                    if (saved) setEditing(null);
                    return saved;
                  }}
                  onCancel={() => setEditing(null)}
                />
              </li>
            ) : (
              <IndicatorRow
                key={indicator.id}
                indicator={indicator}
                canEdit={canEdit}
                onEdit={() => setEditing(indicator.id)}
                onDelete={() => {
                  run(() => deleteIndicator(doc, item.id, indicator.id));
                  addButtonRef.current?.focus();
                }}
              />
            ),
          )}
        </ul>
      ) : null}
      {canEdit && editing === 'new' ? (
        <div className={styles.indicator}>
          <IndicatorForm
            hintId={hintId}
            onSave={(input) => {
              const saved = run(() => addIndicator(doc, item.id, input));
              if (saved) {
                setEditing(null);
                requestAnimationFrame(() => addButtonRef.current?.focus());
              }
              return saved;
            }}
            onCancel={() => {
              setEditing(null);
              requestAnimationFrame(() => addButtonRef.current?.focus());
            }}
          />
        </div>
      ) : null}
      {canEdit && editing !== 'new' ? (
        <button
          ref={addButtonRef}
          type="button"
          className={styles.secondaryButton}
          disabled={full}
          onClick={() => setEditing('new')}
          data-testid="indicator-add"
        >
          {full ? t('full', { limit: planLimits.indicatorsPerItem }) : t('add')}
        </button>
      ) : null}
      {canEdit ? <EditError failure={failure} /> : null}
    </div>
  );
}

function IndicatorRow({
  indicator,
  canEdit,
  onEdit,
  onDelete,
}: {
  indicator: Indicator;
  canEdit: boolean;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const t = useTranslations('Indicators');
  const format = useFormatter();
  const progress = indicatorProgress(indicator);
  const value = (number: number) =>
    indicator.unit
      ? t('withUnit', { value: format.number(number), unit: indicator.unit })
      : format.number(number);
  const progressText =
    indicator.actual === null
      ? t('notMeasured')
      : progress === null
        ? t('noRange')
        : t('towardTarget', { percent: format.number(progress, { style: 'percent' }) });

  return (
    <li className={styles.indicator} data-indicator={indicator.name}>
      <div className={styles.indicatorHead}>
        <h4 className={styles.indicatorName}>{indicator.name}</h4>
        {canEdit ? (
          <span className={styles.rowActions}>
            <button
              type="button"
              className={styles.textButton}
              onClick={onEdit}
              aria-label={t('edit', { name: indicator.name })}
            >
              {t('editShort')}
            </button>
            <button
              type="button"
              className={styles.iconButton}
              onClick={onDelete}
              aria-label={t('delete', { name: indicator.name })}
              title={t('delete', { name: indicator.name })}
            >
              <TrashIcon />
            </button>
          </span>
        ) : null}
      </div>
      <dl className={styles.indicatorValues}>
        <div>
          <dt>{t('baseline')}</dt>
          <dd>{value(indicator.baseline)}</dd>
        </div>
        <div>
          <dt>{t('target')}</dt>
          <dd>{value(indicator.target)}</dd>
        </div>
        <div>
          <dt>{t('actual')}</dt>
          <dd>{indicator.actual === null ? t('noActual') : value(indicator.actual)}</dd>
        </div>
      </dl>
      <div className={styles.progressRow}>
        <ProgressBar
          value={(progress ?? 0) * 100}
          label={t('progressLabel', { name: indicator.name })}
          text={progressText}
          tone={progress === 1 ? 'success' : 'accent'}
        />
        <span className={styles.indicatorProgressText}>{progressText}</span>
      </div>
    </li>
  );
}

type NumberField = 'baseline' | 'target' | 'actual';

function IndicatorForm({
  initial,
  hintId,
  onSave,
  onCancel,
}: {
  initial?: Indicator;
  hintId: string;
  onSave: (input: IndicatorInput) => boolean;
  onCancel: () => void;
}) {
  const t = useTranslations('Indicators');
  const locale = useLocale();
  const format = useFormatter();
  const id = useId();
  const shown = (number: number | null | undefined) =>
    number === null || number === undefined ? '' : format.number(number, { useGrouping: false });
  const [name, setName] = useState(initial?.name ?? '');
  const [unit, setUnit] = useState(initial?.unit ?? '');
  const [numbers, setNumbers] = useState<Record<NumberField, string>>({
    baseline: shown(initial?.baseline ?? 0),
    target: shown(initial?.target),
    actual: shown(initial?.actual),
  });
  const [problems, setProblems] = useState<Partial<Record<'name' | NumberField, string>>>({});

  function submit() {
    const found: Partial<Record<'name' | NumberField, string>> = {};
    if (name.trim() === '') found.name = t('problems.nameRequired');
    const parsed: Partial<Record<NumberField, number | null>> = {};
    for (const field of ['baseline', 'target', 'actual'] as const) {
      const value = parseLocaleNumber(numbers[field], locale);
      if (value === undefined) {
        if (field === 'actual') parsed.actual = null;
        else found[field] = t('problems.required');
      } else if (value === null) {
        found[field] = t('problems.notNumber');
      } else if (Math.abs(value) > planLimits.indicatorValue) {
        found[field] = t('problems.tooLarge');
      } else {
        parsed[field] = value;
      }
    }
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    onSave({
      name: name.trim(),
      unit: unit.trim(),
      baseline: parsed.baseline ?? 0,
      target: parsed.target ?? 0,
      actual: parsed.actual ?? null,
    });
  }

  const numberInput = (field: NumberField, label: string) => (
    <label className={styles.field}>
      <span className={styles.subLabel}>{label}</span>
      <input
        className={`${styles.input} ${styles.number}`}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        value={numbers[field]}
        placeholder={field === 'actual' ? t('actualPlaceholder') : undefined}
        aria-invalid={problems[field] ? true : undefined}
        aria-describedby={problems[field] ? `${id}-${field}` : hintId}
        onChange={(event) => setNumbers({ ...numbers, [field]: event.target.value })}
        data-testid={`indicator-${field}`}
      />
      {problems[field] ? (
        <span id={`${id}-${field}`} className={styles.error}>
          {problems[field]}
        </span>
      ) : null}
    </label>
  );

  return (
    <form
      className={styles.indicatorForm}
      aria-label={initial ? t('edit', { name: initial.name }) : t('add')}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <div className={styles.indicatorFormRow}>
        <label className={`${styles.field} ${styles.grow}`}>
          <span className={styles.subLabel}>{t('name')}</span>
          <input
            className={styles.input}
            type="text"
            value={name}
            maxLength={planLimits.indicatorNameLength}
            placeholder={t('namePlaceholder')}
            autoFocus
            aria-invalid={problems.name ? true : undefined}
            aria-describedby={problems.name ? `${id}-name` : undefined}
            onChange={(event) => setName(event.target.value)}
            data-testid="indicator-name"
          />
          {problems.name ? (
            <span id={`${id}-name`} className={styles.error}>
              {problems.name}
            </span>
          ) : null}
        </label>
        <label className={styles.field}>
          <span className={styles.subLabel}>{t('unit')}</span>
          <input
            className={`${styles.input} ${styles.unit}`}
            type="text"
            value={unit}
            maxLength={planLimits.indicatorUnitLength}
            placeholder={t('unitPlaceholder')}
            onChange={(event) => setUnit(event.target.value)}
            data-testid="indicator-unit"
          />
        </label>
      </div>
      <div className={styles.indicatorFormRow}>
        {numberInput('baseline', t('baseline'))}
        {numberInput('target', t('target'))}
        {numberInput('actual', t('actual'))}
      </div>
      <div className={styles.formActions}>
        <button type="submit" className={styles.primaryButton} data-testid="indicator-save">
          {t('save')}
        </button>
        <button type="button" className={styles.secondaryButton} onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
