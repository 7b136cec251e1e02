'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';

import {
  planLimits,
  workstreamColours,
  type WorkstreamColour,
} from '../../../../../domain/plan-document';
import { EditError, type EditFailure } from '../../edit-error';
import styles from './board.module.css';
import { workstreamPalette } from './workstream-colours';

type Problem = 'nameRequired' | 'nameTooLong';

/** Why a workstream name cannot be saved, or null: the domain's rules, said before it refuses. */
export function workstreamNameProblem(name: string): Problem | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'nameRequired';
  if (trimmed.length > planLimits.workstreamNameLength) return 'nameTooLong';
  return null;
}

/** A workstream's name and colour, to add one or to change one. */
export function WorkstreamForm({
  label,
  initialName,
  initialColour,
  submitLabel,
  failure,
  onSubmit,
  onCancel,
}: {
  label: string;
  initialName: string;
  initialColour: WorkstreamColour;
  submitLabel: string;
  failure: EditFailure | null;
  /** Returns whether the change was written; the form stays open with the error otherwise. */
  onSubmit: (value: { name: string; colour: WorkstreamColour }) => void;
  onCancel: () => void;
}) {
  const t = useTranslations('Workstreams');
  const colours = useTranslations('Workstreams.colours');
  const id = useId();
  const nameInput = useRef<HTMLInputElement>(null);
  const [name, setName] = useState(initialName);
  const [colour, setColour] = useState<WorkstreamColour>(initialColour);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    nameInput.current?.focus();
    nameInput.current?.select();
  }, []);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = workstreamNameProblem(name);
    setProblem(found);
    if (found) {
      nameInput.current?.focus();
      return;
    }
    onSubmit({ name: name.trim(), colour });
  }

  const problemId = `${id}-problem`;
  const length = name.trim().length;
  return (
    <form
      className={styles.workstreamForm}
      aria-label={label}
      noValidate
      onSubmit={handleSubmit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <div className={styles.formField}>
        <label htmlFor={`${id}-name`}>{t('name')}</label>
        <input
          ref={nameInput}
          id={`${id}-name`}
          type="text"
          value={name}
          aria-invalid={problem !== null || undefined}
          aria-describedby={`${id}-count${problem ? ` ${problemId}` : ''}`}
          onChange={(event) => {
            setName(event.target.value);
            if (problem) setProblem(workstreamNameProblem(event.target.value));
          }}
        />
        <span
          id={`${id}-count`}
          className={`${styles.counter} ${length > planLimits.workstreamNameLength ? styles.counterOver : ''}`}
        >
          {t('nameLength', { count: length, max: planLimits.workstreamNameLength })}
        </span>
      </div>
      <fieldset className={styles.colours}>
        <legend>{t('colour')}</legend>
        <div className={styles.swatches}>
          {workstreamColours.map((option) => (
            <label key={option} className={styles.swatch} title={colours(option)}>
              <input
                type="radio"
                name={`${id}-colour`}
                value={option}
                checked={colour === option}
                onChange={() => setColour(option)}
              />
              <span
                className={styles.swatchColour}
                style={{ backgroundColor: workstreamPalette[option].strong }}
                aria-hidden="true"
              />
              <span className="visually-hidden">{colours(option)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {problem ? (
        <p id={problemId} role="alert" className={styles.formError}>
          {t(`problems.${problem}`, { max: planLimits.workstreamNameLength })}
        </p>
      ) : null}
      <EditError failure={failure} />
      <div className={styles.formActions}>
        <button type="submit" className="button">
          {submitLabel}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
