/**
 * The roster as an Excel workbook: one column layout shared by the import template, the export and the error
 * file, so that an export re-imports. Reading is xlsx-reader.ts; writing streams through exceljs. No business
 * rules here: cells in, cells out.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  EDUCATIONS,
  ETHNICITIES,
  GENDERS,
  MEMBER_CATEGORIES,
  MEMBER_STATUSES,
  type MemberCategory,
  type MemberStatus,
} from '../../../shared/members.js';
import type { Cell, ParsedSheet } from './xlsx-reader.js';

export const CATEGORY_LABELS: Record<MemberCategory, string> = { full: '正式党员', probationary: '预备党员' };
export const STATUS_LABELS: Record<MemberStatus, string> = {
  normal: '正常',
  floating: '流动党员',
  abroad: '出国(境)',
  suspended: '停止党籍',
  left: '出党',
  deceased: '去世',
  transferred_out: '已转出',
};

export type ColumnKey =
  | 'name'
  | 'gender'
  | 'ethnicity'
  | 'birthDate'
  | 'idNumber'
  | 'phone'
  | 'education'
  | 'unit'
  | 'title'
  | 'org'
  | 'category'
  | 'joinedAt'
  | 'fullAt'
  | 'status';

export interface ColumnDef {
  key: ColumnKey;
  title: string;
  required: boolean;
  width: number;
  /** drop-down values (the org list is per caller) */
  options?: readonly string[];
  note: string;
}

export const COLUMNS: readonly ColumnDef[] = [
  { key: 'name', title: '姓名', required: true, width: 10, note: '2–30 个字符' },
  {
    key: 'gender',
    title: '性别',
    required: true,
    width: 6,
    options: GENDERS,
    note: '男 / 女；须与身份证号第 17 位一致',
  },
  {
    key: 'ethnicity',
    title: '民族',
    required: true,
    width: 10,
    options: ETHNICITIES,
    note: '56 个民族的规范名称（GB/T 3304），如“汉族”“彝族”',
  },
  {
    key: 'birthDate',
    title: '出生日期',
    required: true,
    width: 12,
    note: 'YYYY-MM-DD（也接受 1990/1/1、19900101 或 Excel 日期）；须与身份证号中的出生日期一致',
  },
  {
    key: 'idNumber',
    title: '身份证号',
    required: true,
    width: 21,
    note: '18 位，末位校验码按 GB 11643；请以文本填写（Excel 会把长数字四舍五入）。平台按身份证号识别党员：本组织已有的党员将被更新',
  },
  { key: 'phone', title: '手机号', required: false, width: 13, note: '选填；11 位手机号码' },
  { key: 'education', title: '学历', required: false, width: 10, options: EDUCATIONS, note: '选填；从下拉列表选择' },
  { key: 'unit', title: '工作单位', required: false, width: 24, note: '选填；不超过 100 个字符' },
  { key: 'title', title: '职务', required: false, width: 12, note: '选填；不超过 50 个字符' },
  {
    key: 'org',
    title: '所在党组织',
    required: true,
    width: 32,
    note: '下拉列表中的党组织名称，或党组织编号（数字）；只能填写您有权管理的党组织。重名的党组织写作“名称 #编号”',
  },
  {
    key: 'category',
    title: '党员类别',
    required: true,
    width: 10,
    options: MEMBER_CATEGORIES.map((c) => CATEGORY_LABELS[c]),
    note: '正式党员 / 预备党员',
  },
  {
    key: 'joinedAt',
    title: '入党日期',
    required: true,
    width: 12,
    note: 'YYYY-MM-DD；不早于 18 周岁生日，不晚于今天',
  },
  {
    key: 'fullAt',
    title: '转正日期',
    required: false,
    width: 12,
    note: '正式党员必填，预备党员留空；须晚于入党日期',
  },
  {
    key: 'status',
    title: '状态',
    required: false,
    width: 10,
    options: MEMBER_STATUSES.map((s) => STATUS_LABELS[s]),
    note: '选填，默认“正常”',
  },
];

export const DATA_SHEET = '党员名册';
const NOTES_SHEET = '填写说明';
const OPTIONS_SHEET = '选项';
export const ERRORS_COLUMN_TITLE = '错误原因';

export type { Cell, ParsedSheet, SheetRow } from './xlsx-reader.js';
export { readFirstSheet } from './xlsx-reader.js';

/** A header title as typed, without a required-field marker: "* 姓名", "姓名*", "姓名（必填）" → 姓名. */
export function normaliseTitle(t: string): string {
  return t
    .replace(/[（(]\s*必填\s*[)）]/g, '')
    .replace(/[*＊\s]/g, '')
    .trim();
}

// ---- writing -------------------------------------------------------------------------------------------------------

async function streamWorkbook(fill: (wb: ExcelJS.stream.xlsx.WorkbookWriter) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '党建平台';
  wb.created = new Date();
  await fill(wb);
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFC00000' } };
const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FFFFFFFF' } };
export const ERROR_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFF0000' } };

function colLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/**
 * The roster workbook: the data sheet (header row, text-formatted columns so long numbers survive, drop-down
 * lists), the field notes, and a hidden sheet holding the drop-down values (the org list can be long).
 * `rows` are already in COLUMNS order.
 */
export async function rosterWorkbook(
  orgLabels: readonly string[],
  rows: readonly (string | null)[][],
): Promise<Buffer> {
  return streamWorkbook(async (wb) => {
    const ws = wb.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = COLUMNS.map((c) => ({ key: c.key, width: c.width, style: { numFmt: '@' } }));
    const lastRow = Math.max(rows.length + 1000, 5000);
    // exceljs writes data validations over ranges but its typings omit the property
    const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } })
      .dataValidations;
    const lists: { title: string; values: readonly string[] }[] = [];
    COLUMNS.forEach((c, i) => {
      const values = c.key === 'org' ? orgLabels : c.options;
      if (!values || values.length === 0) return;
      const listCol = colLetter(lists.length + 1);
      lists.push({ title: c.title, values });
      const col = colLetter(i + 1);
      validations.add(`${col}2:${col}${lastRow}`, {
        type: 'list',
        allowBlank: !c.required,
        formulae: [`'${OPTIONS_SHEET}'!$${listCol}$2:$${listCol}$${values.length + 1}`],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: c.title,
        error: `请从下拉列表中选择${c.title}`,
      });
    });
    const header = ws.addRow(COLUMNS.map((c) => c.title));
    header.eachCell((cell) => {
      cell.fill = HEADER_FILL;
      cell.font = HEADER_FONT;
    });
    header.commit();
    for (const r of rows) ws.addRow(r).commit();
    ws.commit();

    const notes = wb.addWorksheet(NOTES_SHEET);
    notes.columns = [{ width: 14 }, { width: 10 }, { width: 90 }];
    const nh = notes.addRow(['列名', '是否必填', '填写要求']);
    nh.font = { bold: true };
    nh.commit();
    for (const c of COLUMNS) notes.addRow([c.title, c.required ? '必填' : '选填', c.note]).commit();
    notes.addRow([]).commit();
    for (const line of [
      '每行一名党员，从第 2 行开始填写；请勿修改第 1 行的列名。',
      '导入前可先“预检”：系统逐行逐列列出全部问题，表格无误后才会一次性全部导入（全部成功或全部不导入）。',
      '按身份证号识别党员：本组织已有的党员按本表更新（选填项留空即清空），未变化的不做任何修改；已在其他党组织的党员请走组织关系转接。',
      '导出的名册与本模板列相同，可直接修改后再导入。',
    ]) {
      notes.addRow([line]).commit();
    }
    notes.commit();

    const opts = wb.addWorksheet(OPTIONS_SHEET, { state: 'hidden' });
    const height = Math.max(0, ...lists.map((l) => l.values.length));
    opts.addRow(lists.map((l) => l.title)).commit();
    for (let i = 0; i < height; i++) opts.addRow(lists.map((l) => l.values[i] ?? null)).commit();
    opts.commit();
  });
}

export interface CellProblem {
  row: number;
  /** 0-based column index in the uploaded sheet, or null for the row as a whole */
  col: number | null;
  message: string;
}

/**
 * The uploaded sheet back, every cell as uploaded (as text), with the bad cells filled red, the reasons as the
 * cell's comment, and a last column 错误原因 listing every reason of the row.
 */
export async function errorsWorkbook(sheet: ParsedSheet, problems: readonly CellProblem[]): Promise<Buffer> {
  const byRow = new Map<number, CellProblem[]>();
  for (const p of problems) {
    const list = byRow.get(p.row) ?? [];
    list.push(p);
    byRow.set(p.row, list);
  }
  const width = sheet.rows.reduce((w, r) => Math.max(w, r.cells.length), sheet.header.length);
  const text = (c: Cell | undefined): string | null => {
    if (c === null || c === undefined) return null;
    if (c instanceof Date) return c.toISOString().slice(0, 10);
    return String(c);
  };
  const titleOf = (col: number | null) => (col === null ? '' : `${sheet.header[col] || colLetter(col + 1)}：`);
  return streamWorkbook(async (wb) => {
    const ws = wb.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      ...Array.from({ length: width }, () => ({ width: 14, style: { numFmt: '@' } })),
      { width: 60, style: { numFmt: '@' } },
    ];
    const writeRow = (rowNo: number, values: (string | null)[]) => {
      const row = ws.getRow(rowNo);
      const mine = byRow.get(rowNo) ?? [];
      values.forEach((v, i) => {
        row.getCell(i + 1).value = v;
      });
      const marked = new Map<number, string[]>();
      for (const p of mine) {
        if (p.col === null) continue;
        const list = marked.get(p.col) ?? [];
        list.push(p.message);
        marked.set(p.col, list);
      }
      for (const [col, messages] of marked) {
        const cell = row.getCell(col + 1);
        cell.fill = ERROR_FILL;
        cell.note = messages.join('\n');
      }
      if (mine.length > 0) {
        const reasons = row.getCell(width + 1);
        const joined = mine.map((p) => `${titleOf(p.col)}${p.message}`).join('；');
        // the header row keeps its title in front of its own problems (missing columns)
        reasons.value = rowNo === 1 ? `${ERRORS_COLUMN_TITLE}：${joined}` : joined;
        reasons.fill = ERROR_FILL;
      }
      row.commit();
    };
    const header = [...Array.from({ length: width }, (_, i) => sheet.header[i] ?? null)];
    writeRow(1, [...header, ERRORS_COLUMN_TITLE]);
    for (const r of sheet.rows) {
      writeRow(
        r.row,
        Array.from({ length: width }, (_, i) => text(r.cells[i])),
      );
    }
    ws.commit();
  });
}
