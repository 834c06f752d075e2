/**
 * The printable introduction letter (中国共产党党员组织关系介绍信) in its usual three parts: the stub kept by the
 * sender (存根), the letter itself, and the receipt (回执) the receiving side sends back. Plain HTML with print CSS
 * and no script (the CSP forbids inline script); the ID number appears only masked. Every value is escaped.
 */
import { todayInShanghai } from '../../../shared/dates.js';
import type { LetterMember } from './transfers.repository.js';

export interface LetterTransfer {
  letter_no: string | null;
  from_org_name: string;
  to_org_name: string | null;
  external_org_name: string | null;
  dues_paid_until: string | null;
  valid_days: number | null;
  started_at: string;
}

/** Prefix of the serial number （川科组）字第 … 号. */
export const LETTER_PREFIX = '川科组';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string | number | null | undefined) => String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]!);

/** Whole years between a birth date and a date (both YYYY-MM-DD). */
export function ageOn(birthDate: string | null, on: string): number | null {
  if (!birthDate) return null;
  let age = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (on.slice(5) < birthDate.slice(5)) age--;
  return age;
}

const cnDate = (d: string) => `${Number(d.slice(0, 4))} 年 ${Number(d.slice(5, 7))} 月 ${Number(d.slice(8, 10))} 日`;

const u = (v: string | number | null | undefined, cls = '') =>
  `<span class="u${cls ? ` ${cls}` : ''}">${v === null || v === undefined || v === '' ? '&nbsp;' : esc(v)}</span>`;

const CSS = `
@page { size: A4 portrait; margin: 15mm 18mm; }
* { box-sizing: border-box; }
body { margin: 0; background: #f2f2f2; color: #000;
  font-family: "FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; }
.sheet { width: 190mm; margin: 8mm auto; background: #fff; padding: 10mm 14mm; box-shadow: 0 0 4px rgba(0,0,0,.2); }
.hint { width: 190mm; margin: 6mm auto 0; font: 13px/1.5 sans-serif; color: #555; }
h1 { margin: 0 0 3mm; text-align: center; font-size: 21px; letter-spacing: 2px; color: #b00000;
  font-family: "SimHei", "Noto Sans CJK SC", sans-serif; }
h1 small { font-size: 15px; letter-spacing: 0; }
.no { text-align: right; font-size: 15px; margin: 0 0 3mm; }
p { font-size: 16px; line-height: 2.1; margin: 0; }
p.indent { text-indent: 2em; }
.u { display: inline-block; min-width: 3.5em; padding: 0 .35em; border-bottom: 1px solid #000; text-align: center;
  text-indent: 0; line-height: 1.5; }
.u.wide { min-width: 11em; }
.u.id { min-width: 12em; letter-spacing: 1px; font-family: "Courier New", monospace; }
.sign { margin-top: 5mm; display: flex; justify-content: flex-end; }
.sign div { text-align: center; font-size: 16px; line-height: 2; }
.seal { display: inline-block; width: 34mm; height: 34mm; border: 1px dashed #b00000; border-radius: 50%;
  color: #b00000; font-size: 13px; line-height: 34mm; text-align: center; margin-bottom: 1mm; }
.cut { margin: 6mm -14mm; border-top: 1px dashed #666; text-align: center; font-size: 12px; color: #666; }
.cut span { position: relative; top: -.75em; background: #fff; padding: 0 1em; }
.part { page-break-inside: avoid; break-inside: avoid; }
@media print {
  body { background: #fff; }
  .hint { display: none; }
  .sheet { margin: 0; width: auto; box-shadow: none; padding: 0; }
}
`;

export function letterHtml(t: LetterTransfer, m: LetterMember): string {
  const date = todayInShanghai(new Date(t.started_at));
  const no = `（${LETTER_PREFIX}）字第 ${esc(t.letter_no)} 号`;
  const to = t.to_org_name ?? t.external_org_name ?? '';
  const age = ageOn(m.birth_date, date);
  const category = m.category === 'probationary' ? '预备' : '正式';
  const dues = t.dues_paid_until
    ? `${u(Number(t.dues_paid_until.slice(0, 4)))} 年 ${u(Number(t.dues_paid_until.slice(5, 7)))} 月`
    : `${u('')} 年 ${u('')} 月`;
  const person =
    `${u(m.name)} 同志（${u(m.gender)}），${u(age)} 岁，${u(m.ethnicity)}，` +
    `系中共${u(category)}党员，身份证号码 ${u(m.id_masked, 'id')}，`;
  const validity = `（有效期 ${u(t.valid_days)} 天）`;

  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>中国共产党党员组织关系介绍信 ${esc(t.letter_no)}</title>
<style>${CSS}</style>
</head>
<body>
<p class="hint">打印：使用浏览器的“打印”（Ctrl+P / ⌘P），纸张 A4。沿虚线裁开：存根由转出党组织留存，介绍信交党员本人，回执由接收党组织寄回。</p>
<main class="sheet">
  <section class="part stub">
    <h1>中国共产党党员组织关系介绍信 <small>（存根）</small></h1>
    <p class="no">${no}</p>
    <p class="indent">${person}组织关系由 ${u(t.from_org_name, 'wide')} 转到 ${u(to, 'wide')}。</p>
    <p class="indent">${validity}</p>
    <div class="sign"><div>${cnDate(date)}</div></div>
  </section>
  <div class="cut"><span>（ 盖 章 ） 沿 此 线 剪 开</span></div>
  <section class="part letter">
    <h1>中国共产党党员组织关系介绍信</h1>
    <p class="no">${no}</p>
    <p>${u(to, 'wide')}：</p>
    <p class="indent">兹介绍 ${person}由 ${u(t.from_org_name, 'wide')} 去 ${u(to, 'wide')}，请转接组织关系。</p>
    <p class="indent">该同志党费已交到 ${dues}。</p>
    <p class="indent">${validity}</p>
    <div class="sign"><div><span class="seal">（盖章）</span><br>${esc(t.from_org_name)}<br>${cnDate(date)}</div></div>
  </section>
  <div class="cut"><span>沿 此 线 剪 开</span></div>
  <section class="part receipt">
    <h1>中国共产党党员组织关系介绍信 <small>（回执）</small></h1>
    <p class="no">${no}</p>
    <p>${u(t.from_org_name, 'wide')}：</p>
    <p class="indent">${u(m.name)} 同志的党员组织关系已转达我处，特此回复。</p>
    <div class="sign"><div><span class="seal">（盖章）</span><br>接收党组织 ${u(to, 'wide')}<br>${u('')} 年 ${u('')} 月 ${u('')} 日</div></div>
  </section>
</main>
</body>
</html>
`;
}
