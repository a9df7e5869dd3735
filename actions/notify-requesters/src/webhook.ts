// The optional release announcement on a chat incoming webhook (Slack, Mattermost, Google Chat, Rocket.Chat
// take `text`; Discord takes `content`). A failure is reported, never thrown: it becomes a warning.

/** What became of the announcement. */
export interface AnnounceResult {
  status: 'sent' | 'failed' | 'skipped';
  detail: string;
}

/** What the announcement says. */
export interface AnnounceInput {
  url: string;
  name: string;
  version: string;
  releaseUrl: string;
  snippets: readonly { number: number; title: string; snippet: string }[];
  /** Characters of text at most (default 3,500, under Slack's and Discord's limits once formatted). */
  limit?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The announcement text: the release name, its version and link, then each usage snippet. Cut to `limit`. */
export function announcementText(input: Pick<AnnounceInput, 'name' | 'version' | 'releaseUrl' | 'snippets' | 'limit'>): string {
  const limit = input.limit ?? 3500;
  const parts = [`Released ${input.name} (version ${input.version}): ${input.releaseUrl}`];
  for (const s of input.snippets) parts.push(`How to use: ${s.title} (#${s.number})\n${s.snippet}`);
  let text = '';
  for (const part of parts) {
    const next = text === '' ? part : `${text}\n\n${part}`;
    if (next.length > limit) {
      text += `\n\nMore in the release notes: ${input.releaseUrl}`;
      break;
    }
    text = next;
  }
  return text;
}

/** The JSON body for the webhook's host. */
export function announcementPayload(url: string, text: string): Record<string, string> {
  let host = '';
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    host = '';
  }
  return /(^|\.)discord(app)?\.com$/.test(host) ? { content: text.slice(0, 2000) } : { text };
}

/** Posts the announcement; resolves with what happened (never rejects). */
export async function announce(input: AnnounceInput): Promise<AnnounceResult> {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return { status: 'failed', detail: 'the webhook-url input is not a URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { status: 'failed', detail: `unsupported webhook URL scheme ${url.protocol}` };
  const text = announcementText(input);
  const doFetch = input.fetch ?? fetch;
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(announcementPayload(input.url, text)),
      signal: AbortSignal.timeout(input.timeoutMs ?? 10_000),
    });
    if (!response.ok) return { status: 'failed', detail: `the webhook answered ${response.status} ${response.statusText}`.trim() };
    return { status: 'sent', detail: `posted to ${url.host}` };
  } catch (error) {
    return { status: 'failed', detail: `the webhook could not be reached: ${error instanceof Error ? error.message : String(error)}` };
  }
}
