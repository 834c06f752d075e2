/**
 * Minutes as rich text: a small contentEditable editor with a toolbar (bold, italic, underline, headings, lists,
 * quote) and a read-only view. Both keep exactly the subset the server keeps (src/server/modules/meetings/minutes.ts:
 * p br strong em b i u ul ol li h3 h4 blockquote, never an attribute), so what one sees while typing is what is
 * stored and shown to others. The view builds React elements from that subset; no markup is ever injected raw.
 */
import {
  BoldOutlined,
  ItalicOutlined,
  OrderedListOutlined,
  UnderlineOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { Button, Divider, Space, Tooltip, theme } from 'antd';
import { createElement, type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

const ALLOWED = new Set(['p', 'br', 'strong', 'em', 'b', 'i', 'u', 'ul', 'ol', 'li', 'h3', 'h4', 'blockquote']);
const BLOCK = new Set(['p', 'ul', 'ol', 'h3', 'h4', 'blockquote', 'div', 'h1', 'h2', 'h5', 'h6', 'li', 'section']);
const DROP = new Set(['script', 'style', 'iframe', 'object', 'embed', 'noscript', 'template', 'svg', 'math', 'head']);
/** Tags the browser's editing commands (or pasted documents) produce, mapped onto the kept subset. */
const RENAME: Record<string, string> = { div: 'p', section: 'p', h1: 'h3', h2: 'h3', h5: 'h4', h6: 'h4' };

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function serializeChildren(node: Node): string {
  let out = '';
  for (const child of Array.from(node.childNodes)) out += serializeNode(child);
  return out;
}

function serializeNode(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return escapeText(node.textContent ?? '');
  if (node.nodeType !== Node.ELEMENT_NODE) return '';
  const raw = (node as Element).tagName.toLowerCase();
  if (DROP.has(raw)) return '';
  const tag = RENAME[raw] ?? raw;
  if (tag === 'br') return '<br>';
  const inner = serializeChildren(node);
  if (!ALLOWED.has(tag)) return inner;
  return `<${tag}>${inner}</${tag}>`;
}

const isBlock = (n: Node) => n.nodeType === Node.ELEMENT_NODE && BLOCK.has((n as Element).tagName.toLowerCase());

/** The kept subset of what a DOM subtree shows: top-level inline runs become paragraphs; empty → ''. */
export function normalizeMinutes(root: Node): string {
  const parts: string[] = [];
  let run = '';
  const flush = () => {
    if (run.replace(/<br>/g, '').trim().length > 0) parts.push(`<p>${run.replace(/(<br>)+$/, '')}</p>`);
    run = '';
  };
  for (const child of Array.from(root.childNodes)) {
    if (isBlock(child)) {
      flush();
      const html = serializeNode(child);
      const text = (child.textContent ?? '').trim();
      // An empty paragraph (the editor's placeholder line) is not content.
      if (text.length > 0) parts.push((child as Element).tagName.toLowerCase() === 'li' ? `<ul>${html}</ul>` : html);
    } else {
      run += serializeNode(child);
    }
  }
  flush();
  return parts.join('');
}

function parse(html: string): Node {
  return new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html').body;
}

/** Sanitises a stored or pasted HTML string onto the kept subset. */
export function cleanMinutes(html: string | null | undefined): string {
  if (!html) return '';
  if (!/<[a-zA-Z/!]/.test(html)) {
    return html
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => `<p>${escapeText(l)}</p>`)
      .join('');
  }
  return normalizeMinutes(parse(html));
}

interface EditorProps {
  value?: string | null;
  onChange?: (html: string) => void;
  id?: string;
  minHeight?: number;
  'data-testid'?: string;
}

type Command =
  | { key: string; icon: ReactNode; label: string; run: () => void }
  | { key: string; text: string; label: string; run: () => void };

/** A contentEditable editor for the kept subset; value and onChange carry the cleaned HTML (a Form.Item control). */
export function RichTextEditor({ value, onChange, id, minHeight = 180, 'data-testid': testId }: EditorProps) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const ref = useRef<HTMLDivElement>(null);
  /** the last HTML this editor emitted: an echo of it must not reset the caret */
  const emitted = useRef<string | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const next = cleanMinutes(value ?? '');
    if (next === emitted.current) return;
    el.innerHTML = next;
    emitted.current = next;
  }, [value]);

  const emit = () => {
    const el = ref.current;
    if (!el) return;
    const html = normalizeMinutes(el);
    emitted.current = html;
    onChange?.(html);
  };

  const exec = (command: string, arg?: string) => {
    ref.current?.focus();
    document.execCommand(command, false, arg);
    emit();
  };

  const commands: Command[] = [
    { key: 'bold', icon: <BoldOutlined />, label: t('richText.bold'), run: () => exec('bold') },
    { key: 'italic', icon: <ItalicOutlined />, label: t('richText.italic'), run: () => exec('italic') },
    { key: 'underline', icon: <UnderlineOutlined />, label: t('richText.underline'), run: () => exec('underline') },
    { key: 'h3', text: 'H3', label: t('richText.h3'), run: () => exec('formatBlock', '<h3>') },
    { key: 'h4', text: 'H4', label: t('richText.h4'), run: () => exec('formatBlock', '<h4>') },
    { key: 'p', text: '¶', label: t('richText.paragraph'), run: () => exec('formatBlock', '<p>') },
    { key: 'ul', icon: <UnorderedListOutlined />, label: t('richText.ul'), run: () => exec('insertUnorderedList') },
    { key: 'ol', icon: <OrderedListOutlined />, label: t('richText.ol'), run: () => exec('insertOrderedList') },
    { key: 'quote', text: '“ ”', label: t('richText.quote'), run: () => exec('formatBlock', '<blockquote>') },
  ];

  return (
    <div
      style={{
        border: `1px solid ${token.colorBorder}`,
        borderRadius: token.borderRadius,
        background: token.colorBgContainer,
      }}
    >
      <Space
        size={2}
        wrap
        style={{ padding: '4px 6px', borderBottom: `1px solid ${token.colorBorderSecondary}` }}
        data-testid={testId ? `${testId}-toolbar` : undefined}
      >
        {commands.map((c, i) => (
          <span key={c.key}>
            {i === 3 || i === 6 ? <Divider orientation="vertical" /> : null}
            <Tooltip title={c.label}>
              <Button
                type="text"
                size="small"
                aria-label={c.label}
                data-testid={testId ? `${testId}-${c.key}` : undefined}
                // Keep the selection in the editor: act on mouse down, never take the focus.
                onMouseDown={(e) => {
                  e.preventDefault();
                  c.run();
                }}
                icon={'icon' in c ? c.icon : undefined}
              >
                {'text' in c ? c.text : null}
              </Button>
            </Tooltip>
          </span>
        ))}
      </Space>
      {/* biome-ignore lint/a11y/useSemanticElements: a rich-text editor cannot be a textarea */}
      <div
        ref={ref}
        id={id}
        role="textbox"
        tabIndex={0}
        aria-multiline="true"
        aria-label={t('richText.label')}
        contentEditable
        suppressContentEditableWarning
        className="rich-text"
        data-testid={testId}
        onFocus={() => document.execCommand('defaultParagraphSeparator', false, 'p')}
        onInput={emit}
        onBlur={emit}
        onPaste={(e) => {
          const html = e.clipboardData.getData('text/html');
          const text = e.clipboardData.getData('text/plain');
          e.preventDefault();
          document.execCommand('insertHTML', false, html ? cleanMinutes(html) : cleanMinutes(escapeText(text)));
          emit();
        }}
        style={{ minHeight, padding: '8px 11px', outline: 'none', lineHeight: 1.7, overflowWrap: 'anywhere' }}
      />
    </div>
  );
}

function toReact(node: Node, key: number): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const tag = (node as Element).tagName.toLowerCase();
  if (!ALLOWED.has(tag)) return null;
  if (tag === 'br') return createElement('br', { key });
  return createElement(tag, { key }, ...Array.from(node.childNodes).map((c, i) => toReact(c, i)));
}

/** Read-only minutes (a locked record, or a reader without write access). */
export function RichTextView({
  html,
  'data-testid': testId,
}: {
  html: string | null | undefined;
  'data-testid'?: string;
}) {
  const root = parse(cleanMinutes(html));
  return (
    <div
      className="rich-text rich-text--view"
      data-testid={testId}
      style={{ lineHeight: 1.7, overflowWrap: 'anywhere' }}
    >
      {Array.from(root.childNodes).map((c, i) => toReact(c, i))}
    </div>
  );
}
