/**
 * Reading an uploaded workbook: one multipart field `file`, within the size limit, recognised by its magic bytes
 * (an .xlsx is a ZIP: `PK\x03\x04`), and refused before parsing when its ZIP directory announces more inflated
 * data than any real roster needs (a zip bomb). The upload never touches the filesystem.
 */
import type { FastifyRequest } from 'fastify';
import { AppError, validation } from '../../errors.js';
import { zipEntries } from './xlsx-reader.js';

/** Upload size limit (the multipart plugin is registered with it in app.ts). */
export const UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;
/** A 100,000-row roster inflates to roughly 60 MB of XML. */
const MAX_INFLATED_BYTES = 400 * 1024 * 1024;

const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export function isZip(buf: Buffer): boolean {
  return buf.length >= 4 && buf.subarray(0, 4).equals(ZIP_LOCAL_HEADER);
}

/** The sum of the uncompressed sizes in the ZIP central directory, or null when it cannot be read. */
export function zipInflatedSize(buf: Buffer): number | null {
  try {
    // ZIP64 entries announce 0xffffffff: far beyond any roster
    return zipEntries(buf).reduce((n, e) => n + (e.size === 0xffffffff ? Number.POSITIVE_INFINITY : e.size), 0);
  } catch {
    return null;
  }
}

/** The uploaded .xlsx of a multipart request (field `file`), checked. */
export async function readWorkbookUpload(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) {
    throw new AppError(415, 'unsupported_media_type', 'file: send the workbook as multipart/form-data', 'file');
  }
  const part = await req.file();
  if (part?.fieldname !== 'file') throw validation('file', 'is required (multipart field "file")');
  let buf: Buffer;
  try {
    buf = await part.toBuffer();
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError(413, 'file_too_large', `file: larger than ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB`, 'file');
    }
    throw e;
  }
  if (!isZip(buf)) {
    throw new AppError(415, 'unsupported_media_type', 'file: not an Excel .xlsx workbook', 'file');
  }
  const inflated = zipInflatedSize(buf);
  if (inflated === null) throw new AppError(400, 'invalid_file', 'file: the workbook is damaged', 'file');
  if (inflated > MAX_INFLATED_BYTES) {
    throw new AppError(413, 'file_too_large', 'file: the workbook unpacks to more data than a roster can hold', 'file');
  }
  return buf;
}
