/**
 * Article bodies: an allow-list HTML sanitiser (tags and attributes the rich-text editor produces; everything
 * else dropped, the text of script/style-like elements dropped with them), and the plain-text length that decides
 * the minimum reading time.
 */

const ALLOWED = new Set([
  'p',
  'br',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'blockquote',
  'a',
  'img',
  'span',
  'div',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'hr',
  'sub',
  'sup',
  'pre',
  'code',
]);
const VOID = new Set(['br', 'img', 'hr']);
/** Dropped together with everything inside them. */
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
]);
const ATTRS: Record<string, readonly string[]> = { a: ['href', 'title'], img: ['src', 'alt', 'title'] };
const GLOBAL_ATTRS = ['class'];

const escapeText = (s: string) =>
  s
    .replace(/&(?!#?\w+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
const escapeAttr = (s: string) =>
  s
    .replace(/&(?!#?\w+;)/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

function safeUrl(url: string, img: boolean): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters hide schemes
  const u = url.replace(/[\u0000-\u0020]/g, '').toLowerCase();
  if (u.startsWith('http://') || u.startsWith('https://') || u.startsWith('/') || u.startsWith('#')) return true;
  if (!img && u.startsWith('mailto:')) return true;
  return !/^[a-z][a-z0-9+.-]*:/.test(u);
}

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|<!--[\s\S]*?-->|<![^>]*>|<\?[^>]*>/g;
const ATTR = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

export function sanitizeHtml(input: string): string {
  let out = '';
  let last = 0;
  let dropping: string | null = null;
  let depth = 0;
  const open: string[] = [];
  for (const m of input.matchAll(TAG)) {
    const text = input.slice(last, m.index);
    last = m.index + m[0].length;
    if (!dropping) out += escapeText(text);
    const name = m[2]?.toLowerCase();
    if (!name) continue; // comment, doctype, processing instruction
    const closing = m[1] === '/';
    if (dropping) {
      if (name === dropping) depth += closing ? -1 : 1;
      if (depth === 0) dropping = null;
      continue;
    }
    if (DROP_WITH_CONTENT.has(name)) {
      if (!closing && !/\/\s*$/.test(m[3] ?? '')) {
        dropping = name;
        depth = 1;
      }
      continue;
    }
    if (!ALLOWED.has(name)) continue;
    if (closing) {
      const at = open.lastIndexOf(name);
      if (at < 0) continue;
      while (open.length > at) out += `</${open.pop()}>`;
      continue;
    }
    const allowed = [...(ATTRS[name] ?? []), ...GLOBAL_ATTRS];
    let attrs = '';
    for (const a of (m[3] ?? '').matchAll(ATTR)) {
      const key = a[1]!.toLowerCase();
      if (!allowed.includes(key)) continue;
      const value = a[2] ?? a[3] ?? a[4] ?? '';
      if ((key === 'href' || key === 'src') && !safeUrl(value, key === 'src')) continue;
      attrs += ` ${key}="${escapeAttr(value)}"`;
    }
    if (name === 'a') attrs += ' rel="noopener noreferrer" target="_blank"';
    out += `<${name}${attrs}>`;
    if (!VOID.has(name)) open.push(name);
  }
  if (!dropping) out += escapeText(input.slice(last));
  while (open.length) out += `</${open.pop()}>`;
  return out;
}

/** Characters of visible text (whitespace not counted). */
export function textLength(html: string): number {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[#\w]+;/g, 'x')
    .replace(/\s+/g, '');
  return [...text].length;
}

/** Plain text paragraphs as HTML (for the demo's source report). */
export function paragraphsHtml(text: string): string {
  return text
    .split(/\n\s*\n|\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeText(p)}</p>`)
    .join('\n');
}
