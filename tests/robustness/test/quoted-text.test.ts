// Every text a person wrote is quoted inert and cut to fit (issue 14, points 3 and 4), through the real
// bundled actions against the emulator, which rejects bodies over GitHub's limits (65,536 for an issue or a
// comment, 125,000 for a release):
//  - no @-mention form GitHub links (`.@a`, `-@a`, `_@org/team_`, `(@a`, `&#64;a`) survives in a notice, the
//    docs-review issue, the release notes or the sticky comment; images and links in a title are inert text;
//    bidi override characters are gone; no quoted text carries a marker (`<!--` broken, code included);
//  - a 70,000-character how-to-use section is cut with a link to its pull request: every requester is told,
//    one notice each, and the re-run writes nothing;
//  - a 70,000-character forum link in a comment never makes prioritize fail;
//  - the chat announcement goes to Discord with `allowed_mentions: { parse: [] }` within 2,000 characters.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findMarkers, parseMarkdown } from '@userloop/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../packages/github-sim/src/index.ts';
import { BOT, SCENARIOS, describeRun, runScenario, seedNotifyRelease, withScenario, type NotifySeed, type Scenario } from './scenarios.ts';

/** A markdown node as core's parser gives it. */
type Nodes = ReturnType<typeof parseMarkdown> | ReturnType<typeof parseMarkdown>['children'][number];

const HELLO = 'Codertocat/Hello-World';
const OCTO = 'octo-org/octo-repo';
const RLO = '\u202E';
const LRI = '\u2066';

/** Every @-mention form GitHub links, with the login (or team) each one would ping. */
const MENTION_FORMS = ['.@dotted', '-@dashed', '_@octo-org/emphasised_', '(@paren)', '&#64;entity', '/@slashed'];
const PINGED = ['@dotted', '@dashed', '@octo-org/emphasised', '@paren', '@entity', '@slashed'];
const HOSTILE_TITLE = `feat: ![pixel](https://t.example/p.gif) [click me](https://evil.example/login) ${MENTION_FORMS.join(' ')} ${RLO}gnp.exe${LRI}`;

/**
 * The @-mentions GitHub would link in a body: `@login` or `@org/team` after the start or any character that
 * is not a letter or digit, outside code and links, `&#64;` read as `@`.
 */
function liveMentions(body: string): string[] {
  const out: string[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === 'code' || node.type === 'inlineCode' || node.type === 'link' || node.type === 'definition') return;
    if (node.type === 'text' || node.type === 'html') {
      // A text node's value is already decoded (`&#64;` is `@` there); raw HTML is decoded by the browser.
      const text = node.type === 'html' ? node.value.replace(/&#0*64;|&#x0*40;|&commat;/gi, '@') : node.value;
      for (const m of text.matchAll(/(?:^|[^A-Za-z0-9])@([A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][\w-]*)?)/g)) out.push(`@${m[1]}`);
    }
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
  };
  visit(parseMarkdown(body));
  return out;
}

/** Images and links the body renders, by URL. */
function liveLinks(body: string): { images: string[]; links: string[] } {
  const images: string[] = [];
  const links: string[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === 'image') images.push(node.url);
    if (node.type === 'link') links.push(node.url);
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
  };
  visit(parseMarkdown(body));
  return { images, links };
}

/**
 * Asserts a body the bot wrote quotes hostile text inertly: no mention but the bot's own, no image, no
 * bidi control; with `titles`, no link from the title either (a quoted block may show a URL as a link).
 */
function expectInert(body: string, allowedMentions: readonly string[] = [], titles = true): void {
  for (const p of PINGED) expect(body, `${p} is linked`).not.toContain(p);
  expect(liveMentions(body).filter((m) => !allowedMentions.includes(m))).toEqual([]);
  const { images, links } = liveLinks(body);
  expect(images).toEqual([]);
  if (titles) expect(links.filter((u) => /t\.example|evil\.example/.test(u))).toEqual([]);
  expect(body).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
}

// ----- notify-requesters: one release resolving two issues, three people asked -----

function notifyScenario(seed: NotifySeed): Scenario {
  return { ...SCENARIOS['notify-requesters'], seed: (store: Store) => seedNotifyRelease(store, seed) };
}

function notices(store: Store): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const issue of store.mustRepo(HELLO).issues.values()) {
    if (issue.pull_request) continue;
    const bodies = store.commentsOf(HELLO, issue.number).filter((c) => c.user === BOT).map((c) => c.body);
    if (bodies.length > 0) out.set(issue.number, bodies);
  }
  return out;
}

describe.concurrent('notify-requesters quotes people inertly', () => {
  it('a hostile pull request title: no mention form, image, link or bidi control is live in the notices and the docs-review issue', async () => {
    const sc = notifyScenario({ title: HOSTILE_TITLE, files: ['docs/fr.md', `docs/${RLO}evil<!-- userloop:notify {} -->.md`] });
    await withScenario(sc, async (sim, event) => {
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(0);
      const told = notices(sim.store);
      expect([...told.values()].map((b) => b.length)).toEqual([1, 1]);
      for (const [body = ''] of told.values()) {
        expect(body).toContain('feat: '); // the title is there, as text
        expectInert(body, ['@alice', '@bob', '@carol']);
      }
      const review = [...sim.store.mustRepo(HELLO).issues.values()].find((i) => i.user === BOT)!;
      expect(review, 'the docs-review issue').toBeDefined();
      expectInert(review.body ?? '');
      expect(findMarkers(review.body ?? '', 'notify')).toEqual([]);
      // No notice marker (a notice's is `<!-- userloop:notify {…} -->`; the release's progress has a kind of its own).
      expect(review.body).not.toContain('<!-- userloop:notify {');
    });
  });

  it('a how-to-use snippet with every mention form, raw HTML, a bidi override and a copy of a marker in code is quoted inert', async () => {
    const forged = '<!-- userloop:prioritize {"priority":"fix-it-now","path":[],"due":"2000-01-01","ledger":{"requesters":[{"login":"victim","via":"comment"}],"places":[]}} -->';
    const body = [
      '## How to use',
      '',
      `Ask ${MENTION_FORMS.join(' or ')} ${RLO}for help.`,
      '',
      '<img src="https://t.example/p.gif"> <details open>',
      '',
      '```sh',
      forged,
      'hello --lang fr',
      '```',
    ].join('\n');
    const sc = notifyScenario({ body });
    await withScenario(sc, async (sim, event) => {
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(0);
      expect([...notices(sim.store).values()].map((b) => b.length)).toEqual([1, 1]);
      for (const [notice = ''] of notices(sim.store).values()) {
        expect(notice).toContain('hello --lang fr');
        expectInert(notice, ['@alice', '@bob', '@carol'], false);
        expect(notice).not.toContain('<img');
        expect(notice).not.toContain('<!-- userloop:prioritize');
        expect(findMarkers(notice, 'prioritize')).toEqual([]);
      }
    });
  });

  it('a 70,000-character how-to-use section: every requester told, one notice each, cut with a link to the pull request; the re-run writes nothing', async () => {
    const lines = Array.from({ length: 1_400 }, (_, i) => `step ${i}: ${'x'.repeat(44)}`);
    const body = `## How to use\n\n\`\`\`sh\n${lines.join('\n')}\n\`\`\`\n`;
    expect(body.length).toBeGreaterThan(70_000);
    const sc = notifyScenario({ body });
    await withScenario(sc, async (sim, event) => {
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(0);
      const told = notices(sim.store);
      expect(told.size).toBe(2);
      const all = [...told.values()];
      expect(all.map((b) => b.length)).toEqual([1, 1]);
      const everyone = all.flat().join('\n');
      for (const login of ['alice', 'bob', 'carol']) expect(everyone).toContain(`@${login}`);
      const pr = [...sim.store.mustRepo(HELLO).issues.values()].find((i) => i.pull_request)!;
      for (const [notice = ''] of all) {
        expect(notice.length).toBeLessThanOrEqual(65_536);
        expect(notice).toContain('step 0: ');
        expect(notice).toContain(`read all of it in #${pr.number}`);
        // The cut code block is closed before the bot's own text goes on.
        expect((notice.match(/^```/gm) ?? []).length % 2).toBe(0);
      }

      sim.resetCounters();
      const again = await runScenario(sc, sim, event);
      expect(again.exitCode, describeRun(again)).toBe(0);
      expect(again.requests.filter((q) => q.method !== 'GET' && q.route !== 'POST /graphql')).toEqual([]);
      expect([...notices(sim.store).values()].map((b) => b.length)).toEqual([1, 1]);
    });
  });
});

describe('the chat announcement', () => {
  let server: Server;
  const received: unknown[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(204);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('goes to a Discord webhook with allowed_mentions empty, within 2,000 characters, mentions broken', async () => {
    const body = `## How to use\n\nAsk @everyone or @here or <@123456> or <@&654321>.\n\n\`\`\`sh\n${'hello --lang fr\n'.repeat(300)}\`\`\`\n`;
    const sc = notifyScenario({ title: 'feat: ping @everyone', body });
    await withScenario(sc, async (sim, event) => {
      const port = (server.address() as AddressInfo).port;
      const r = await runScenario(sc, sim, event, { inputs: { 'webhook-url': `http://127.0.0.1:${port}/api/webhooks/123456789/secret-token` } });
      expect(r.exitCode, describeRun(r)).toBe(0);
      expect(received).toHaveLength(1);
      const payload = received[0] as { content: string; allowed_mentions?: unknown };
      expect(payload.allowed_mentions).toEqual({ parse: [] });
      expect(payload.content.length).toBeLessThanOrEqual(2_000);
      expect(payload.content).toContain('More in the release notes');
      expect(payload.content).not.toMatch(/@(everyone|here|\d|&\d)/);
    });
  });
});

// ----- draft-release-notes: the release notes quote the title and the snippet -----

describe.concurrent('draft-release-notes quotes people inertly', () => {
  it('a hostile title and a 70,000-character snippet: title inert, snippet cut with a link to its pull request', async () => {
    const base = SCENARIOS['draft-release-notes'];
    const lines = Array.from({ length: 1_400 }, (_, i) => `step ${i}: ${'y'.repeat(44)}`);
    const sc: Scenario = {
      ...base,
      seed(store) {
        const event = base.seed(store);
        const pr = [...store.mustRepo(OCTO).issues.values()].find((i) => i.title === 'feat: export')!;
        pr.title = HOSTILE_TITLE;
        pr.body = `## How to use\n\n\`\`\`sh\n${lines.join('\n')}\n\`\`\`\n`;
        return event;
      },
    };
    await withScenario(sc, async (sim, event) => {
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(0);
      const draft = sim.store.listReleases(OCTO).find((x) => x.draft)!;
      const body = draft.body ?? '';
      expect(body.length).toBeLessThanOrEqual(125_000);
      const pr = [...sim.store.mustRepo(OCTO).issues.values()].find((i) => i.title === HOSTILE_TITLE)!;
      expect(body).toContain(`read all of it in [#${pr.number}](`);
      expect(body).toContain('step 0: ');
      expect(body).not.toContain('step 1399: ');
      expectInert(body.replace(/\[#\d+\]\([^)]*\)/g, ''), ['@alice', '@bob', '@carol']);
    });
  });
});

// ----- require-docs: the sticky comment repeats the how-to-use heading -----

describe.concurrent('require-docs quotes the pull request inertly', () => {
  it('a heading with every mention form, raw HTML and a bidi override is inert in the sticky comment', async () => {
    const base = SCENARIOS['require-docs'];
    const sc: Scenario = {
      ...base,
      seed(store) {
        const event = base.seed(store);
        const pr = (event.payload['pull_request'] as { number: number; body: string | null });
        pr.body = `Adds an export.\n\n## How to use ${MENTION_FORMS.join(' ')} <img src="https://t.example/p.gif"> ${RLO}x\n\nShort.\n`;
        store.mustIssue(HELLO, pr.number).body = pr.body;
        return event;
      },
    };
    await withScenario(sc, async (sim, event) => {
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(1);
      const number = (event.payload['pull_request'] as { number: number }).number;
      const sticky = sim.store.commentsOf(HELLO, number).filter((c) => c.user === BOT);
      expect(sticky).toHaveLength(1);
      expect(sticky[0]!.body).toContain('How to use');
      expectInert(sticky[0]!.body, [], false);
      expect(sticky[0]!.body).not.toContain('<img');
    });
  });
});

// ----- prioritize: a 70,000-character forum link -----

describe.concurrent('prioritize and a 70,000-character forum link', () => {
  it('never fails: the place is counted, pointing at the comment, on this event and every later one', async () => {
    const base = SCENARIOS.prioritize;
    const link = `https://forum.example.com/t/${'a'.repeat(70_000)}`;
    const sc: Scenario = {
      ...base,
      config: 'prioritize:\n  community-hosts:\n    - forum.example.com\n',
      seed(store) {
        const event = base.seed(store);
        store.createComment(HELLO, 1, { user: 'mallory', body: `Discussed at ${link}` });
        return event;
      },
    };
    await withScenario(sc, async (sim, event) => {
      for (let run = 0; run < 2; run += 1) {
        const r = await runScenario(sc, sim, event);
        expect(r.exitCode, describeRun(r)).toBe(0);
        const replies = sim.store.commentsOf(HELLO, 1).filter((c) => c.user === BOT);
        expect(replies).toHaveLength(1);
        const reply = replies[0]!.body;
        expect(reply.length).toBeLessThanOrEqual(65_536);
        expect(reply).not.toContain('a'.repeat(1_000));
        expect(reply).toContain('[forum.example.com](');
      }
    });
  });
});
