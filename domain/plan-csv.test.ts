import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import {
  checkImportRecords,
  columnHeader,
  decodeCsvBytes,
  importItems,
  importLimits,
  itemColumns,
  matchItemHeader,
  neutraliseFormula,
  parseCsvDate,
  readItemsCsv,
  restoreFormula,
  unknownWorkstreams,
  writeCsv,
  writeIndicatorsCsv,
  writeItemsCsv,
  type CsvItem,
  type CsvItemRecord,
} from './plan-csv';
import { createPlanUndoManager, createWorkstream, initialisePlan, readPlan } from './plan-document';

const encoder = new TextEncoder();

const items: CsvItem[] = [
  {
    id: 'item-1',
    title: '机器人培训, "第一期"',
    workstreamName: 'AI 与机器人',
    status: 'in_progress',
    leadOrg: 'HTC',
    start: '2022-03-01',
    end: '2022-06-30',
    progress: 40,
    tags: ['robotics', 'ToT'],
    indicators: [
      { name: 'Trainers certified', unit: 'people', baseline: 0, target: 20, actual: 8 },
      { name: 'Cost change', unit: 'USD', baseline: -5, target: -1.5, actual: null },
    ],
  },
  {
    id: 'item-2',
    title: 'ការបណ្ដុះបណ្ដាលគ្រូ\nថ្នាក់ទី ១',
    workstreamName: 'Training of trainers',
    status: 'planned',
    leadOrg: 'NPIA',
    start: '2022-07-01',
    end: '2022-07-31',
    progress: 0,
    tags: [],
    indicators: [],
  },
  {
    id: 'item-3',
    title: '=HYPERLINK("http://evil.example","click")',
    workstreamName: '+cmd',
    status: 'done',
    leadOrg: 'ILO',
    start: '2022-01-01',
    end: '2022-01-02',
    progress: 100,
    tags: ['@team'],
    indicators: [],
  },
];

function records(csv: string): CsvItemRecord[] {
  const read = readItemsCsv(csv);
  if (!read.ok) throw new Error(`unreadable: ${JSON.stringify(read.problem)}`);
  return read.records;
}

describe('writing CSV', () => {
  it('starts with a BOM, ends every record with CRLF and quotes as RFC 4180 says', () => {
    const csv = writeCsv([
      ['a', 'b,c', 'say "hi"'],
      ['line\nbreak', 1, null],
    ]);
    expect(csv).toBe('\uFEFFa,"b,c","say ""hi"""\r\n"line\nbreak",1,\r\n');
  });

  it('neutralises text cells a spreadsheet would run as a formula, not negative numbers', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(neutraliseFormula(`${start}1+1`)).toBe(`'${start}1+1`);
    }
    expect(writeCsv([['=1+1', -5, '-5', 'safe']])).toBe("\uFEFF'=1+1,-5,'-5,safe\r\n");
    // A cell with a CR must also be quoted after neutralising.
    expect(writeCsv([['\rx']])).toBe('\uFEFF"\'\rx"\r\n');
  });

  it("marks an existing leading ' before a formula too, so reading back is exact", () => {
    for (const text of ['=x', "'=x", "''@x", "'plain", 'plain', '-', "'"]) {
      expect(restoreFormula(neutraliseFormula(text))).toBe(text);
    }
  });

  it('writes the items with headers in the chosen language plus a stable key', () => {
    const csv = writeItemsCsv(items, 'zh-CN');
    const [header, first] = csv.slice(1).split('\r\n');
    expect(header).toBe(
      '编号 [id],活动 [title],工作领域 [workstream],状态 [status],牵头单位 [lead_organisation],开始 [start],结束 [end],进度（%） [progress],标签 [tags]',
    );
    expect(first).toBe(
      'item-1,"机器人培训, ""第一期""",AI 与机器人,进行中,HTC,2022-03-01,2022-06-30,40,robotics; ToT',
    );
    expect(csv).toContain('\'=HYPERLINK(""http://evil.example"",""click"")');
    expect(csv).toContain("'+cmd");
    expect(csv).toContain("'@team");
  });

  it('writes one indicator a row, negative and missing values as numbers and blanks', () => {
    const csv = writeIndicatorsCsv(items, 'km');
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toContain('សូចនាករ [indicator]');
    expect(lines[1]).toBe(
      'item-1,"机器人培训, ""第一期""",AI 与机器人,Trainers certified,people,0,8,20',
    );
    expect(lines[2]).toBe('item-1,"机器人培训, ""第一期""",AI 与机器人,Cost change,USD,-5,,-1.5');
    expect(lines).toHaveLength(4); // header, two indicators, and the empty string after the last CRLF
  });
});

describe('reading an items file', () => {
  const workstreams = [
    { id: 'ws-ai', name: 'AI 与机器人' },
    { id: 'ws-tot', name: 'Training of trainers' },
    { id: 'ws-cmd', name: '+cmd' },
  ];

  it.each(['en', 'zh-CN', 'km'] as const)('reads back its own export in %s', (locale) => {
    const rows = checkImportRecords(records(writeItemsCsv(items, locale)), { workstreams });
    expect(rows.map((row) => row.ok)).toEqual([true, true, true]);
    expect(rows.map((row) => row.ok && row.item)).toEqual([
      {
        title: '机器人培训, "第一期"',
        workstream: { id: 'ws-ai' },
        status: 'in_progress',
        leadOrg: 'HTC',
        start: '2022-03-01',
        end: '2022-06-30',
        progress: 40,
      },
      {
        title: 'ការបណ្ដុះបណ្ដាលគ្រូ\nថ្នាក់ទី ១',
        workstream: { id: 'ws-tot' },
        status: 'planned',
        leadOrg: 'NPIA',
        start: '2022-07-01',
        end: '2022-07-31',
        progress: 0,
      },
      {
        title: '=HYPERLINK("http://evil.example","click")',
        workstream: { id: 'ws-cmd' },
        status: 'done',
        leadOrg: 'ILO',
        start: '2022-01-01',
        end: '2022-01-02',
        progress: 100,
      },
    ]);
    // The record after a quoted line break starts on the line after it.
    expect(rows.map((row) => row.line)).toEqual([2, 3, 5]);
  });

  it('recognises headers by stable key, by any language and by "label [key]"', () => {
    expect(matchItemHeader('title')).toBe('title');
    expect(matchItemHeader('  Lead Organisation ')).toBe('lead_organisation');
    expect(matchItemHeader('ផ្នែកការងារ')).toBe('workstream');
    expect(matchItemHeader('状态')).toBe('status');
    expect(matchItemHeader('Whatever [end]')).toBe('end');
    expect(matchItemHeader('Budget')).toBeNull();
    for (const column of itemColumns) {
      expect(matchItemHeader(columnHeader(column, 'km'))).toBe(column);
    }
  });

  it('says which required columns are missing', () => {
    expect(readItemsCsv('title,start\r\nA,2022-01-01\r\n')).toEqual({
      ok: false,
      problem: { code: 'missing_columns', columns: ['workstream', 'end'] },
    });
  });

  it('reads semicolon-separated files, LF line ends and skips blank rows', () => {
    const csv =
      'title;workstream;start;end;lead_organisation\n\nA;AI 与机器人;2022-01-01;2022-01-02;htc\n;;;;\n';
    const rows = checkImportRecords(records(csv), { workstreams });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ok: true, line: 3, item: { leadOrg: 'HTC', title: 'A' } });
  });

  it('gives every problem of a row, with its line', () => {
    const csv = [
      'title,workstream,status,lead_organisation,start,end,progress',
      ',Unknown stream,finished,XYZ,2022-02-30,1/3/2022,150',
      `${'长'.repeat(201)},AI 与机器人,Done,HTC,2022-05-01,2022-04-01,-1`,
      'OK row,AI 与机器人,已完成,npia,2022/5/1,2022-5-3,50%',
    ].join('\r\n');
    const rows = checkImportRecords(records(csv), { workstreams });
    expect(rows[0]).toEqual({
      line: 2,
      title: '',
      ok: false,
      problems: [
        { code: 'missing_title' },
        { code: 'unknown_workstream', name: 'Unknown stream' },
        { code: 'unknown_status', value: 'finished' },
        { code: 'unknown_organisation', value: 'XYZ' },
        { code: 'bad_date', column: 'start', value: '2022-02-30' },
        { code: 'bad_date', column: 'end', value: '1/3/2022' },
        { code: 'bad_progress', value: '150' },
      ],
    });
    expect(rows[1]).toMatchObject({
      line: 3,
      ok: false,
      problems: [
        { code: 'title_too_long', limit: 200 },
        { code: 'end_before_start' },
        { code: 'bad_progress', value: '-1' },
      ],
    });
    expect(rows[2]).toMatchObject({
      ok: true,
      item: {
        status: 'done',
        leadOrg: 'NPIA',
        start: '2022-05-01',
        end: '2022-05-03',
        progress: 50,
      },
    });
  });

  it('uses the default lead organisation for an empty cell, and refuses without one', () => {
    const csv = 'title,workstream,start,end\r\nA,AI 与机器人,2022-01-01,2022-01-01\r\n';
    expect(
      checkImportRecords(records(csv), { workstreams, defaultLeadOrg: 'NPIA' })[0],
    ).toMatchObject({
      ok: true,
      item: { leadOrg: 'NPIA' },
    });
    expect(checkImportRecords(records(csv), { workstreams })[0]).toMatchObject({
      ok: false,
      problems: [{ code: 'missing_organisation' }],
    });
  });

  it('offers unknown workstreams once each, and applies the choice made for them', () => {
    const csv = [
      'title,workstream,lead_organisation,start,end',
      'A,New stream,HTC,2022-01-01,2022-01-02',
      'B,new  STREAM,HTC,2022-01-01,2022-01-02',
      'C,Other,HTC,2022-01-01,2022-01-02',
    ].join('\n');
    const read = records(csv);
    expect(unknownWorkstreams(read, workstreams)).toEqual(['New stream', 'Other']);
    const rows = checkImportRecords(read, {
      workstreams,
      choices: { 'new stream': { create: true }, other: { useId: 'ws-tot' } },
    });
    expect(rows.map((row) => row.ok && row.item.workstream)).toEqual([
      { create: 'New stream' },
      { create: 'new  STREAM' },
      { id: 'ws-tot' },
    ]);
  });

  it('marks a row with an unclosed quote or the wrong number of fields as malformed', () => {
    const csv = [
      'title,workstream,lead_organisation,start,end',
      'Good,AI 与机器人,HTC,2022-01-01,2022-01-02',
      'Extra,AI 与机器人,HTC,2022-01-01,2022-01-02,surplus',
      '"Open quote,AI 与机器人,HTC,2022-01-01,2022-01-02',
    ].join('\r\n');
    const rows = checkImportRecords(records(csv), { workstreams });
    expect(rows[0]!.ok).toBe(true);
    expect(rows[1]).toMatchObject({ ok: false, problems: [{ code: 'malformed' }] });
    expect(rows[2]).toMatchObject({ ok: false });
    expect(rows[2]!.ok || rows[2]!.problems[0]).toEqual({ code: 'malformed' });
  });

  it('refuses more rows than the limit with the count', () => {
    const body = Array.from(
      { length: importLimits.rows + 1 },
      (_, i) => `T${i},W,2022-01-01,2022-01-01`,
    );
    expect(readItemsCsv(['title,workstream,start,end', ...body].join('\n'))).toEqual({
      ok: false,
      problem: { code: 'too_many_rows', limit: importLimits.rows, rows: importLimits.rows + 1 },
    });
  });
});

describe('decoding the file', () => {
  it('accepts UTF-8 with and without BOM', () => {
    expect(decodeCsvBytes(encoder.encode('\uFEFFtitle\n活动'))).toEqual({
      ok: true,
      text: 'title\n活动',
    });
    expect(decodeCsvBytes(encoder.encode('title\nសកម្មភាព'))).toEqual({
      ok: true,
      text: 'title\nសកម្មភាព',
    });
  });

  it('refuses UTF-16 (either byte order), invalid UTF-8 (GBK), empty and oversize files', () => {
    expect(decodeCsvBytes(new Uint8Array([0xff, 0xfe, 0x74, 0x00]))).toEqual({
      ok: false,
      problem: { code: 'utf16' },
    });
    expect(decodeCsvBytes(new Uint8Array([0xfe, 0xff, 0x00, 0x74]))).toEqual({
      ok: false,
      problem: { code: 'utf16' },
    });
    // "活动" in GBK.
    expect(decodeCsvBytes(new Uint8Array([0xbb, 0xee, 0xb6, 0xaf]))).toEqual({
      ok: false,
      problem: { code: 'not_utf8' },
    });
    expect(decodeCsvBytes(encoder.encode(' \r\n'))).toEqual({
      ok: false,
      problem: { code: 'empty' },
    });
    expect(decodeCsvBytes(new Uint8Array(importLimits.bytes + 1))).toEqual({
      ok: false,
      problem: { code: 'too_large', limit: importLimits.bytes },
    });
  });

  it('reads dates as a spreadsheet may have re-saved them, and refuses ambiguous ones', () => {
    expect(parseCsvDate('2022-3-1')).toBe('2022-03-01');
    expect(parseCsvDate('2022/03/01')).toBe('2022-03-01');
    expect(parseCsvDate('01/03/2022')).toBeNull();
    expect(parseCsvDate('2023-02-29')).toBeNull();
  });
});

describe('importing into the plan document', () => {
  function plan() {
    const doc = new Y.Doc();
    initialisePlan(doc, { title: 'Plan', periodStart: '2022-01-01', periodEnd: '2023-12-31' });
    const ws = createWorkstream(doc, { name: 'AI 与机器人' });
    return { doc, ws };
  }

  it('creates the items and new workstreams in one transaction, undone at once', () => {
    const { doc, ws } = plan();
    const undo = createPlanUndoManager(doc);
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const base = {
      status: 'planned',
      leadOrg: 'HTC',
      start: '2022-01-01',
      end: '2022-01-02',
      progress: 0,
    } as const;
    const ids = importItems(doc, [
      { ...base, title: 'One', workstream: { id: ws } },
      { ...base, title: 'Two', workstream: { create: 'New stream' } },
      { ...base, title: 'Three', workstream: { create: 'new stream' } },
    ]);
    expect(transactions).toBe(1);
    const view = readPlan(doc);
    expect(view.items.map((item) => item.title)).toEqual(['One', 'Two', 'Three']);
    expect(view.workstreams.map((w) => w.name)).toEqual(['AI 与机器人', 'New stream']);
    expect(ids).toHaveLength(3);
    undo.undo();
    expect(readPlan(doc).items).toEqual([]);
    expect(readPlan(doc).workstreams).toHaveLength(1);
  });

  it('writes nothing when the plan would exceed its limits', () => {
    const { doc } = plan();
    const rows = Array.from({ length: 100 }, (_, i) => ({
      title: `T${i}`,
      workstream: { create: `W${i}` },
      status: 'planned' as const,
      leadOrg: 'HTC' as const,
      start: '2022-01-01',
      end: '2022-01-01',
      progress: 0,
    }));
    expect(() => importItems(doc, rows)).toThrow(/at most 100 workstreams/);
    expect(readPlan(doc).items).toEqual([]);
  });
});

describe('the largest import', () => {
  it('fits one sync message and one change’s entry limit', () => {
    const doc = new Y.Doc();
    initialisePlan(doc, { title: 'Plan', periodStart: '2022-01-01', periodEnd: '2023-12-31' });
    const before = Y.encodeStateVector(doc);
    const title = 'ការបណ្ដុះបណ្ដាលគ្រូ'.repeat(20).slice(0, 200);
    let update: Uint8Array | null = null;
    doc.on('update', (bytes: Uint8Array) => (update = bytes));
    importItems(
      doc,
      Array.from({ length: importLimits.rows }, (_, index) => ({
        title,
        workstream: { create: `Workstream ${index % 99}` },
        status: 'planned' as const,
        leadOrg: 'NPIA' as const,
        start: '2022-01-01',
        end: '2022-12-31',
        progress: 0,
      })),
    );
    const size = (update as Uint8Array | null)?.length ?? 0;
    expect(Y.encodeStateAsUpdate(doc, before).length).toBe(size);
    // The server refuses sync messages over 1 MiB (server/http/coplan-server.ts).
    expect(size).toBeLessThan(1024 * 1024);
    // Measured: 507,697 bytes for 500 rows of 200 Khmer characters each.
  });
});
