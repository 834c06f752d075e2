/**
 * Meeting attachments (photos, PDF, Word): one multipart field `file` within the upload size limit, the type
 * recognised from the bytes (never from the client's name or content type), stored under
 * `DATA_DIR/uploads/meetings/` with a name the server generates. The client's file name is kept only as a display
 * name for the download's Content-Disposition.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { AppError, validation } from '../../errors.js';
import { UPLOAD_LIMIT_BYTES } from '../members/members.upload.js';
import { zipEntries } from '../members/xlsx-reader.js';

export const ATTACHMENT_LIMIT_BYTES = UPLOAD_LIMIT_BYTES;

export interface Sniffed {
  mime: string;
  ext: string;
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const startsWith = (buf: Buffer, bytes: number[], at = 0) =>
  buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);

/** The accepted type of a file from its magic bytes, or null: JPEG, PNG, WebP, PDF, .docx, .doc. */
export function sniff(buf: Buffer): Sniffed | null {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', ext: 'jpg' };
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', ext: 'png' };
  if (buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') {
    return { mime: 'image/webp', ext: 'webp' };
  }
  if (buf.toString('latin1', 0, 5) === '%PDF-') return { mime: 'application/pdf', ext: 'pdf' };
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) {
    try {
      const names = zipEntries(buf).map((e) => e.name);
      if (names.includes('[Content_Types].xml') && names.some((n) => n.startsWith('word/'))) {
        return { mime: DOCX, ext: 'docx' };
      }
    } catch {
      return null;
    }
    return null;
  }
  // OLE2 compound file (Word 97–2003 .doc)
  if (startsWith(buf, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return { mime: 'application/msword', ext: 'doc' };
  return null;
}

/** A display name: the last path segment, no control characters, at most 120 characters. */
export function displayName(raw: string | undefined, ext: string): string {
  const base = (raw ?? '')
    .split(/[\\/]/)
    .pop()!
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are stripped on purpose
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(-120);
  return base || `attachment.${ext}`;
}

export interface Upload {
  buffer: Buffer;
  fileName: string;
  sniffed: Sniffed;
}

/** The checked upload of a multipart request (field `file`). */
export async function readAttachmentUpload(req: FastifyRequest): Promise<Upload> {
  if (!req.isMultipart()) {
    throw new AppError(415, 'unsupported_media_type', 'file: send the file as multipart/form-data', 'file');
  }
  const part = await req.file({ limits: { fileSize: ATTACHMENT_LIMIT_BYTES } });
  if (part?.fieldname !== 'file') throw validation('file', 'is required (multipart field "file")');
  let buffer: Buffer;
  try {
    buffer = await part.toBuffer();
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError(413, 'file_too_large', `file: larger than ${ATTACHMENT_LIMIT_BYTES / 1024 / 1024} MB`, 'file');
    }
    throw e;
  }
  if (buffer.length === 0) throw validation('file', 'is empty');
  const sniffed = sniff(buffer);
  if (!sniffed) {
    throw new AppError(
      415,
      'unsupported_media_type',
      'file: only photos (JPEG, PNG, WebP), PDF and Word (.docx, .doc) files are accepted',
      'file',
    );
  }
  return { buffer, fileName: displayName(part.filename, sniffed.ext), sniffed };
}

export function uploadDir(dataDir: string): string {
  return path.join(dataDir, 'uploads', 'meetings');
}

/** Writes the bytes under a generated name; returns the name. */
export function store(dataDir: string, upload: Upload): string {
  const dir = uploadDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = `${crypto.randomBytes(16).toString('hex')}.${upload.sniffed.ext}`;
  fs.writeFileSync(path.join(dir, name), upload.buffer, { mode: 0o600, flag: 'wx' });
  return name;
}

const STORAGE_NAME = /^[0-9a-f]{32}\.[a-z]{3,4}$/;

/** The path of a stored file (the name always comes from the database and is checked once more). */
export function storedPath(dataDir: string, storageName: string): string {
  if (!STORAGE_NAME.test(storageName)) throw new Error('bad storage name');
  return path.join(uploadDir(dataDir), storageName);
}

export function unlinkQuietly(dataDir: string, storageName: string): void {
  try {
    fs.unlinkSync(storedPath(dataDir, storageName));
  } catch {
    // already gone: nothing to do
  }
}

/** `attachment; filename="ascii"; filename*=UTF-8''…` for any display name. */
export function contentDisposition(name: string, kind: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
