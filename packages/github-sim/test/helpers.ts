import type { Sim } from '../src/index.ts';

const TOKEN = 'test-token';

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** One REST call to the emulator through real HTTP. */
export async function api(sim: Sim, method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' };
  if (token) headers.authorization = `token ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(sim.url + path, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, body: parsed, json: parsed };
}

/** The Link header as rel -> page number. */
export function links(h: Headers): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (h.get('link') ?? '').split(', ').filter(Boolean)) {
    const m = /<([^>]+)>; rel="(\w+)"/.exec(part);
    if (m) out[m[2]!] = Number(new URL(m[1]!).searchParams.get('page'));
  }
  return out;
}
