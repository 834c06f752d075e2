/**
 * Question bank import from .xlsx, like the roster import: the upload checks of members.upload.ts, the streaming
 * reader xlsx-reader.ts, every row checked first with errors naming the row and column, and nothing written
 * unless every row is good (all rows in one transaction). The template is written with exceljs.
 */
import ExcelJS from 'exceljs';
import type { ImportRowError, QuestionInput, QuestionType } from '../../../shared/learning.js';
import type { Executor } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { type Cell, readFirstSheet, XlsxError } from '../members/xlsx-reader.js';
import { checkQuestion, createQuestion } from './quiz.service.js';

export const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const COLUMNS = ['题型', '题干', ...OPTION_LETTERS.map((l) => `选项${l}`), '答案', '解析', '专题'] as const;
export const SHEET = '题库';
const MAX_ROWS = 5000;

const TYPE_NAMES: Record<string, QuestionType> = {
  单选: 'single',
  单选题: 'single',
  单项选择: 'single',
  单项选择题: 'single',
  多选: 'multiple',
  多选题: 'multiple',
  多项选择: 'multiple',
  多项选择题: 'multiple',
  判断: 'true_false',
  判断题: 'true_false',
  single: 'single',
  multiple: 'multiple',
  true_false: 'true_false',
};
const TRUE_WORDS = ['正确', '对', '√', '是', 'T', 'TRUE', 'Y'];
const FALSE_WORDS = ['错误', '错', '×', '否', 'F', 'FALSE', 'N'];

const text = (c: Cell | undefined) =>
  c === null || c === undefined ? '' : c instanceof Date ? c.toISOString().slice(0, 10) : String(c).trim();

export interface QuestionPlan {
  rows: number;
  errors: ImportRowError[];
  questions: { row: number; input: QuestionInput }[];
}

export function planQuestionImport(buf: Buffer, orgId: number): QuestionPlan {
  let sheet: ReturnType<typeof readFirstSheet>;
  try {
    sheet = readFirstSheet(buf);
  } catch (e) {
    if (e instanceof XlsxError)
      throw new AppError(400, 'invalid_file', `file: the workbook cannot be read (${e.message})`, 'file');
    throw e;
  }
  const header = sheet.header.map((h) => String(h ?? '').trim());
  const col = (name: string) => header.indexOf(name);
  const missing = ['题型', '题干', '答案'].filter((c) => col(c) < 0);
  if (missing.length) {
    throw new AppError(
      400,
      'validation',
      `file: the sheet lacks the column(s) ${missing.join('、')} (use the template)`,
      'file',
    );
  }
  const rows = sheet.rows.filter((r) => r.cells.some((c) => text(c) !== ''));
  if (rows.length > MAX_ROWS)
    throw new AppError(413, 'too_many', `file: more than ${MAX_ROWS} questions in one import`, 'file');
  const errors: ImportRowError[] = [];
  const questions: QuestionPlan['questions'] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const get = (name: string) => (col(name) < 0 ? '' : text(r.cells[col(name)]));
    const err = (column: string, message: string) => errors.push({ row: r.row, column, message });
    const before = errors.length;
    const type = TYPE_NAMES[get('题型')];
    if (!type) err('题型', `“${get('题型')}” is not 单选 / 多选 / 判断`);
    const stem = get('题干');
    if (stem.length < 2) err('题干', 'is required');
    else if (stem.length > 2000) err('题干', 'is longer than 2000 characters');
    else if (seen.has(stem)) err('题干', `repeats row ${seen.get(stem)}`);
    else seen.set(stem, r.row);
    const options: string[] = [];
    let gap = false;
    for (const l of OPTION_LETTERS) {
      const v = get(`选项${l}`);
      if (v === '') gap = true;
      else if (gap && type !== 'true_false') err(`选项${l}`, 'follows an empty option');
      else options.push(v);
    }
    const raw = get('答案')
      .toUpperCase()
      .replace(/[\s,，、;；]/g, '');
    let answer: number[] = [];
    if (raw === '') err('答案', 'is required');
    else if (type === 'true_false') {
      if (TRUE_WORDS.includes(raw)) answer = [0];
      else if (FALSE_WORDS.includes(raw)) answer = [1];
      else err('答案', `“${get('答案')}” is not 正确 / 错误`);
    } else if (type) {
      for (const ch of raw) {
        const i = OPTION_LETTERS.indexOf(ch as (typeof OPTION_LETTERS)[number]);
        if (i < 0) {
          err('答案', `“${ch}” is not an option letter A–F`);
          answer = [];
          break;
        }
        answer.push(i);
      }
    }
    if (type && errors.length === before) {
      try {
        checkQuestion(type, type === 'true_false' ? undefined : options, answer, (f) => f);
      } catch (e) {
        const m = e instanceof AppError ? e.message.replace(/^\w+: /, '') : String(e);
        err(e instanceof AppError && e.field === 'options' ? '选项A' : '答案', m);
      }
    }
    const explanation = get('解析');
    if (explanation.length > 2000) err('解析', 'is longer than 2000 characters');
    const topics = get('专题')
      .split(/[,，、;；]/)
      .map((t) => t.trim())
      .filter(Boolean);
    if (topics.some((t) => t.length > 40)) err('专题', 'a topic is longer than 40 characters');
    if (errors.length === before && type) {
      questions.push({
        row: r.row,
        input: {
          orgId,
          type,
          stem,
          options: type === 'true_false' ? undefined : options,
          answer,
          explanation,
          topics: topics.slice(0, 10),
        },
      });
    }
  }
  if (!rows.length) errors.push({ row: 2, column: '题干', message: 'the sheet has no questions' });
  return { rows: rows.length, errors, questions };
}

export async function commitQuestionImport(
  trx: Executor,
  plan: QuestionPlan,
  actor: string,
  now: Date,
): Promise<number> {
  for (const q of plan.questions) await createQuestion(trx, q.input, actor, now);
  return plan.questions.length;
}

export async function templateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(SHEET);
  ws.addRow([...COLUMNS]);
  ws.getRow(1).font = { bold: true };
  ws.addRow([
    '单选',
    '党的最高领导机关是什么？',
    '党的全国代表大会和它所产生的中央委员会',
    '中央政治局',
    '中央书记处',
    '中央军事委员会',
    '',
    '',
    'A',
    '党章第十条：党的最高领导机关，是党的全国代表大会和它所产生的中央委员会。',
    '党章党规',
  ]);
  ws.addRow(['判断', '预备党员的预备期为一年。', '', '', '', '', '', '', '正确', '党章第七条。', '党章党规']);
  ws.columns.forEach((c, i) => {
    c.width = i === 1 ? 40 : i === 9 ? 40 : 14;
  });
  const help = wb.addWorksheet('说明');
  for (const line of [
    '题型：单选 / 多选 / 判断',
    '选项：单选、多选填写 选项A 起连续的 2–6 个选项；判断题不填',
    '答案：单选如 A；多选如 ABD；判断填 正确 或 错误',
    '专题：多个专题用顿号或逗号分隔',
    '导入时逐行检查，有任何错误则不导入任何题目。',
  ]) {
    help.addRow([line]);
  }
  help.getColumn(1).width = 70;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
