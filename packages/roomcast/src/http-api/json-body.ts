import type { IncomingMessage } from 'node:http';

export type JsonBody =
  | { ok: true; value: unknown }
  | { ok: false; reason: 'too-large' | 'invalid-json' | 'aborted' };

/**
 * Reads a request body of at most `maxBytes` and parses it as JSON. A declared Content-Length
 * over the limit is refused before a byte is read; a body that grows past it (chunked) stops
 * being read at that chunk: it is never buffered whole. The caller answers 413 and the
 * connection closes (`Connection: close`), so the rest is never read either.
 */
export function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes)
    return Promise.resolve({ ok: false, reason: 'too-large' });
  return new Promise(resolve => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: JsonBody) => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onAborted);
      request.off('close', onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.pause();
        chunks.length = 0;
        finish({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(parse(Buffer.concat(chunks, size).toString('utf8')));
    const onAborted = () => finish({ ok: false, reason: 'aborted' });
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onAborted);
    request.on('close', onAborted);
  });
}

function parse(text: string): JsonBody {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'invalid-json' };
  }
}
