'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type * as Y from 'yjs';

import { isDomainError } from '../../../domain/domain-error';
import { organisationCodes, type OrganisationCode } from '../../../domain/organisations';
import {
  checkImportRecords,
  decodeCsvBytes,
  importItems,
  importLimits,
  readItemsCsv,
  unknownWorkstreams,
  workstreamKey,
  type CsvFileProblem,
  type CsvItemRecord,
  type RowProblem,
  type WorkstreamChoice,
} from '../../../domain/plan-csv';
import type { Workstream } from '../../../domain/plan-document';
import styles from './import-dialog.module.css';

/**
 * Import activities from a CSV file, in the browser where the live document is: choose a file,
 * see each row's verdict, settle workstreams the plan lacks, then create the valid rows in one
 * transaction with no origin — the origin of this person's own edits — so they sync, are saved
 * and attributed like typing, and one undo takes them all back. The server checks the update
 * like every other one.
 */
export function ImportDialog({
  doc,
  workstreams,
  defaultLeadOrg,
  onClose,
  onImported,
}: {
  doc: Y.Doc;
  workstreams: Workstream[];
  defaultLeadOrg: OrganisationCode;
  onClose: () => void;
  onImported: (count: number) => void;
}) {
  const t = useTranslations('Import');
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const fileId = useId();
  const [records, setRecords] = useState<CsvItemRecord[] | null>(null);
  const [problem, setProblem] = useState<CsvFileProblem | null>(null);
  const [choices, setChoices] = useState<Record<string, WorkstreamChoice>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!element.open) element.showModal();
    return () => {
      if (element.open) element.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const missing = useMemo(
    () => (records ? unknownWorkstreams(records, workstreams) : []),
    [records, workstreams],
  );
  const rows = useMemo(
    () => (records ? checkImportRecords(records, { workstreams, choices, defaultLeadOrg }) : []),
    [records, workstreams, choices, defaultLeadOrg],
  );
  const valid = rows.flatMap((row) => (row.ok ? [row.item] : []));

  async function readFile(file: File) {
    setFileName(file.name);
    setRecords(null);
    setProblem(null);
    setFailure(null);
    setChoices({});
    // Checked before reading: a 2 GB file is never loaded into the tab.
    if (file.size > importLimits.bytes) {
      setProblem({ code: 'too_large', limit: importLimits.bytes });
      return;
    }
    const decoded = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
    if (!decoded.ok) return setProblem(decoded.problem);
    const read = readItemsCsv(decoded.text);
    if (!read.ok) return setProblem(read.problem);
    setRecords(read.records);
  }

  function submit() {
    try {
      const ids = importItems(doc, valid);
      onImported(ids.length);
    } catch (error) {
      setFailure(t('failed', { message: isDomainError(error) ? error.message : String(error) }));
    }
  }

  function fileProblem(found: CsvFileProblem): string {
    switch (found.code) {
      case 'empty':
        return t('problemEmpty');
      case 'too_large':
        return t('problemTooLarge', { megabytes: Math.round(found.limit / (1024 * 1024)) });
      case 'utf16':
        return t('problemUtf16');
      case 'not_utf8':
        return t('problemNotUtf8');
      case 'too_many_rows':
        return t('problemTooManyRows', { rows: found.rows, limit: found.limit });
      case 'missing_columns':
        return t('problemMissingColumns', { columns: found.columns.join(', ') });
    }
  }

  function rowProblem(found: RowProblem): string {
    switch (found.code) {
      case 'malformed':
        return t('rowMalformed');
      case 'missing_title':
        return t('rowMissingTitle');
      case 'title_too_long':
        return t('rowTitleTooLong', { limit: found.limit });
      case 'missing_workstream':
        return t('rowMissingWorkstream');
      case 'unknown_workstream':
        return t('rowUnknownWorkstream', { name: found.name });
      case 'bad_date':
        return found.column === 'start'
          ? t('rowBadStart', { value: found.value })
          : t('rowBadEnd', { value: found.value });
      case 'end_before_start':
        return t('rowEndBeforeStart');
      case 'unknown_status':
        return t('rowUnknownStatus', { value: found.value });
      case 'missing_organisation':
        return t('rowMissingOrganisation');
      case 'unknown_organisation':
        return t('rowUnknownOrganisation', {
          value: found.value,
          codes: organisationCodes.join(', '),
        });
      case 'bad_progress':
        return t('rowBadProgress', { value: found.value });
    }
  }

  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      aria-labelledby={titleId}
      data-testid="import-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className={styles.header}>
        <h2 id={titleId} className={styles.title}>
          {t('title')}
        </h2>
        <button type="button" className={styles.close} onClick={onClose} title={t('close')}>
          <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
            <path d="M5 5l10 10M15 5 5 15" stroke="currentColor" strokeWidth="2" />
          </svg>
          <span className="visually-hidden">{t('close')}</span>
        </button>
      </header>

      <div className={styles.body}>
        <p className={styles.hint}>{t('intro')}</p>
        <label htmlFor={fileId} className={styles.label}>
          {t('file')}
        </label>
        {/* The browser's own file button speaks the browser's language (English in many a
            Khmer browser): ours, a label for the hidden but focusable input, speaks the UI's. */}
        <div className={styles.fileRow}>
          <input
            id={fileId}
            type="file"
            accept=".csv,text/csv"
            className={styles.file}
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void readFile(file);
            }}
          />
          <label htmlFor={fileId} className={styles.fileButton}>
            {t('chooseFile')}
          </label>
          <span className={styles.fileName}>{fileName ?? t('noFile')}</span>
        </div>

        {problem ? (
          <p className={styles.problem} role="alert" data-testid="import-problem">
            {fileProblem(problem)}
          </p>
        ) : null}

        {missing.length > 0 ? (
          <fieldset className={styles.workstreams}>
            <legend>{t('workstreamsHeading')}</legend>
            <p className={styles.hint}>{t('workstreamsHint')}</p>
            {missing.map((name) => {
              const key = workstreamKey(name);
              const choice = choices[key];
              const value = !choice ? '' : 'create' in choice ? '__create' : choice.useId;
              return (
                <label key={key} className={styles.choice}>
                  <span className={styles.choiceName}>{name}</span>
                  <select
                    value={value}
                    onChange={(event) => {
                      const next = event.target.value;
                      setChoices((current) => {
                        const updated = { ...current };
                        if (next === '') delete updated[key];
                        else
                          updated[key] = next === '__create' ? { create: true } : { useId: next };
                        return updated;
                      });
                    }}
                  >
                    <option value="">{t('choose')}</option>
                    <option value="__create">{t('createWorkstream', { name })}</option>
                    {workstreams.map((workstream) => (
                      <option key={workstream.id} value={workstream.id}>
                        {t('useWorkstream', { name: workstream.name })}
                      </option>
                    ))}
                  </select>
                </label>
              );
            })}
          </fieldset>
        ) : null}

        {records ? (
          <section aria-labelledby={`${titleId}-preview`}>
            <h3 id={`${titleId}-preview`} className={styles.previewHeading}>
              {t('previewHeading')}
            </h3>
            <p className={styles.summary} aria-live="polite" data-testid="import-summary">
              {t('summary', { ok: valid.length, bad: rows.length - valid.length })}
            </p>
            <div className={styles.tableWrap}>
              <table className={styles.table}>
                <thead>
                  <tr>
                    <th scope="col">{t('colLine')}</th>
                    <th scope="col">{t('colTitle')}</th>
                    <th scope="col">{t('colVerdict')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.line} data-ok={row.ok || undefined} data-testid="import-row">
                      <td className={styles.line}>{row.line}</td>
                      <td className={styles.rowTitle}>{row.title || t('untitled')}</td>
                      <td>
                        {row.ok ? (
                          <span className={styles.ok}>{t('willCreate')}</span>
                        ) : (
                          <ul className={styles.errors}>
                            {row.problems.map((found, index) => (
                              <li key={index}>{rowProblem(found)}</li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {valid.length < rows.length ? <p className={styles.hint}>{t('skippedNote')}</p> : null}
          </section>
        ) : null}

        {failure ? (
          <p className={styles.problem} role="alert">
            {failure}
          </p>
        ) : null}
      </div>

      <footer className={styles.footer}>
        <button type="button" className={styles.secondary} onClick={onClose}>
          {t('cancel')}
        </button>
        <button
          type="button"
          className={styles.primary}
          onClick={submit}
          disabled={valid.length === 0}
          data-testid="import-submit"
        >
          {t('submit', { count: valid.length })}
        </button>
      </footer>
    </dialog>
  );
}
