// The fetch Octokit sends its requests with when no proxy applies: Node's own http and https modules behind
// the part of fetch's interface Octokit uses. Node's global fetch loads its copy of undici (and compiles its
// HTTP parser) on the first request, about 20 ms of every run's start; http and https are part of Node's
// startup. Redirects, compressed answers and network errors behave as fetch's do.
import type { IncomingMessage, RequestOptions } from 'node:http';

/** The most redirects followed, as fetch. */
const MAX_REDIRECTS = 20;
/** No answer (headers or body) for this long fails the request, as undici's default timeouts do. */
const IDLE_TIMEOUT_MS = 300_000;

/** A request body this fetch sends itself; any other (a stream) goes to Node's fetch. */
type PlainBody = string | Uint8Array | undefined | null;

/** What Octokit reads of a response: status, final URL, headers, and the body as text or bytes. */
interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly ok: boolean;
  readonly redirected: boolean;
  readonly headers: ResponseHeaders;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A response's headers: names in lower case, repeated ones joined with `, ` (set-cookie aside), as `Headers`. */
class ResponseHeaders {
  readonly #entries: Map<string, string>;

  constructor(raw: IncomingMessage['headers']) {
    this.#entries = new Map();
    for (const [name, value] of Object.entries(raw)) {
      if (value !== undefined) this.#entries.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
  }

  get(name: string): string | null {
    return this.#entries.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.#entries.has(name.toLowerCase());
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return [...this.#entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))[Symbol.iterator]();
  }
}

/** fetch's error for a request that failed on the network: `TypeError('fetch failed')` with the cause. */
function networkError(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('This operation was aborted', { cause: reason });
  error.name = 'AbortError';
  return error;
}

/** Reads the whole body, decompressing it when the server compressed it. */
async function readBody(response: IncomingMessage): Promise<Buffer> {
  const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
  let stream: NodeJS.ReadableStream = response;
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate' || encoding === 'br') {
    const zlib = await import('node:zlib');
    const decoder = encoding === 'br' ? zlib.createBrotliDecompress() : encoding === 'deflate' ? zlib.createInflate() : zlib.createGunzip();
    response.on('error', (error) => decoder.destroy(error));
    stream = response.pipe(decoder);
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  } catch (error) {
    throw networkError(error);
  }
  return Buffer.concat(chunks);
}

function toResponse(response: IncomingMessage, url: string, redirected: boolean): HttpResponse {
  const status = response.statusCode ?? 0;
  // Read at once, whether or not anyone asks for it: a body left unread (a 204's, which Octokit never
  // reads) holds its connection open, and the process alive, until the server closes it.
  const body = readBody(response);
  body.catch(() => undefined);
  const bytes = (): Promise<Buffer> => body;
  return {
    status,
    statusText: response.statusMessage ?? '',
    url,
    ok: status >= 200 && status < 300,
    redirected,
    headers: new ResponseHeaders(response.headers),
    text: async () => (await bytes()).toString('utf8'),
    json: async () => JSON.parse((await bytes()).toString('utf8')) as unknown,
    arrayBuffer: async () => {
      const b = await bytes();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
  };
}

/** Sends one request (no redirects followed) and resolves with the response once its headers arrived. */
async function send(url: URL, method: string, headers: Record<string, string>, body: PlainBody, signal: AbortSignal | null | undefined): Promise<IncomingMessage> {
  const http = url.protocol === 'https:' ? await import('node:https') : url.protocol === 'http:' ? await import('node:http') : null;
  if (http === null) throw networkError(new Error(`unsupported protocol ${url.protocol}`));
  if (signal?.aborted) throw abortError(signal);
  const options: RequestOptions = { method, headers: { 'accept-encoding': 'gzip, deflate, br', ...headers } };
  return new Promise<IncomingMessage>((resolve, reject) => {
    const request = http.request(url, options, (response) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(response);
    });
    function onAbort(this: AbortSignal): void {
      request.destroy();
      reject(abortError(this));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    request.setTimeout(IDLE_TIMEOUT_MS, () => request.destroy(new Error(`no answer for ${IDLE_TIMEOUT_MS / 1000} s`)));
    request.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(networkError(error));
    });
    request.end(body ?? undefined);
  });
}

/**
 * fetch for Octokit over node:http / node:https: string and byte bodies, `redirect` `follow` (at most 20;
 * a 303, or a 301/302 to a `POST`, becomes a `GET` without its body; `authorization` is dropped when the
 * redirect leaves the origin), `manual` (the 3xx is the answer) and `error`; `signal`; gzip, deflate and
 * brotli answers. A request with another kind of body (a stream) is sent by Node's fetch.
 */
export async function httpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const body = init.body as unknown;
  // (`instanceof Request` would load Node's fetch, the cost this module avoids.)
  if (typeof input === 'object' && !(input instanceof URL)) return globalThis.fetch(input, init);
  if (!(body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array)) {
    return globalThis.fetch(input, init);
  }
  let url = new URL(String(input));
  let method = (init.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) headers[name.toLowerCase()] = String(value);
  let payload: PlainBody = body as PlainBody;
  for (let redirects = 0; ; redirects++) {
    const response = await send(url, method, headers, payload, init.signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (![301, 302, 303, 307, 308].includes(status) || location === undefined || init.redirect === 'manual') {
      return toResponse(response, url.href, redirects > 0) as unknown as Response;
    }
    response.resume();
    if (init.redirect === 'error') throw networkError(new Error(`redirected (${status}) with redirect: 'error'`));
    if (redirects >= MAX_REDIRECTS) throw networkError(new Error('redirect count exceeded'));
    const next = new URL(location, url);
    if (next.origin !== url.origin) delete headers['authorization'];
    if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
      method = 'GET';
      payload = undefined;
      for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) delete headers[name];
    }
    url = next;
  }
}
