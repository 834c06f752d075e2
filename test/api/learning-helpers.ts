/** Helpers of the learning tests: multipart bodies with fields and files, fake media bytes, a driven clock. */
import { call, type Session, type TestApp } from '../helpers/app.js';

export interface FilePart {
  field: string;
  filename: string;
  content: Buffer;
  type?: string;
}

export function form(fields: Record<string, string | number>, files: FilePart[] = []) {
  const boundary = `----djl${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\n` +
          `Content-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function upload(
  t: TestApp,
  s: Session,
  url: string,
  fields: Record<string, string | number>,
  files: FilePart[],
) {
  const f = form(fields, files);
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': f.contentType },
    payload: f.body,
  });
}

/** An MP4-looking file (an `ftyp` box, then filler) of `size` bytes. */
export function fakeMp4(size = 4096): Buffer {
  const b = Buffer.alloc(size, 0x2a);
  b.writeUInt32BE(24, 0);
  b.write('ftypisom', 4, 'latin1');
  b.writeUInt32BE(0x200, 12);
  b.write('isomiso2', 16, 'latin1');
  for (let i = 24; i < size; i++) b[i] = i % 251;
  return b;
}

export function fakeMp3(size = 2048): Buffer {
  const b = Buffer.alloc(size, 0);
  b.write('ID3', 0, 'latin1');
  b[3] = 4;
  return b;
}

export function fakePdf(pages = 3): Buffer {
  let s = '%PDF-1.4\n';
  for (let i = 0; i < pages; i++) s += `${i + 3} 0 obj << /Type /Page /Parent 2 0 R >> endobj\n`;
  s += '2 0 obj << /Type /Pages /Count 3 >> endobj\n%%EOF\n';
  return Buffer.from(s.padEnd(200, ' '), 'latin1');
}

export const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Drives ctx.clock: `at(seconds)` is the time of the next request, relative to a fixed start. */
export function drivenClock(t: TestApp, start = Date.parse('2026-03-02T02:00:00Z')) {
  let now = start;
  t.ctx.clock = () => now;
  return {
    set(ms: number) {
      now = ms;
    },
    advance(seconds: number) {
      now += seconds * 1000;
    },
    get now() {
      return now;
    },
  };
}

/** Posts a heartbeat. */
export function beat(t: TestApp, s: Session, contentId: number, position: number, duration?: number) {
  return call(t, s, 'POST', '/api/learning/progress', { contentId, position, ...(duration ? { duration } : {}) });
}
