import { type Codec, jsonCodec } from './codecs/codec';
import { ErrorCode } from './codes';
import type { ClientFrame, RequestId, ServerFrame } from './frames';
import { DEFAULT_LIMITS, MAX_ID_LENGTH, NAME_PATTERN } from './limits';

export interface DecodeOptions {
  /** Largest accepted frame in bytes (UTF-8). Defaults to DEFAULT_LIMITS.maxPayload. */
  maxPayload?: number;
  /** The frame arrived as a WebSocket binary frame (right for MessagePack, wrong for JSON). */
  binary?: boolean;
  /** The connection's codec (its subprotocol). Defaults to JSON. */
  codec?: Codec;
}

/** Why a frame was refused, with whatever part of its address could still be read. */
export interface DecodeError {
  code: ErrorCode;
  message: string;
  type?: string;
  action?: string;
  id?: RequestId;
}

export type DecodeResult = { ok: true; frame: ClientFrame } | { ok: false; error: DecodeError };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads one client frame. Never throws: every input gives either a checked `ClientFrame` or a
 * `DecodeError` whose code the server sends back (SPEC section 10).
 */
export function decode(raw: unknown, options: DecodeOptions = {}): DecodeResult {
  const maxPayload = options.maxPayload ?? DEFAULT_LIMITS.maxPayload;
  const codec = options.codec ?? jsonCodec;
  if ((options.binary ?? false) !== codec.binary) {
    const message = codec.binary
      ? `Text frames are not accepted on ${codec.subprotocol}; send MessagePack binary frames`
      : 'Binary frames are not accepted; send JSON text';
    return fail(ErrorCode.INVALID_MESSAGE, message, readableAddress(raw, maxPayload));
  }
  const sized = codec.binary ? sizedBytes(raw, maxPayload) : toText(raw, maxPayload);
  if (typeof sized !== 'string' && !(sized instanceof Uint8Array)) return { ok: false, error: sized };
  const parsed = codec.parse(sized);
  if (!parsed.ok) return fail(ErrorCode.INVALID_MESSAGE, parsed.message);
  return checkFrame(parsed.value, codec);
}

/** Serializes a frame for the wire. */
export function encode(frame: ServerFrame | ClientFrame): string {
  return JSON.stringify(frame);
}

/** Checks an already parsed value against the client frame rules. */
export function checkFrame(value: unknown, codec: Codec = jsonCodec): DecodeResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    return fail(ErrorCode.INVALID_MESSAGE, `Message must be ${codec.objectName}`);
  }
  const { type, action, id, data } = value as Record<string, unknown>;
  const address = readAddress(type, action, id);
  if (!isName(type)) return fail(ErrorCode.INVALID_MESSAGE, nameProblem('type', type), address);
  if (!isName(action)) return fail(ErrorCode.INVALID_MESSAGE, nameProblem('action', action), address);
  if (id !== undefined && !isRequestId(id)) {
    return fail(
      ErrorCode.INVALID_MESSAGE,
      `"id" must be a string of at most ${MAX_ID_LENGTH} characters or a safe integer`,
      address,
    );
  }
  const frame: ClientFrame = { type, action };
  if (data !== undefined) frame.data = data;
  if (id !== undefined) frame.id = id;
  return { ok: true, frame };
}

export function isName(value: unknown): value is string {
  return typeof value === 'string' && NAME_PATTERN.test(value);
}

export function isRequestId(value: unknown): value is RequestId {
  if (typeof value === 'string') return value.length <= MAX_ID_LENGTH;
  return Number.isSafeInteger(value);
}

function toText(raw: unknown, maxPayload: number): string | DecodeError {
  if (typeof raw === 'string') {
    // A string's UTF-8 size is at least its length and at most 3x; measure only when it matters.
    if (raw.length * 3 > maxPayload && utf8Length(raw) > maxPayload) return tooLarge(maxPayload);
    return raw;
  }
  const bytes = toBytes(raw);
  if (bytes === undefined) return problem(ErrorCode.INVALID_MESSAGE, 'Message must be text or bytes');
  if (bytes.byteLength > maxPayload) return tooLarge(maxPayload);
  try {
    return utf8.decode(bytes);
  } catch {
    return problem(ErrorCode.INVALID_MESSAGE, 'Message is not valid UTF-8');
  }
}

function sizedBytes(raw: unknown, maxPayload: number): Uint8Array | DecodeError {
  const bytes = toBytes(raw);
  if (bytes === undefined) return problem(ErrorCode.INVALID_MESSAGE, 'Message must be bytes');
  return bytes.byteLength > maxPayload ? tooLarge(maxPayload) : bytes;
}

function toBytes(raw: unknown): Uint8Array | undefined {
  if (raw instanceof Uint8Array) return raw;
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  // ws hands over fragmented messages as an array of Buffers.
  if (Array.isArray(raw) && raw.every(part => part instanceof Uint8Array)) return concat(raw);
  return undefined;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** UTF-8 byte length without allocating (the protocol also runs in browsers: no Buffer). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The address of a frame refused anyway, when it can be read: a client that sends its JSON as a
 * binary frame still gets its `id` back, so its request settles instead of timing out.
 */
function readableAddress(raw: unknown, maxPayload: number): Partial<DecodeError> {
  const text = toText(raw, maxPayload);
  if (typeof text !== 'string') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return {};
    const { type, action, id } = value as Record<string, unknown>;
    return readAddress(type, action, id);
  } catch {
    return {};
  }
}

function readAddress(type: unknown, action: unknown, id: unknown): Partial<DecodeError> {
  const address: Partial<DecodeError> = {};
  if (isName(type)) address.type = type;
  if (isName(action)) address.action = action;
  if (isRequestId(id)) address.id = id;
  return address;
}

function nameProblem(field: string, value: unknown): string {
  if (value === undefined) return `"${field}" is required`;
  return `"${field}" must be 1-64 characters of letters, digits, "_", ".", ":" or "-"`;
}

function tooLarge(maxPayload: number): DecodeError {
  return problem(ErrorCode.PAYLOAD_TOO_LARGE, `Message is larger than ${maxPayload} bytes`);
}

function problem(code: ErrorCode, message: string, address: Partial<DecodeError> = {}): DecodeError {
  return { code, message, ...address };
}

function fail(code: ErrorCode, message: string, address: Partial<DecodeError> = {}): DecodeResult {
  return { ok: false, error: problem(code, message, address) };
}
