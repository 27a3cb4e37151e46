import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { cleanFileName } from '../domain/text-hygiene.ts';
import { AppError, invalidField } from '../errors.ts';
import { sha256 } from '../lib/crypto.ts';

/**
 * Where uploaded files live, by content hash: the same bytes are stored once whoever uploads them. Backends:
 * `local` (a directory, which several nodes may share as a volume) and `database` (chunks in the database).
 */
export interface FileStore {
  readonly kind: 'local' | 'database';
  /** Stores the bytes under their SHA-256 (hex); storing content that is there already changes nothing. */
  put(hash: string, data: Buffer): Promise<void>;
  /** Opens the content for reading, or null when it is not there. */
  open(hash: string): Promise<Readable | null>;
}

/** An upload as it arrives: the name the client gave and the bytes. */
export interface Upload {
  name: string;
  data: Buffer;
}

/** A stored upload: what the metadata row of an attachment or evidence file records. */
export interface StoredUpload {
  sha256: string;
  size: number;
  mime: string;
  name: string;
}

/** A file ready to send: its metadata and a stream of its bytes. */
export interface FileDownload {
  name: string;
  mime: string;
  size: number;
  stream: Readable;
}

const MAX_NAME = 200;
// Path separators and the control characters cleanFileName keeps (C1 controls, tab, line breaks).
const UNSAFE = /[/\\\p{Cc}]/u;

/**
 * A file name without path separators, control or bidirectional characters (the latter removed by cleanFileName,
 * the rule for all stored text), at most 200 characters; `fallback` when nothing is left.
 */
export function safeFileName(name: string, fallback: string): string {
  const safe = [...cleanFileName(name)]
    .map((ch) => (UNSAFE.test(ch) ? '_' : ch))
    .slice(0, MAX_NAME)
    .join('')
    .trim();
  return safe === '' ? fallback : safe;
}

/** What an upload may be: the accepted types (by content), how to name them to the user, the size limit. */
export interface UploadRule {
  accepted: ReadonlySet<string>;
  acceptedText: string;
  /** Base of the name given to a file that arrives without a usable one (`attachment` → `attachment.pdf`). */
  fallbackName: string;
  maxBytes?: number;
}

/** Checks an upload against the rule, types it by its content, stores it and returns what to record. */
export async function storeUpload(store: FileStore, file: Upload, rule: UploadRule): Promise<StoredUpload> {
  if (file.data.length === 0) throw invalidField('file', 'is empty');
  if (rule.maxBytes !== undefined && file.data.length > rule.maxBytes)
    throw new AppError('payload_too_large', `Files may have at most ${Math.floor(rule.maxBytes / 1024 / 1024)} MB`);
  const type = await fileTypeFromBuffer(file.data);
  if (!type || !rule.accepted.has(type.mime)) {
    throw new AppError('unsupported_media_type', `File content is ${type?.mime ?? 'unknown'}; accepted: ${rule.acceptedText}`, {
      field: 'file',
    });
  }
  const hash = sha256(file.data);
  await store.put(hash, file.data);
  return { sha256: hash, size: file.data.length, mime: type.mime, name: safeFileName(file.name, `${rule.fallbackName}.${type.ext}`) };
}

/** Opens a recorded file for sending; a row whose content is missing answers 404 like a missing row. */
export async function openStored(
  store: FileStore,
  row: { sha256: string; name: string; mime: string; size: number },
): Promise<FileDownload> {
  const stream = await store.open(row.sha256);
  if (!stream) throw new AppError('not_found', 'The file content is missing from the storage');
  return { name: row.name, mime: row.mime, size: Number(row.size), stream };
}
