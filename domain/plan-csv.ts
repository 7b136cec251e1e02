/**
 * The plan's CSV files: writing the items and indicators exports, and reading an items file back
 * for import. Pure: no I/O, shared by the server (exports) and the browser (import preview).
 *
 * What Excel needs to open a file with Chinese and Khmer text correctly: UTF-8 with a byte order
 * mark (without it Excel reads the bytes as the system's code page), CRLF line ends, and RFC 4180
 * quoting. A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return as a formula, so a text cell starting with one gets a leading `'` (OWASP "CSV
 * injection"); numbers are written as numbers, so −5 stays a number. Reading strips that `'`
 * back off, so an exported file imports to the same titles.
 *
 * The column headers are the reader's language plus a stable key in brackets, "标题 [title]".
 * They live here rather than in the UI's messages because the reader must recognise headers in
 * all three languages whatever language the importing person uses.
 */
import Papa from 'papaparse';
import type * as Y from 'yjs';

import type { Locale } from './locales';
import { organisationCodes, parseOrganisationCode, type OrganisationCode } from './organisations';
import { DomainError } from './domain-error';
import {
  createItem,
  createWorkstream,
  itemStatuses,
  planLimits,
  readPlan,
  type ItemStatus,
} from './plan-document';

export type CsvCell = string | number | null;

const byteOrderMark = '\uFEFF';

/** Characters that make a spreadsheet read a cell as a formula. */
const formulaStart = /^'*[=+\-@\t\r]/;
/** Our marker: one `'` in front of what would otherwise be a formula (or another marker). */
const markedFormula = /^'+[=+\-@\t\r]/;

/** A text cell as written: neutralised if a spreadsheet would run it. */
export function neutraliseFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

/** Undoes `neutraliseFormula`: the `'` we put in front of a formula-like text comes off. */
export function restoreFormula(text: string): string {
  return markedFormula.test(text) ? text.slice(1) : text;
}

function quoteCell(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = neutraliseFormula(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV file: BOM, RFC 4180 quoting, CRLF after every record. */
export function writeCsv(rows: readonly (readonly CsvCell[])[]): string {
  return byteOrderMark + rows.map((row) => row.map(quoteCell).join(',') + '\r\n').join('');
}

// ---------------------------------------------------------------------------------------------
// Columns

export const itemColumns = [
  'id',
  'title',
  'workstream',
  'status',
  'lead_organisation',
  'start',
  'end',
  'progress',
  'tags',
] as const;
export type ItemColumn = (typeof itemColumns)[number];

export const indicatorColumns = [
  'item_id',
  'item_title',
  'workstream',
  'indicator',
  'unit',
  'baseline',
  'actual',
  'target',
] as const;
export type IndicatorColumn = (typeof indicatorColumns)[number];

type Labels = Record<Locale, string>;

const columnLabels: Record<ItemColumn | IndicatorColumn, Labels> = {
  id: { en: 'ID', 'zh-CN': '编号', km: 'លេខសម្គាល់' },
  title: { en: 'Activity', 'zh-CN': '活动', km: 'សកម្មភាព' },
  workstream: { en: 'Workstream', 'zh-CN': '工作领域', km: 'ផ្នែកការងារ' },
  status: { en: 'Status', 'zh-CN': '状态', km: 'ស្ថានភាព' },
  lead_organisation: { en: 'Lead organisation', 'zh-CN': '牵头单位', km: 'អង្គភាពដឹកនាំ' },
  start: { en: 'Start', 'zh-CN': '开始', km: 'ចាប់ផ្ដើម' },
  end: { en: 'End', 'zh-CN': '结束', km: 'បញ្ចប់' },
  progress: { en: 'Progress (%)', 'zh-CN': '进度（%）', km: 'វឌ្ឍនភាព (%)' },
  tags: { en: 'Tags', 'zh-CN': '标签', km: 'ស្លាក' },
  item_id: { en: 'Activity ID', 'zh-CN': '活动编号', km: 'លេខសម្គាល់សកម្មភាព' },
  item_title: { en: 'Activity', 'zh-CN': '活动', km: 'សកម្មភាព' },
  indicator: { en: 'Indicator', 'zh-CN': '指标', km: 'សូចនាករ' },
  unit: { en: 'Unit', 'zh-CN': '单位', km: 'ឯកតា' },
  baseline: { en: 'Baseline', 'zh-CN': '基线', km: 'មូលដ្ឋាន' },
  actual: { en: 'Actual', 'zh-CN': '实际', km: 'ជាក់ស្ដែង' },
  target: { en: 'Target', 'zh-CN': '目标', km: 'គោលដៅ' },
};

/** The status names a file shows (the UI's names): the reader accepts these and the keys. */
const statusLabels: Record<ItemStatus, Labels> = {
  planned: { en: 'Planned', 'zh-CN': '计划中', km: 'គ្រោងទុក' },
  in_progress: { en: 'In progress', 'zh-CN': '进行中', km: 'កំពុងអនុវត្ត' },
  done: { en: 'Done', 'zh-CN': '已完成', km: 'បានបញ្ចប់' },
  blocked: { en: 'Blocked', 'zh-CN': '受阻', km: 'ជាប់គាំង' },
};

export function columnHeader(column: ItemColumn | IndicatorColumn, locale: Locale): string {
  return `${columnLabels[column][locale]} [${column}]`;
}

/** A column's name alone ("进度（%）"), for texts other than headers (calendar descriptions). */
export function columnLabel(column: ItemColumn | IndicatorColumn, locale: Locale): string {
  return columnLabels[column][locale];
}

export function statusLabel(status: ItemStatus, locale: Locale): string {
  return statusLabels[status][locale];
}

// ---------------------------------------------------------------------------------------------
// Writing the exports

export interface CsvIndicator {
  name: string;
  unit: string;
  baseline: number;
  target: number;
  actual: number | null;
}

export interface CsvItem {
  id: string;
  title: string;
  workstreamName: string;
  status: ItemStatus;
  leadOrg: OrganisationCode;
  start: string;
  end: string;
  progress: number;
  tags: string[];
  indicators: CsvIndicator[];
}

export function writeItemsCsv(items: readonly CsvItem[], locale: Locale): string {
  return writeCsv([
    itemColumns.map((column) => columnHeader(column, locale)),
    ...items.map((item) => [
      item.id,
      item.title,
      item.workstreamName,
      statusLabel(item.status, locale),
      item.leadOrg,
      item.start,
      item.end,
      item.progress,
      item.tags.join('; '),
    ]),
  ]);
}

export function writeIndicatorsCsv(items: readonly CsvItem[], locale: Locale): string {
  return writeCsv([
    indicatorColumns.map((column) => columnHeader(column, locale)),
    ...items.flatMap((item) =>
      item.indicators.map((indicator) => [
        item.id,
        item.title,
        item.workstreamName,
        indicator.name,
        indicator.unit,
        indicator.baseline,
        indicator.actual,
        indicator.target,
      ]),
    ),
  ]);
}

/** "coplan-htc-npia-2022-items-2026-11-27.csv": the plan and the day, safe in any file system. */
export function csvFileName(slug: string, kind: 'items' | 'indicators', day: string): string {
  return `${slug}-${kind}-${day}.csv`;
}

// ---------------------------------------------------------------------------------------------
// Reading an items file (import)

export const importLimits = {
  /** Bytes of one file: far above 500 rows of long titles, far below what hurts a phone. */
  bytes: 1024 * 1024,
  /** Rows of one import: one change may touch at most 1,000 entries (plan-document.ts). */
  rows: 500,
} as const;

export type CsvFileProblem =
  | { code: 'empty' }
  | { code: 'too_large'; limit: number }
  | { code: 'utf16' }
  | { code: 'not_utf8' }
  | { code: 'too_many_rows'; limit: number; rows: number }
  | { code: 'missing_columns'; columns: ItemColumn[] };

/**
 * The text of an uploaded file, or why it cannot be read. Only UTF-8 (with or without BOM) is
 * accepted: a UTF-16 file ("Unicode text" in Excel) or one in a legacy code page (GBK, ANSI)
 * would turn Chinese and Khmer into nonsense, so it is refused with a way out instead.
 */
export function decodeCsvBytes(
  bytes: Uint8Array,
): { ok: true; text: string } | { ok: false; problem: CsvFileProblem } {
  if (bytes.length > importLimits.bytes) {
    return { ok: false, problem: { code: 'too_large', limit: importLimits.bytes } };
  }
  if (bytes.length >= 2) {
    const [a, b] = [bytes[0], bytes[1]];
    if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
      return { ok: false, problem: { code: 'utf16' } };
    }
  }
  let text: string;
  try {
    // ignoreBOM: false (the default) drops a UTF-8 BOM.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problem: { code: 'not_utf8' } };
  }
  if (text.trim() === '') return { ok: false, problem: { code: 'empty' } };
  return { ok: true, text };
}

function normaliseHeader(text: string): string {
  return text.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Every way a column may be headed: its key, and its name in each language. */
const headerLookup = new Map<string, ItemColumn>();
for (const column of itemColumns) {
  headerLookup.set(column, column);
  for (const label of Object.values(columnLabels[column])) {
    headerLookup.set(normaliseHeader(label), column);
  }
}
// Names people type by hand, and the English words the table view shows.
headerLookup.set('lead', 'lead_organisation');
headerLookup.set('lead organization', 'lead_organisation');
headerLookup.set('progress', 'progress');
headerLookup.set('title', 'title');

/** The column a header names: "[key]" wins, then the whole text. */
export function matchItemHeader(header: string): ItemColumn | null {
  const bracket = /\[([a-z_]+)\]\s*$/i.exec(header.trim());
  if (bracket) {
    const key = bracket[1]!.toLowerCase();
    if ((itemColumns as readonly string[]).includes(key)) return key as ItemColumn;
  }
  return headerLookup.get(normaliseHeader(header)) ?? null;
}

const requiredColumns: ItemColumn[] = ['title', 'workstream', 'start', 'end'];

/** One data record of the file, by column, as text; `line` is its line in the file (1-based). */
export interface CsvItemRecord {
  line: number;
  cells: Partial<Record<ItemColumn, string>>;
  /** The record's fields did not match the header (a stray quote or comma, most often). */
  malformed: boolean;
}

/**
 * The records of an items file, by column. Unknown columns are ignored (an exported file's `id`
 * and `tags` included: an import always creates new activities).
 */
export function readItemsCsv(
  text: string,
): { ok: true; records: CsvItemRecord[] } | { ok: false; problem: CsvFileProblem } {
  const parsed = Papa.parse<string[]>(text.startsWith(byteOrderMark) ? text.slice(1) : text, {
    // Blank records are dropped below rather than by papaparse, so that indexes stay lines.
    skipEmptyLines: false,
    // Excel writes ";" where the decimal mark is a comma: let papaparse find the delimiter.
    delimitersToGuess: [',', ';', '\t'],
  });
  // Papaparse reports a row's problems by its index; a quote left open swallows the rest of the
  // file into one field, so that row is malformed.
  const badRows = new Set<number>();
  for (const error of parsed.errors) {
    if (typeof error.row === 'number') badRows.add(error.row);
  }
  const lines = lineNumbers(text);
  // Blank lines, and the ",,,," rows a spreadsheet writes for empty rows, are not records.
  const rows = parsed.data
    .map((fields, index) => ({ fields, index }))
    .filter(({ fields }) => fields.some((field) => field.trim() !== ''));
  const [header, ...body] = rows;
  if (!header) return { ok: false, problem: { code: 'empty' } };
  const columns = header.fields.map(matchItemHeader);
  const missing = requiredColumns.filter((column) => !columns.includes(column));
  if (missing.length > 0)
    return { ok: false, problem: { code: 'missing_columns', columns: missing } };
  if (body.length > importLimits.rows) {
    return {
      ok: false,
      problem: { code: 'too_many_rows', limit: importLimits.rows, rows: body.length },
    };
  }
  const records = body.map(({ fields, index }): CsvItemRecord => {
    const cells: CsvItemRecord['cells'] = {};
    columns.forEach((column, at) => {
      if (column && cells[column] === undefined) cells[column] = restoreFormula(fields[at] ?? '');
    });
    return {
      line: lines[index] ?? index + 1,
      cells,
      malformed: badRows.has(index) || fields.length !== header.fields.length,
    };
  });
  return { ok: true, records };
}

/**
 * The line each record starts on, for messages people can find in their editor: a quoted field
 * may hold line breaks, so the record index is not the line. Quotes toggle as RFC 4180 has them
 * ("" inside a quoted field toggles twice).
 */
function lineNumbers(text: string): number[] {
  const starts = [1];
  let line = 1;
  let inQuotes = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') inQuotes = !inQuotes;
    else if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) {
      line++;
      if (!inQuotes) starts.push(line);
    }
  }
  return starts;
}

// ---------------------------------------------------------------------------------------------
// Checking records against the plan

export type RowProblem =
  | { code: 'malformed' }
  | { code: 'missing_title' }
  | { code: 'title_too_long'; limit: number }
  | { code: 'missing_workstream' }
  | { code: 'unknown_workstream'; name: string }
  | { code: 'bad_date'; column: 'start' | 'end'; value: string }
  | { code: 'end_before_start' }
  | { code: 'unknown_status'; value: string }
  | { code: 'missing_organisation' }
  | { code: 'unknown_organisation'; value: string }
  | { code: 'bad_progress'; value: string };

/** What the importer does with a workstream name the plan lacks. */
export type WorkstreamChoice = { create: true } | { useId: string };

export interface ImportItem {
  title: string;
  /** An existing workstream's id, or the name of one the import creates. */
  workstream: { id: string } | { create: string };
  status: ItemStatus;
  leadOrg: OrganisationCode;
  start: string;
  end: string;
  progress: number;
}

export type ImportRow =
  | { line: number; title: string; ok: true; item: ImportItem }
  | { line: number; title: string; ok: false; problems: RowProblem[] };

export interface ImportContext {
  workstreams: readonly { id: string; name: string }[];
  /** For names the plan lacks, keyed by `workstreamKey(name)`. */
  choices?: Readonly<Record<string, WorkstreamChoice>>;
  /** Used when a row names no lead organisation (the importer's own, if they have one). */
  defaultLeadOrg?: OrganisationCode | null;
}

/** Workstream names match whatever their case and spacing. */
export function workstreamKey(name: string): string {
  return normaliseHeader(name);
}

const statusLookup = new Map<string, ItemStatus>();
for (const status of itemStatuses) {
  statusLookup.set(status, status);
  statusLookup.set(status.replace('_', ' '), status);
  for (const label of Object.values(statusLabels[status])) {
    statusLookup.set(normaliseHeader(label), status);
  }
}

/** YYYY-MM-DD, or what a spreadsheet makes of it when it saves again (2023/3/1, 2023-3-1). */
export function parseCsvDate(value: string): string | null {
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(value.trim());
  if (!match) return null;
  const [, year, month, day] = match;
  const iso = `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : null;
}

function parseProgress(value: string): number | null {
  const text = value.trim().replace(/\s*%$/, '');
  if (text === '') return 0;
  if (!/^\d{1,3}$/.test(text)) return null;
  const number = Number(text);
  return number <= 100 ? number : null;
}

/** Each record's verdict: the activity it will create, or every reason it cannot. */
export function checkImportRecords(
  records: readonly CsvItemRecord[],
  context: ImportContext,
): ImportRow[] {
  const byName = new Map(
    context.workstreams.map((workstream) => [workstreamKey(workstream.name), workstream.id]),
  );
  const knownIds = new Set(context.workstreams.map((workstream) => workstream.id));
  return records.map((record) => {
    const cell = (column: ItemColumn) => (record.cells[column] ?? '').trim();
    const problems: RowProblem[] = [];
    if (record.malformed) problems.push({ code: 'malformed' });

    const title = cell('title');
    if (title === '') problems.push({ code: 'missing_title' });
    else if (title.length > planLimits.itemTitleLength) {
      problems.push({ code: 'title_too_long', limit: planLimits.itemTitleLength });
    }

    let workstream: ImportItem['workstream'] | null = null;
    const workstreamName = cell('workstream');
    if (workstreamName === '') problems.push({ code: 'missing_workstream' });
    else {
      const key = workstreamKey(workstreamName);
      const known = byName.get(key);
      const choice = context.choices?.[key];
      if (known) workstream = { id: known };
      else if (choice && 'useId' in choice && knownIds.has(choice.useId)) {
        workstream = { id: choice.useId };
      } else if (choice && 'create' in choice) {
        workstream =
          workstreamName.length <= planLimits.workstreamNameLength
            ? { create: workstreamName }
            : null;
        if (!workstream) problems.push({ code: 'unknown_workstream', name: workstreamName });
      } else problems.push({ code: 'unknown_workstream', name: workstreamName });
    }

    const rawStatus = cell('status');
    const status = rawStatus === '' ? 'planned' : statusLookup.get(normaliseHeader(rawStatus));
    if (!status) problems.push({ code: 'unknown_status', value: rawStatus });

    const rawOrg = cell('lead_organisation');
    const leadOrg = rawOrg === '' ? (context.defaultLeadOrg ?? null) : organisationFrom(rawOrg);
    if (!leadOrg) {
      problems.push(
        rawOrg === ''
          ? { code: 'missing_organisation' }
          : { code: 'unknown_organisation', value: rawOrg },
      );
    }

    const start = parseCsvDate(cell('start'));
    const end = parseCsvDate(cell('end'));
    if (!start) problems.push({ code: 'bad_date', column: 'start', value: cell('start') });
    if (!end) problems.push({ code: 'bad_date', column: 'end', value: cell('end') });
    if (start && end && end < start) problems.push({ code: 'end_before_start' });

    const progress = parseProgress(cell('progress'));
    if (progress === null) problems.push({ code: 'bad_progress', value: cell('progress') });

    const shownTitle = title.slice(0, planLimits.itemTitleLength);
    if (problems.length > 0 || !workstream || !status || !leadOrg || !start || !end) {
      return { line: record.line, title: shownTitle, ok: false, problems };
    }
    return {
      line: record.line,
      title,
      ok: true,
      item: { title, workstream, status, leadOrg, start, end, progress: progress ?? 0 },
    };
  });
}

/** A code ("NPIA", any case) or an organisation's short name as the UI shows it ("CamHR"). */
function organisationFrom(value: string): OrganisationCode | null {
  const code = parseOrganisationCode(value);
  if (code) return code;
  const compact = value.trim().toUpperCase().replace(/\s+/g, '');
  return organisationCodes.find((candidate) => candidate === compact) ?? null;
}

/** The distinct workstream names the rows use that the plan lacks, as first written. */
export function unknownWorkstreams(
  records: readonly CsvItemRecord[],
  workstreams: readonly { name: string }[],
): string[] {
  const known = new Set(workstreams.map((workstream) => workstreamKey(workstream.name)));
  const seen = new Map<string, string>();
  for (const record of records) {
    const name = (record.cells.workstream ?? '').trim();
    const key = workstreamKey(name);
    if (name !== '' && !known.has(key) && !seen.has(key)) seen.set(key, name);
  }
  return [...seen.values()];
}

/**
 * Creates the checked rows' activities (and the workstreams they asked to create) in one
 * transaction with the caller's origin: other people see the import arrive whole, and one undo
 * takes it back. Limits are checked before anything is written, since a transaction cannot be
 * rolled back halfway.
 */
export function importItems(doc: Y.Doc, items: readonly ImportItem[], origin?: unknown): string[] {
  const plan = readPlan(doc);
  const newWorkstreams = new Set(
    items.flatMap((item) =>
      'create' in item.workstream ? [workstreamKey(item.workstream.create)] : [],
    ),
  );
  if (plan.workstreams.length + newWorkstreams.size > planLimits.workstreams) {
    throw new DomainError(
      'bad_request',
      `a plan has at most ${planLimits.workstreams} workstreams`,
    );
  }
  if (plan.items.length + items.length > planLimits.items) {
    throw new DomainError('bad_request', `a plan has at most ${planLimits.items} items`);
  }
  const created = new Map<string, string>();
  const ids: string[] = [];
  doc.transact(() => {
    for (const item of items) {
      let workstreamId: string;
      if ('id' in item.workstream) workstreamId = item.workstream.id;
      else {
        const key = workstreamKey(item.workstream.create);
        workstreamId =
          created.get(key) ?? createWorkstream(doc, { name: item.workstream.create }, origin);
        created.set(key, workstreamId);
      }
      const { title, status, leadOrg, start, end, progress } = item;
      ids.push(
        createItem(doc, { title, workstreamId, status, leadOrg, start, end, progress }, origin),
      );
    }
  }, origin);
  return ids;
}
