/**
 * The addresses `options.url` names: one `ws(s)://` URL, or several (`url: [a, b]`). With several,
 * a client that loses its connection, or cannot make one, dials the next one, so a page whose
 * server process died comes back on another.
 */
export function endpointUrls(url: unknown): readonly string[] {
  const urls = typeof url === 'string' ? [url] : Array.isArray(url) ? [...url] : undefined;
  if (!urls || urls.length === 0)
    throw new TypeError('options.url must be a ws:// or wss:// URL, or a non-empty array of them');
  urls.forEach((each, index) => {
    if (typeof each !== 'string' || !/^wss?:\/\//.test(each)) {
      const where = typeof url === 'string' ? 'options.url' : `options.url[${index}]`;
      throw new TypeError(`${where} must be a ws:// or wss:// URL`);
    }
  });
  return Object.freeze(urls);
}

/** Which of the URLs the next dial uses: the same one until a connection closes, then the next. */
export class Endpoints {
  readonly #urls: readonly string[];
  #index = 0;

  constructor(urls: readonly string[]) {
    this.#urls = urls;
  }

  get current(): string {
    return this.#urls[this.#index] as string;
  }

  /** A connection closed or never opened: the next dial tries the next address (round-robin). */
  rotate(): void {
    this.#index = (this.#index + 1) % this.#urls.length;
  }
}
