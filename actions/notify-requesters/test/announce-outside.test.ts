// The chat announcement's thanks to the people who asked outside GitHub: who is named on which chat
// (askedHere), how names are written (plain text, never an @-mention, bounded), and the whole flow through
// HTTP: a release whose issue's prioritize marker records them, announced on a Discord-shaped webhook.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTSIDE_NAME_MAX, type PrioritizeMarkerData, renderMarker } from '@userloop/core';
import { startSim, type Sim } from '@userloop/github-sim';
import { main } from '../src/main.ts';
import { announcementPayload, announcementText, askedHere } from '../src/webhook.ts';
import { addIssue, FULL, mainInput, mergePr, octokitFor, publish, seedRepo } from './fixture.ts';

const DISCORD_HOOK = 'https://discord.com/api/webhooks/123456/secret-token';
const SLACK_HOOK = 'https://hooks.slack.com/services/T000/B000/XXXX';
const MATTERMOST_HOOK = 'https://chat.example.com/hooks/abc123';

const dana = { name: 'Dana', place: 'Discord', url: 'https://discord.com/channels/11/22/33' };
const lee = { name: 'Lee', url: 'https://discord.gg/invite-code' };
const kim = { name: 'Kim', place: 'Forum', url: 'https://forum.example.com/t/7' };
const sam = { name: 'Sam', place: 'Slack', url: 'https://acme.slack.com/archives/C1/p2' };
const mo = { name: 'Mo', place: 'Mattermost', url: 'https://chat.example.com/acme/pl/xyz' };
const noLink = { name: 'Ana', place: 'discord server' };

describe('askedHere: who the announcement names', () => {
  it('on a Discord webhook: people whose place or link is Discord, and nobody else', () => {
    expect(askedHere(DISCORD_HOOK, [dana, lee, kim, sam, mo, noLink])).toEqual(['Dana', 'Lee', 'Ana']);
    // A Discord-compatible host, recognised by its webhook path.
    expect(askedHere('https://hooks.example.net/api/webhooks/1/tok', [dana, kim])).toEqual(['Dana']);
  });

  it('on a Slack webhook: a Discord person is not named, a Slack one is', () => {
    expect(askedHere(SLACK_HOOK, [dana, lee, noLink])).toEqual([]);
    expect(askedHere(SLACK_HOOK, [dana, sam, kim])).toEqual(['Sam']);
  });

  it("on another host: only people whose link is on the webhook's host", () => {
    expect(askedHere(MATTERMOST_HOOK, [dana, mo, kim, sam])).toEqual(['Mo']);
    expect(askedHere(MATTERMOST_HOOK, [{ name: 'Pat', place: 'chat.example.com' }])).toEqual([]);
  });
});

describe('announcementText: the names', () => {
  const base = { name: 'v2.0.0', version: '2.0.0', releaseUrl: 'https://github.com/acme/notes/releases/tag/v2.0.0', snippets: [] };

  it('thanks each by name as plain text, never as an @-mention (Discord pings nobody)', () => {
    const text = announcementText({ ...base, askedBy: ['Dana', 'Lee'], host: 'discord' });
    expect(text).toBe(`Released v2.0.0 (version 2.0.0): ${base.releaseUrl}\n\nThanks to Dana, Lee, who asked for it here.`);
    expect(text).not.toMatch(/@Dana|<@/);
    expect(announcementPayload(DISCORD_HOOK, text)).toEqual({ content: text, allowed_mentions: { parse: [] } });
  });

  it('makes a name that tries to mention or link inert: @everyone broken, Discord markdown escaped, Slack link syntax escaped', () => {
    const discord = announcementText({ ...base, askedBy: ['@everyone', '[free nitro](https://evil.example) *Ray*'], host: 'discord' });
    expect(discord).toContain('Thanks to @\u200Beveryone, \\[free nitro\\](https://evil.example) \\*Ray\\*, who asked for it here.');
    expect(discord).not.toContain('@everyone');
    const slack = announcementText({ ...base, askedBy: ['<!channel> Jo', '@here'], host: 'slack' });
    // A name is kept as the ledger keeps it (no < > or backticks), and @ is broken.
    expect(slack).toContain('Thanks to !channel Jo, @\u200Bhere, who asked for it here.');
    expect(slack).not.toContain('<!channel>');
  });

  it('is bounded: one line per name, at most 80 characters each, at most 20 names then how many more, within the limit', () => {
    const long = `Al${'x'.repeat(300)}`;
    const one = announcementText({ ...base, askedBy: [`  ${long}\n\nsecond line `], host: 'discord' });
    const line = one.split('\n').find((l) => l.startsWith('Thanks to '))!;
    const name = line.slice('Thanks to '.length, -', who asked for it here.'.length);
    expect(name).toHaveLength(OUTSIDE_NAME_MAX);
    expect(name.endsWith('…')).toBe(true);
    expect(one).not.toContain('second line');

    const many = Array.from({ length: 25 }, (_, i) => `Person ${i + 1}`);
    const text = announcementText({ ...base, askedBy: [...many, 'Person 1'], host: 'other' });
    expect(text).toContain('Person 20 and 5 more, who asked for it here.');
    expect(text).not.toContain('Person 21');

    const tight = announcementText({ ...base, askedBy: many.map((_, i) => `${i} ${long}`), host: 'discord', limit: 300 });
    expect(tight.length).toBeLessThanOrEqual(300);
  });
});

describe('the announcement of a release, through HTTP', () => {
  let sim: Sim;
  let server: Server;
  let received: unknown[];

  beforeEach(async () => {
    sim = await startSim();
    seedRepo(sim.store);
    received = [];
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
  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    sim.assertClean();
    await sim.stop();
  });

  it('on a Discord webhook names those who asked on Discord, never pinging them, and the docs-review issue lists everyone to tell', async () => {
    const s = sim.store;
    const issue = addIssue(s, 'alice', 'Dark mode');
    const by = (o: { name: string; place?: string; url?: string }) => ({ ...o, by: 'maintainer', source: `https://github.com/${FULL}/issues/${issue}#issuecomment-1` });
    const marker: PrioritizeMarkerData = {
      priority: 'high',
      path: [],
      due: null,
      ledger: { requesters: [{ login: 'alice', via: 'author' }], places: [], outside: [by(dana), by(kim), by({ name: '@everyone Ray', place: 'Discord' })] },
    };
    s.createComment(FULL, issue, { user: 'github-actions[bot]', body: `Priority: high\n\n${renderMarker('prioritize', marker)}` });
    mergePr(s, { title: 'feat: dark mode', closes: [issue] });
    publish(s);
    // A Discord-shaped webhook path: the announcement is sent as Discord's `content`.
    const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/123/tok`;
    const result = await main(mainInput([], { webhookUrl }), { octokit: octokitFor(sim) });
    expect(result.announcement?.status).toBe('sent');
    expect(received).toHaveLength(1);
    const body = received[0] as { content: string; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toContain('Thanks to Dana, @\u200Beveryone Ray, who asked for it here.');
    expect(body.content).not.toContain('Kim');
    expect(body.content).not.toContain('@Dana');
    const review = [...s.mustRepo(FULL).issues.values()].find((i) => i.title === 'Docs review for v1.1.0');
    expect(review?.body).toContain('### People outside GitHub to tell');
    expect(review?.body).toContain(`- [ ] Dana on Discord: [where they asked](${dana.url}) (asked for #${issue})`);
    expect(review?.body).toContain(`- [ ] Kim on Forum: [where they asked](${kim.url}) (asked for #${issue})`);
  });
});
