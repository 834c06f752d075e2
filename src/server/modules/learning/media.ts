/**
 * Learning media files: the type recognised from the bytes (never from the client's name or content type), size
 * limits, storage under `DATA_DIR/uploads/learning/` with server-generated names, HTTP range requests for
 * players on phones, and the default cover of each kind (an SVG).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { ContentKind } from '../../../shared/learning.js';
import { AppError, validation } from '../../errors.js';

export type MediaClass = 'video' | 'audio' | 'pdf' | 'image';
export interface SniffedMedia {
  mime: string;
  ext: string;
  class: MediaClass;
}

/** Cover images are small. */
export const COVER_LIMIT_BYTES = 5 * 1024 * 1024;
const SNIFF_BYTES = 64;

const startsWith = (buf: Buffer, bytes: number[], at = 0) =>
  buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);

/** The accepted type of a file from its first bytes: MP4/M4A, WebM, MP3, Ogg, WAV, PDF, JPEG, PNG, WebP. */
export function sniffMedia(buf: Buffer): SniffedMedia | null {
  if (buf.length >= 12 && buf.toString('latin1', 4, 8) === 'ftyp') {
    const brand = buf.toString('latin1', 8, 12);
    if (brand === 'M4A ' || brand === 'M4B ') return { mime: 'audio/mp4', ext: 'm4a', class: 'audio' };
    return { mime: 'video/mp4', ext: 'mp4', class: 'video' };
  }
  if (startsWith(buf, [0x1a, 0x45, 0xdf, 0xa3])) return { mime: 'video/webm', ext: 'webm', class: 'video' };
  if (buf.toString('latin1', 0, 3) === 'ID3') return { mime: 'audio/mpeg', ext: 'mp3', class: 'audio' };
  // an MPEG audio frame sync without an ID3 tag (layer III)
  if (buf.length >= 2 && buf[0] === 0xff && (buf[1]! & 0xe6) === 0xe2) {
    return { mime: 'audio/mpeg', ext: 'mp3', class: 'audio' };
  }
  if (buf.toString('latin1', 0, 4) === 'OggS') return { mime: 'audio/ogg', ext: 'ogg', class: 'audio' };
  if (buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WAVE') {
    return { mime: 'audio/wav', ext: 'wav', class: 'audio' };
  }
  if (buf.toString('latin1', 0, 5) === '%PDF-') return { mime: 'application/pdf', ext: 'pdf', class: 'pdf' };
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', ext: 'jpg', class: 'image' };
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { mime: 'image/png', ext: 'png', class: 'image' };
  }
  if (buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') {
    return { mime: 'image/webp', ext: 'webp', class: 'image' };
  }
  return null;
}

/** Which file classes each kind accepts as its main file. */
export const KIND_FILES: Record<ContentKind, readonly MediaClass[]> = {
  micro_lesson: ['video', 'audio'],
  micro_talk: ['audio', 'video'],
  micro_film: ['video'],
  article: [],
  document: ['pdf'],
};

export function uploadDir(dataDir: string): string {
  return path.join(dataDir, 'uploads', 'learning');
}

const STORAGE_NAME = /^[0-9a-f]{32}\.[a-z0-9]{3,4}$/;

export function storedPath(dataDir: string, storageName: string): string {
  if (!STORAGE_NAME.test(storageName)) throw new Error('bad storage name');
  return path.join(uploadDir(dataDir), storageName);
}

export function unlinkQuietly(dataDir: string, storageName: string | null | undefined): void {
  if (!storageName) return;
  try {
    fs.unlinkSync(storedPath(dataDir, storageName));
  } catch {
    // already gone
  }
}

export function newStorageName(ext: string): string {
  return `${crypto.randomBytes(16).toString('hex')}.${ext}`;
}

/** Copies a file (demo media) into the store under a generated name. */
export function storeCopy(dataDir: string, source: string, ext: string): string {
  const dir = uploadDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = newStorageName(ext);
  fs.copyFileSync(source, path.join(dir, name));
  return name;
}

export interface StoredUpload {
  storageName: string;
  size: number;
  sniffed: SniffedMedia;
}

/** Streams one multipart file to the store, checking its first bytes and its size; deletes it on any failure. */
async function storePart(
  dataDir: string,
  part: MultipartFile,
  field: string,
  accept: readonly MediaClass[],
  limit: number,
): Promise<StoredUpload> {
  const dir = uploadDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `${crypto.randomBytes(16).toString('hex')}.part`);
  const out = fs.createWriteStream(tmp, { mode: 0o600, flags: 'wx' });
  let head = Buffer.alloc(0);
  let size = 0;
  let sniffed: SniffedMedia | null = null;
  let failure: AppError | null = null;
  try {
    for await (const chunk of part.file as AsyncIterable<Buffer>) {
      if (failure) continue; // drain the rest of the part
      if (!sniffed) {
        head = Buffer.concat([head, chunk]);
        if (head.length >= SNIFF_BYTES) {
          sniffed = sniffMedia(head);
          if (!sniffed || !accept.includes(sniffed.class)) failure = typeError(field, accept);
        }
      }
      size += chunk.length;
      if (size > limit) failure ??= tooLarge(field, limit);
      if (!failure && !out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    if (!failure && part.file.truncated) failure = tooLarge(field, limit);
    if (!failure && size === 0) failure = validation(field, 'is empty');
    if (!failure && !sniffed) {
      sniffed = sniffMedia(head);
      if (!sniffed || !accept.includes(sniffed.class)) failure = typeError(field, accept);
    }
  } finally {
    await new Promise<void>((r) => out.end(() => r()));
  }
  if (failure || !sniffed) {
    fs.rmSync(tmp, { force: true });
    throw failure ?? typeError(field, accept);
  }
  const storageName = newStorageName(sniffed.ext);
  fs.renameSync(tmp, path.join(dir, storageName));
  return { storageName, size, sniffed };
}

const CLASS_NAMES: Record<MediaClass, string> = {
  video: 'video (MP4, WebM)',
  audio: 'audio (MP3, M4A, Ogg, WAV)',
  pdf: 'PDF',
  image: 'images (JPEG, PNG, WebP)',
};

function typeError(field: string, accept: readonly MediaClass[]) {
  return new AppError(
    415,
    'unsupported_media_type',
    `${field}: only ${accept.map((c) => CLASS_NAMES[c]).join(', ')} files are accepted here`,
    field,
  );
}

function tooLarge(field: string, limit: number) {
  return new AppError(413, 'file_too_large', `${field}: larger than ${Math.round(limit / 1024 / 1024)} MB`, field);
}

export interface ContentUpload {
  fields: Record<string, string>;
  file: StoredUpload | null;
  cover: StoredUpload | null;
}

/**
 * A multipart content upload: text fields, an optional main file `file` (checked against `accept(fields)`
 * once the fields before it are known, else against every media class and re-checked by the service) and an
 * optional image `cover`. Files already stored are removed when a later part fails.
 */
export async function readContentUpload(
  req: FastifyRequest,
  dataDir: string,
  mediaLimit: number,
): Promise<ContentUpload> {
  if (!req.isMultipart()) {
    throw new AppError(415, 'unsupported_media_type', 'send the item as multipart/form-data', 'file');
  }
  const out: ContentUpload = { fields: {}, file: null, cover: null };
  try {
    for await (const part of req.parts({ limits: { fileSize: mediaLimit + 1, files: 2, fields: 20, parts: 22 } })) {
      if (part.type === 'field') {
        out.fields[part.fieldname] = String(part.value ?? '');
        continue;
      }
      if (part.fieldname === 'file' && !out.file) {
        out.file = await storePart(dataDir, part, 'file', ['video', 'audio', 'pdf'], mediaLimit);
      } else if (part.fieldname === 'cover' && !out.cover) {
        out.cover = await storePart(dataDir, part, 'cover', ['image'], COVER_LIMIT_BYTES);
      } else {
        await part.toBuffer().catch(() => undefined);
        throw validation(part.fieldname, 'is not an expected file field (use "file" and "cover")');
      }
    }
  } catch (e) {
    unlinkQuietly(dataDir, out.file?.storageName);
    unlinkQuietly(dataDir, out.cover?.storageName);
    if ((e as { code?: string }).code === 'FST_FILES_LIMIT') throw validation('file', 'send at most two files');
    throw e;
  }
  return out;
}

/** A single image upload (field `file`) for a cover. */
export async function readCoverUpload(req: FastifyRequest, dataDir: string): Promise<StoredUpload> {
  if (!req.isMultipart()) {
    throw new AppError(415, 'unsupported_media_type', 'file: send the image as multipart/form-data', 'file');
  }
  const part = await req.file({ limits: { fileSize: COVER_LIMIT_BYTES + 1 } });
  if (part?.fieldname !== 'file') throw validation('file', 'is required (multipart field "file")');
  return storePart(dataDir, part, 'file', ['image'], COVER_LIMIT_BYTES);
}

/** Pages of a PDF (counts page objects; a rough figure is enough for the reading time). */
export function pdfPages(file: string): number {
  const buf = fs.readFileSync(file);
  const text = buf.toString('latin1');
  const n = text.match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
  return Math.max(1, n);
}

// ---- range requests ------------------------------------------------------------------------------------------

export type RangeResult = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'invalid' };

/** Parses a `Range` header against a size: one byte range (`bytes=a-b`, `a-`, `-n`); several ranges: the first. */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined || header.trim() === '') return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*(?:,.*)?$/i.exec(header);
  if (!m) return { kind: 'invalid' };
  const [, a, b] = m;
  if (a === '' && b === '') return { kind: 'invalid' };
  let start: number;
  let end: number;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return { kind: 'invalid' };
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
    if (b !== '' && Number(b) < start) return { kind: 'invalid' };
  }
  if (start >= size || size === 0) return { kind: 'invalid' };
  return { kind: 'partial', start, end };
}

// ---- default covers ------------------------------------------------------------------------------------------

const COVER_STYLE: Record<ContentKind, { color: string; label: string }> = {
  micro_lesson: { color: '#c8102e', label: '微党课' },
  micro_talk: { color: '#d4380d', label: '微宣讲' },
  micro_film: { color: '#ad2102', label: '微电影' },
  article: { color: '#a8071a', label: '文章' },
  document: { color: '#873800', label: '原文' },
};

/** A 16:9 SVG cover in the kind's colour with its Chinese name. */
export function defaultCoverSvg(kind: ContentKind): string {
  const s = COVER_STYLE[kind];
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">' +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${s.color}"/>` +
    '<stop offset="1" stop-color="#5c0011"/></linearGradient></defs>' +
    '<rect width="640" height="360" fill="url(#g)"/>' +
    '<circle cx="560" cy="70" r="36" fill="none" stroke="#ffd666" stroke-width="6"/>' +
    `<text x="48" y="210" font-size="72" font-family="sans-serif" font-weight="700" fill="#ffd666">${s.label}</text>` +
    '<text x="50" y="262" font-size="26" font-family="sans-serif" fill="#fff1b8">党建学习</text></svg>'
  );
}
