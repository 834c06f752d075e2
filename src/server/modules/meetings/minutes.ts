/**
 * Minutes are rich text from the browser's editor, shown again in other people's browsers: the server keeps only
 * a safe subset of HTML (a whitelist of tags, never an attribute), so no stored markup can run script or load
 * anything. Plain text (no tags at all) becomes paragraphs. The length and the SM3 hash the compliance engine uses
 * (short minutes, minutes copied from another record) are computed on the text, not the markup.
 */
import { sm3 } from '../../crypto/sm.js';

/** The tags kept (without attributes); everything else is dropped, its text kept. */
export const MINUTES_TAGS = ['p', 'br', 'strong', 'em', 'b', 'i', 'u', 'ul', 'ol', 'li', 'h3', 'h4', 'blockquote'];
const ALLOWED = new Set(MINUTES_TAGS);
const VOID = new Set(['br']);
/** Elements whose content is not text for a reader: dropped with everything inside. */
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'noscript',
  'template',
  'svg',
  'math',
  'textarea',
  'select',
  'head',
  'title',
]);
/** Block elements: where they stood, the text gets a line break so words do not run together. */
const BLOCKS = new Set(['div', 'section', 'article', 'tr', 'table', 'h1', 'h2', 'h5', 'h6', 'pre', 'header', 'footer']);

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>?|<\?[^>]*>?|<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b(?:[^>"']|"[^"]*"|'[^']*')*>/g;

function plainToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}|\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => `<p>${escapeText(line)}</p>`)
    .join('');
}

/** The safe HTML of some minutes: allowed tags only, no attributes, balanced, text escaped. */
export function sanitizeMinutes(input: string | null | undefined): string {
  if (!input) return '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are stripped on purpose
  const raw = input.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  if (!/<[a-zA-Z/!?]/.test(raw)) return plainToHtml(decodeEntities(raw));
  const out: string[] = [];
  const open: string[] = [];
  let dropping: string | null = null;
  let last = 0;
  const text = (s: string) => {
    if (dropping || s.length === 0) return;
    out.push(escapeText(decodeEntities(s)));
  };
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(raw); m !== null; m = TOKEN.exec(raw)) {
    text(raw.slice(last, m.index));
    last = TOKEN.lastIndex;
    const name = m[2]?.toLowerCase();
    if (!name) continue; // comment, doctype, processing instruction, CDATA
    const closing = m[1] === '/';
    if (dropping) {
      if (closing && name === dropping) dropping = null;
      continue;
    }
    if (DROP_WITH_CONTENT.has(name)) {
      if (!closing && !m[0].endsWith('/>')) dropping = name;
      continue;
    }
    if (!ALLOWED.has(name)) {
      if (BLOCKS.has(name) || name === 'br') out.push(' ');
      continue;
    }
    if (VOID.has(name)) {
      if (!closing) out.push('<br>');
      continue;
    }
    if (!closing) {
      out.push(`<${name}>`);
      open.push(name);
      continue;
    }
    const at = open.lastIndexOf(name);
    if (at < 0) continue; // a stray closing tag
    while (open.length > at) out.push(`</${open.pop()}>`);
  }
  text(raw.slice(last));
  while (open.length > 0) out.push(`</${open.pop()}>`);
  return out.join('').trim();
}

/** The readable text of (sanitised) minutes: tags become spaces or line breaks, entities decoded. */
export function minutesText(html: string): string {
  return decodeEntities(
    html
      .replace(/<br>/g, '\n')
      .replace(/<\/(p|li|h3|h4|blockquote)>/g, '\n')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n[\n ]*/g, '\n')
    .trim();
}

/** The paragraphs of (sanitised) minutes as plain text, for the Word export. */
export function minutesParagraphs(html: string): string[] {
  return minutesText(html)
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Length counted on the text without whitespace (characters, not UTF-16 units): what a reader would count. */
export function minutesLength(html: string): number {
  return [...minutesText(html).replace(/\s+/g, '')].length;
}

/** SM3 of the normalised text (whitespace and punctuation removed): equal for copied minutes; null when empty. */
export function minutesHash(html: string): string | null {
  const norm = minutesText(html)
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .toLowerCase();
  return norm.length === 0 ? null : sm3(norm);
}
