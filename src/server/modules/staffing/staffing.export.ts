/** The staffing view as an .xlsx workbook: Chinese headers, one row per organisation (worst first), a 合计 row. */
import ExcelJS from 'exceljs';
import type { StaffingView } from '../../../shared/staffing.js';

export const STAFFING_HEADERS = [
  '组织名称',
  '组织类别',
  '上级组织',
  '专职编制',
  '专职在岗',
  '兼职人数',
  '仅有兼职',
  '空缺编制',
  '无专职干部',
] as const;

const KIND_LABEL: Record<string, string> = { committee: '党委', general_branch: '党总支', branch: '党支部' };
const yesNo = (b: boolean) => (b ? '是' : '否');

export async function staffingWorkbook(view: StaffingView, title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '党建平台';
  wb.created = new Date();
  const ws = wb.addWorksheet('党务干部配备');
  ws.columns = [
    { width: 44 },
    { width: 10 },
    { width: 36 },
    { width: 10 },
    { width: 10 },
    { width: 10 },
    { width: 10 },
    { width: 10 },
    { width: 12 },
  ];
  const header = ws.addRow([...STAFFING_HEADERS]);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF5E6E6' } };
  for (const r of view.rows) {
    const row = ws.addRow([
      r.orgName,
      KIND_LABEL[r.kind] ?? r.kind,
      r.parentName ?? '',
      r.authorised,
      r.filledFullTime,
      r.partTime,
      yesNo(r.partTimeOnly),
      r.vacant,
      yesNo(r.noFullTime),
    ]);
    if (r.vacant > 0) row.getCell(8).font = { bold: true, color: { argb: 'FFC00000' } };
  }
  const s = view.summary;
  const total = ws.addRow([
    `合计（${s.orgs} 个组织；无专职干部 ${s.withoutFullTime} 个，占 ${(s.shareWithoutFullTime * 100).toFixed(1)}%）`,
    '',
    title,
    s.authorised,
    s.filledFullTime,
    view.rows.reduce((n, r) => n + r.partTime, 0),
    s.partTimeOnly,
    s.vacant,
    s.withoutFullTime,
  ]);
  total.font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: STAFFING_HEADERS.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
