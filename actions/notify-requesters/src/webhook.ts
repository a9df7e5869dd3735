// The optional release announcement on a chat incoming webhook (Slack, Mattermost, Google Chat, Rocket.Chat
// take `text`; Discord takes `content`). A failure is reported, never thrown: it becomes a warning.
import { neutraliseAtSigns, outsideName, type OutsideRequester, stripBidi } from '@userloop/core';

/** What became of the announcement. */
export interface AnnounceResult {
  status: 'sent' | 'failed' | 'skipped';
  detail: string;
}

/** Discord's limit on a webhook message's `content` (characters). */
const DISCORD_CONTENT_LIMIT = 2000;
/** Slack truncates a message's `text` past 40,000 characters. */
const SLACK_TEXT_LIMIT = 40_000;
/**
 * The default length of the announcement on hosts other than Discord: under the 4,000 characters Slack
 * recommends for `text` and Google Chat's 4,096; Mattermost takes 16,383.
 */
const DEFAULT_ANNOUNCEMENT_LIMIT = 3500;

/** What the announcement says. */
export interface AnnounceInput {
  url: string;
  name: string;
  version: string;
  releaseUrl: string;
  snippets: readonly { number: number; title: string; snippet: string }[];
  /** People who asked outside GitHub on this chat ({@link askedHere}): named, never mentioned. */
  askedBy?: readonly string[];
  /**
   * Characters of text at most: default {@link DISCORD_CONTENT_LIMIT} on Discord, else
   * {@link DEFAULT_ANNOUNCEMENT_LIMIT}; never more than the host's own limit.
   */
  limit?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The chat service a webhook URL belongs to, for its limits, mention rules and payload. */
export type ChatHost = 'discord' | 'slack' | 'other';

/**
 * Which chat service a webhook URL belongs to: Discord by its host or by the shape of its webhook path
 * (`/api/webhooks/{id}/{token}`, also served by Discord-compatible hosts), Slack by its host, `other` for
 * Mattermost, Google Chat, Rocket.Chat and anything else.
 */
export function chatHost(url: string): ChatHost {
  let host = '';
  let path = '';
  try {
    const parsed = new URL(url);
    host = parsed.hostname.toLowerCase();
    path = parsed.pathname;
  } catch {
    host = '';
  }
  if (/(^|\.)discord(app)?\.com$/.test(host) || /^\/api(?:\/v\d+)?\/webhooks\/\d+\/[^/]+\/?$/.test(path)) return 'discord';
  if (/(^|\.)slack\.com$/.test(host)) return 'slack';
  return 'other';
}

/** The most characters the announcement may have on `host`: the one asked for, within the host's own limit. */
export function announcementLimit(host: ChatHost, limit?: number): number {
  const hostMax = host === 'discord' ? DISCORD_CONTENT_LIMIT : SLACK_TEXT_LIMIT;
  const wanted = limit ?? (host === 'discord' ? DISCORD_CONTENT_LIMIT : DEFAULT_ANNOUNCEMENT_LIMIT);
  return Math.max(1, Math.min(hostMax, Math.floor(wanted)));
}

/**
 * A text a person wrote (a title, a snippet), made inert for a chat message: bidi controls removed, every
 * `@` that could start a mention (`@everyone`, `@here`, `@channel`, `<@123>`, `<@&123>`) broken with a zero-width
 * space, and on Slack-style hosts `&`, `<`, `>` escaped as Slack asks (so no `<!channel>` or `<@U1>`).
 */
export function chatSafe(text: string, host: ChatHost): string {
  // Discord's role and nickname mentions (`<@&1>`, `<@!1>`) too.
  const t = neutraliseAtSigns(stripBidi(text)).replace(/<@(?=[&!])/g, '<@\u200B');
  return host === 'discord' ? t : t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The announcement text: the release name, its version and link, the names of those who asked on this chat
 * (`askedBy`: at most 20, each one line of at most 80 characters, never an @-mention), then each usage
 * snippet, every text a person wrote made inert with {@link chatSafe}. Never longer than `limit`
 * ({@link announcementLimit}): the parts that do not fit give way to one line pointing to the release notes.
 */
export function announcementText(input: Pick<AnnounceInput, 'name' | 'version' | 'releaseUrl' | 'snippets' | 'limit' | 'askedBy'> & { host?: ChatHost }): string {
  const host = input.host ?? 'other';
  const limit = announcementLimit(host, input.limit);
  const safe = (text: string) => chatSafe(text, host);
  const more = `\n\nMore in the release notes: ${input.releaseUrl}`;
  const parts = [`Released ${safe(input.name)} (version ${safe(input.version)}): ${input.releaseUrl}`];
  // Names as plain text on one line, as the ledger keeps them, whatever the caller passes.
  const asked = [...new Set((input.askedBy ?? []).map(outsideName).filter((n) => n !== '' && n !== '…'))];
  if (asked.length > 0) {
    // On Discord a name is also kept from forming markdown (a masked link `[text](url)`, bold, spoilers).
    const name = (n: string) => (host === 'discord' ? safe(n).replace(/[\\*_~|[\]`]/g, '\\$&') : safe(n));
    const shown = asked.slice(0, 20).map(name);
    const names = asked.length > shown.length ? `${shown.join(', ')} and ${asked.length - shown.length} more` : shown.join(', ');
    parts.push(`Thanks to ${names}, who asked for it here.`);
  }
  for (const s of input.snippets) parts.push(`How to use: ${safe(s.title)} (#${s.number})\n${safe(s.snippet)}`);
  let text = '';
  for (const [i, part] of parts.entries()) {
    const next = text === '' ? part : `${text}\n\n${part}`;
    const last = i === parts.length - 1;
    if (next.length <= (last ? limit : limit - more.length)) {
      text = next;
      continue;
    }
    text = text === '' ? part.slice(0, Math.max(0, limit - more.length - 1)) + '…' : text;
    text += more;
    break;
  }
  if (text.length > limit) text = text.slice(0, limit);
  return text;
}

/** The host of a link, lower-case, or `''`. */
function hostOf(url: string | undefined): string {
  try {
    return url ? new URL(url).hostname.toLowerCase() : '';
  } catch {
    return '';
  }
}

/**
 * The names of the people outside GitHub who asked on the chat the webhook posts to: their place is that
 * chat service (a Discord link or place with a Discord webhook, Slack with Slack), or, for other hosts, their
 * link is on the webhook's host. Names only: the announcement never mentions anyone.
 */
export function askedHere(webhookUrl: string, people: readonly Pick<OutsideRequester, 'name' | 'place' | 'url'>[]): string[] {
  const host = chatHost(webhookUrl);
  const webhookHost = hostOf(webhookUrl);
  return people
    .filter((p) => {
      const h = hostOf(p.url);
      const place = (p.place ?? '').toLowerCase();
      if (host === 'discord') return /(^|\.)discord(app)?\.(com|gg)$/.test(h) || place.includes('discord');
      if (host === 'slack') return /(^|\.)slack\.com$/.test(h) || place.includes('slack');
      return h !== '' && h === webhookHost;
    })
    .map((p) => p.name);
}

/**
 * The JSON body for the webhook's host: Discord's `content` with `allowed_mentions: { parse: [] }` (nobody
 * and no role is pinged, whatever the text says), within Discord's 2,000 characters; `text` elsewhere.
 */
export function announcementPayload(url: string, text: string): Record<string, unknown> {
  return chatHost(url) === 'discord'
    ? { content: text.slice(0, DISCORD_CONTENT_LIMIT), allowed_mentions: { parse: [] } }
    : { text: text.slice(0, SLACK_TEXT_LIMIT) };
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
  const text = announcementText({ ...input, host: chatHost(input.url) });
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
