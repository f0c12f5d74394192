import { describeValue, invalidOptions } from '@roomcast/protocol';

/**
 * The addresses `options.url` names: one `ws(s)://` URL, or several (`url: [a, b]`). With several,
 * a client that loses its connection, or cannot make one, dials the next one (see client.ts), so
 * a page whose server process died comes back on another.
 */
export function endpointUrls(url: unknown): readonly string[] {
  const urls: unknown[] = Array.isArray(url) ? url : [url];
  if (urls.length === 0)
    throw invalidOptions('createClient', ['url must be a URL or a non-empty array of them']);
  const problems = urls.flatMap((each, index) =>
    typeof each === 'string' && /^wss?:\/\//.test(each)
      ? []
      : [`url${urls === url ? `[${index}]` : ''} must be a ws:// or wss:// URL, got ${describeValue(each)}`],
  );
  if (problems.length > 0) throw invalidOptions('createClient', problems);
  return urls as string[];
}
