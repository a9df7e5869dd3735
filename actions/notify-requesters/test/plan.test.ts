import { describe, expect, it } from 'vitest';
import { extractUsageSnippet, fillTemplate, globMatcher, notifyRequestersSection, parseConfig, type PullRequestDetails } from '@userloop/core';
import {
  checkedItems,
  chunk,
  docsReviewAssignees,
  issuesNamedIn,
  planComments,
  resolvedIssues,
  sameNotice,
  selectPreviousRelease,
  selectRecipients,
  toldAbout,
} from '../src/plan.ts';
import { versionOf } from '@userloop/core';
import type { ReleaseInfo } from '@userloop/core';
import type { CommentRead } from '../src/read.ts';
import { renderDocsReview, renderReleaseNotice, SNIPPET_HEADING_DEPTH } from '../src/render.ts';
import { triggerOf } from '../src/trigger.ts';
import { classifyWriteError } from '../src/writer.ts';
import { announcementLimit, announcementPayload, announcementText, chatHost, chatSafe } from '../src/webhook.ts';

const rel = (id: number, tag: string, extra: Partial<ReleaseInfo> = {}): ReleaseInfo => ({
  id,
  tag_name: tag,
  name: tag,
  draft: false,
  prerelease: false,
  target_commitish: 'main',
  html_url: `https://github.com/o/r/releases/tag/${tag}`,
  published_at: `2024-0${id}-01T00:00:00Z`,
  ...extra,
});

describe('releases', () => {
  it('versionOf strips the tag prefix', () => {
    expect(versionOf('v1.2.3')).toBe('1.2.3');
    expect(versionOf('pkg@1.2.3-rc.1')).toBe('1.2.3-rc.1');
    expect(versionOf('nightly')).toBe('nightly');
  });

  it('picks the previous release: highest lower version of the same prefix, no drafts, no pre-releases for a stable one', () => {
    const all = [rel(1, 'v1.0.0'), rel(2, 'v1.1.0'), rel(3, 'v1.2.0-rc.1', { prerelease: true }), rel(4, 'v1.3.0', { draft: true }), rel(5, 'other@9.0.0'), rel(6, 'v1.2.0')];
    expect(selectPreviousRelease(all, all[5]!)?.tag_name).toBe('v1.1.0');
    expect(selectPreviousRelease(all, rel(7, 'v1.2.0-rc.2', { prerelease: true }))?.tag_name).toBe('v1.2.0-rc.1');
    expect(selectPreviousRelease(all, all[0]!)).toBeNull();
    // Tags without versions: the latest published before it.
    expect(selectPreviousRelease([rel(1, 'alpha'), rel(2, 'beta')], rel(3, 'gamma'))?.tag_name).toBe('beta');
  });
});

describe('resolved issues', () => {
  it('finds issues named in text: #n, owner/repo#n, URLs; not other repositories, code or comments', () => {
    expect(issuesNamedIn('Fixes #1, o/r#2 and https://github.com/o/r/issues/3; x/y#4 `#5` <!-- #6 --> &#7; #1', 'o', 'r')).toEqual([3, 1, 2]);
  });

  it('merges closing references and keywords per pull request; body-named issues last; other repositories apart', () => {
    const pr = (number: number, body: string, closing: { repository: string; number: number }[]): PullRequestDetails => ({
      number,
      title: `PR ${number}`,
      body,
      url: '',
      mergedAt: null,
      author: null,
      labels: [],
      files: [],
      filesComplete: true,
      closingIssues: closing.map((c) => ({ ...c, title: '', url: '', state: 'CLOSED', author: null, comments: [] })),
    });
    const out = resolvedIssues([pr(10, 'Fixes #1 and resolves x/y#9', [{ repository: 'o/r', number: 2 }]), pr(11, 'closes #2', [])], 'See #3, #10 and #1', 'o', 'r');
    expect(out.issues).toEqual([
      { number: 2, pullRequests: [10, 11], fromBody: false },
      { number: 1, pullRequests: [10], fromBody: false },
      { number: 3, pullRequests: [], fromBody: true },
    ]);
    expect(out.elsewhere).toEqual(['x/y#9']);
  });
});

describe('recipients', () => {
  const c = (body: string, byViewer: boolean): CommentRead => ({ id: 1, url: '', body, createdAt: '', author: null, byViewer });

  it('reads who was told from the bot’s own markers only, for this tag only', () => {
    const comments = [
      c('<!-- userloop:notify {"tag":"v1","people":["Alice"]} -->', true),
      c('<!-- userloop:notify {"tag":"v1","people":["bob"]} -->', false),
      c('<!-- userloop:notify {"tag":"v0","people":["carol"]} -->', true),
    ];
    expect(toldAbout(comments, 'v1')).toEqual({ noticed: true, told: new Set(['alice']) });
    expect(toldAbout(comments, 'v2')).toEqual({ noticed: false, told: new Set() });
    expect(toldAbout([comments[1]!], 'v1').noticed).toBe(false);
  });

  it.each([
    ['alice', true],
    ['dependabot[bot]', false],
    ['ci-bot', false],
    ['optout', false],
    ['OptOut', false],
    ['told', false],
    ['assignee', false],
    ['ghost', false],
  ])('%s is told: %s', (login, expected) => {
    const out = selectRecipients({ logins: [login], bots: ['ci-bot'], optedOut: ['optout'], told: new Set(['told']), exclude: ['Assignee'] });
    expect(out.length === 1).toBe(expected);
  });

  it('keeps ledger order and each person once', () => {
    expect(selectRecipients({ logins: ['b', 'a', 'B'], bots: [], optedOut: [], told: new Set() })).toEqual(['b', 'a']);
  });

  it('plans comments: split at maxMentions; one without mentions for a first notice; none on a re-run', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    const people = Array.from({ length: 120 }, (_, i) => `u${i}`);
    expect(planComments(7, people, false, 50).map((p) => [p.people.length, p.first])).toEqual([
      [50, true],
      [50, false],
      [20, false],
    ]);
    expect(planComments(7, [], false, 50)).toEqual([{ issue: 7, people: [], first: true }]);
    expect(planComments(7, [], true, 50)).toEqual([]);
    expect(planComments(7, ['a'], true, 50)).toEqual([{ issue: 7, people: ['a'], first: false }]);
  });
});

describe('rendering', () => {
  it('renders the full notice exactly', () => {
    expect(
      renderReleaseNotice({
        tag: 'v1.2.0',
        version: '1.2.0',
        releaseName: 'v1.2.0 <b>',
        releaseUrl: 'https://github.com/o/r/releases/tag/v1.2.0',
        upgradeHint: 'npm i pkg@1.2.0',
        pullRequests: [{ number: 5, title: 'feat: dark mode for @team', snippet: 'Set `theme: dark`.' }, { number: 6, title: 'docs', snippet: null }],
        people: ['alice', 'bob'],
        first: true,
      }),
    ).toBe(
      [
        ':rocket: This is resolved in [**v1.2.0 &lt;b&gt;**](https://github.com/o/r/releases/tag/v1.2.0) (version `1.2.0`).',
        '',
        'Changed by #5 (feat: dark mode for @\u200Bteam), #6 (docs).',
        '',
        'To upgrade: `npm i pkg@1.2.0`',
        '',
        '<details><summary>How to use it (from #5)</summary>',
        '',
        'Set `theme: dark`.',
        '',
        '</details>',
        '',
        'cc @alice @bob',
        '',
        '<!-- userloop:notify {"tag":"v1.2.0","people":["alice","bob"]} -->',
      ].join('\n'),
    );
  });

  it('renders a follow-up group and a duplicate’s notice briefly', () => {
    const base = { tag: 'v1', version: '1', releaseName: 'v1', releaseUrl: 'u', upgradeHint: '', pullRequests: [{ number: 5, title: 't', snippet: 's' }] };
    expect(renderReleaseNotice({ ...base, people: ['c'], first: false })).toBe(
      ':rocket: Telling more people who asked for this: it is resolved in [**v1**](u) (version `1`).\n\ncc @c\n\n<!-- userloop:notify {"tag":"v1","people":["c"]} -->',
    );
    expect(renderReleaseNotice({ ...base, people: [], first: true, duplicateOf: 3 })).toBe(
      '#3, which this issue duplicates, is resolved in [**v1**](u) (version `1`).\n\n<!-- userloop:notify {"tag":"v1","people":[]} -->',
    );
  });

  it('extracts the how-to-use snippet: headings demoted, comments and fake markers dropped, HTML inert, mentions neutralised', () => {
    const body = '# Title\n\n## How to use it\n\n### Step\n\n<!-- userloop:notify {"tag":"v1","people":["x"]} -->\n<img src=x onerror=alert(1)>\n\nAsk @someone.\n\n```sh\n# keep @me\n```\n\n## Other\n\nno';
    const extractSnippet = (text: string, headings: string[]) => extractUsageSnippet(text, headings, { demoteTo: SNIPPET_HEADING_DEPTH });
    expect(extractSnippet(body, ['How to use'])).toBe(
      '#### Step\n\n&lt;img src=x onerror=alert(1)>\n\nAsk @\u200Bsomeone.\n\n```sh\n# keep @me\n```',
    );
    expect(extractSnippet('## Usage\n\n<!-- describe it -->\n', ['Usage'])).toBeNull();
    expect(extractSnippet('no sections', ['Usage'])).toBeNull();
  });

  it('fills templates', () => {
    expect(fillTemplate('npm i pkg@{version} # {tag} {name} {other}', { version: '1.0.0', tag: 'v1.0.0', name: 'One' })).toBe('npm i pkg@1.0.0 # v1.0.0 One {other}');
  });
});

describe('docs review', () => {
  it('assigns the user owners of areas whose paths or labels match; teams left out', () => {
    const change = { number: 1, title: '', author: null, labels: ['CLI'], files: ['docs/a.md'], filesComplete: true };
    const areas = [
      { name: 'Docs', labels: [], paths: ['docs/**'], owners: ['@ann', '@org/writers'] },
      { name: 'CLI', labels: ['cli'], paths: [], owners: ['@ben', '@Ann'] },
      { name: 'API', labels: [], paths: ['src/**'], owners: ['@cat'] },
    ];
    expect(docsReviewAssignees([change], areas, globMatcher)).toEqual(['ann', 'ben']);
  });

  it("fits GitHub's 65,536 characters by construction: fewer files per pull request first, then a pointer to the release", () => {
    const change = (n: number, files: number) => ({
      number: n,
      title: `Docs for feature ${n} of the reporting overhaul`,
      author: 'writer',
      labels: [],
      files: Array.from({ length: files }, (_, i) => `docs/guide/reporting/feature-${n}/section-${i}-with-a-long-descriptive-name.md`),
      filesComplete: true,
    });
    const render = (changes: ReturnType<typeof change>[]) =>
      renderDocsReview({ tag: 'v2.0.0', releaseName: 'v2.0.0', releaseUrl: 'https://github.com/o/r/releases/tag/v2.0.0', changes, checked: new Set([3]) });
    // 40 pull requests of 30 docs files each: over 90,000 characters with every file listed.
    const forty = Array.from({ length: 40 }, (_, i) => change(i + 1, 30));
    const body = render(forty);
    expect(body.length).toBeLessThanOrEqual(65_536);
    for (const c of forty) expect(body).toContain(`] #${c.number} `);
    expect(body).toContain('- [x] #3 ');
    expect(body).toContain('other file(s); see the pull request_');
    expect(body.trimEnd().endsWith('<!-- userloop:docs-review {"tag":"v2.0.0"} -->')).toBe(true);
    // 2,000 pull requests: even one line each is too long; the last ones give way to one pointer.
    const many = render(Array.from({ length: 2000 }, (_, i) => change(i + 1, 1)));
    expect(many.length).toBeLessThanOrEqual(65_536);
    const listed = [...many.matchAll(/^- \[[ x]\] #(\d+) /gm)].length;
    expect(listed).toBeGreaterThan(100);
    expect(many).toContain(`- _and ${2000 - listed} more pull request(s) with docs changes: see [the release](https://github.com/o/r/releases/tag/v2.0.0)_`);
    // Never one character over, whatever the limit.
    const some = Array.from({ length: 30 }, (_, i) => change(i + 1, 4));
    for (let limit = 3_000; limit < 3_400; limit++) {
      const fitted = renderDocsReview({ tag: 'v2.0.0', releaseName: 'v2.0.0', releaseUrl: 'https://github.com/o/r/releases/tag/v2.0.0', changes: some, checked: new Set(), limit });
      expect(fitted.length, `limit ${limit}`).toBeLessThanOrEqual(limit);
    }
    // A small release is listed whole, as before.
    expect(render([change(1, 2)])).toBe(
      [
        'Every docs and copy change of [v2.0.0](https://github.com/o/r/releases/tag/v2.0.0), for review. Tick a pull request once its changes are reviewed.',
        '',
        '- [ ] #1 Docs for feature 1 of the reporting overhaul by @\u200bwriter',
        '  - `docs/guide/reporting/feature-1/section-0-with-a-long-descriptive-name.md`',
        '  - `docs/guide/reporting/feature-1/section-1-with-a-long-descriptive-name.md`',
        '',
        '<!-- userloop:docs-review {"tag":"v2.0.0"} -->',
      ].join('\n'),
    );
  });

  it('reads ticked items', () => {
    expect(checkedItems('- [x] #1 a\n- [ ] #2 b\n  * [X] #3 c\n- [x] 4')).toEqual(new Set([1, 3]));
  });
});

describe('config', () => {
  it('has safe defaults and reports a bad key with the file and line', () => {
    const defaults = notifyRequestersSection.parse(undefined);
    expect(defaults['min-interval-ms']).toBe(1000);
    expect(defaults['max-mentions']).toBe(50);
    // GitHub's limits: 80 content writes a minute, 500 an hour, one second apart.
    expect(defaults['max-writes-per-minute']).toBe(80);
    expect(defaults['max-writes']).toBe(500);
    const bad = parseConfig('notify-requesters:\n  max-mentions: 51\n  upgrade-hnt: x\n', '.github/userloop.yml');
    expect(bad.errors.map((e) => [e.line, e.key])).toEqual([
      [2, 'notify-requesters.max-mentions'],
      [3, 'notify-requesters.upgrade-hnt'],
    ]);
  });
});

describe('events and errors', () => {
  it('maps events to triggers', () => {
    const release = { tag_name: 'v1', id: 1 };
    expect(triggerOf({ eventName: 'release', action: 'published', payload: { release } as never }, undefined).kind).toBe('release');
    expect(triggerOf({ eventName: 'release', action: 'edited', payload: { release } as never }, undefined).kind).toBe('none');
    expect(triggerOf({ eventName: 'workflow_dispatch', action: undefined, payload: {} }, 'v2')).toEqual({ kind: 'release', tag: 'v2', release: null });
    expect(triggerOf({ eventName: 'issues', action: 'assigned', payload: { issue: { number: 3 }, assignee: { login: 'dev' } } as never }, undefined)).toEqual({
      kind: 'issue-assigned',
      issue: 3,
      assignee: 'dev',
    });
    expect(triggerOf({ eventName: 'pull_request', action: 'opened', payload: { pull_request: { number: 4, title: 't', body: null, user: { login: 'x' } } } as never }, undefined, true).kind).toBe('none');
  });

  it('classifies write errors: skip locked/404/410/301, fail an unconfirmed write, fail the step on missing permission', () => {
    const e = (status: number, message: string) => Object.assign(new Error(message), { status });
    expect(classifyWriteError(e(403, 'Unable to create comment because issue is locked.'))).toEqual({ ok: false, skip: 'locked' });
    expect(classifyWriteError(e(404, 'Not Found'))).toEqual({ ok: false, skip: 'not-found' });
    expect(classifyWriteError(e(410, 'Gone'))).toEqual({ ok: false, skip: 'deleted' });
    expect(classifyWriteError(e(301, 'Moved Permanently'))).toEqual({ ok: false, skip: 'transferred' });
    expect(classifyWriteError(e(500, 'Server Error'))).toEqual({ ok: false, fail: '500: Server Error' });
    expect(() => classifyWriteError(e(403, 'Resource not accessible by integration'))).toThrow(/issues: write/);
  });
});

describe('announcement', () => {
  it('formats text for Slack-style and Discord webhooks, cut to the limit', () => {
    const text = announcementText({ name: 'v1', version: '1', releaseUrl: 'u', snippets: [{ number: 1, title: 't', snippet: 'x'.repeat(50) }], limit: 60 });
    expect(text).toBe('Released v1 (version 1): u\n\nMore in the release notes: u');
    expect(text.length).toBeLessThanOrEqual(60);
    expect(announcementPayload('https://hooks.slack.com/services/x', 'hi')).toEqual({ text: 'hi' });
    // Discord: nobody pinged whatever the text says.
    expect(announcementPayload('https://discord.com/api/webhooks/1/x', 'hi')).toEqual({ content: 'hi', allowed_mentions: { parse: [] } });
  });
});

describe('announcement: mentions, hosts and limits', () => {
  it('breaks every mention form of Discord and Slack, escapes Slack\'s control sequences, removes bidi controls', () => {
    expect(chatSafe('@everyone @here <@123> <@&9> a@b.c \u202Ex', 'discord')).toBe('@\u200Beveryone @\u200Bhere <@\u200B123> <@\u200B&9> a@b.c x');
    expect(chatSafe('<!channel> <@U1> & @here', 'slack')).toBe('&lt;!channel&gt; &lt;@\u200BU1&gt; &amp; @\u200Bhere');
  });
  it('knows Discord by host or webhook path, and keeps each host\'s limit', () => {
    expect(chatHost('https://discord.com/api/webhooks/1/t')).toBe('discord');
    expect(chatHost('https://chat.example/api/webhooks/123/abc')).toBe('discord');
    expect(chatHost('https://hooks.slack.com/services/x')).toBe('slack');
    expect(chatHost('https://mattermost.example/hooks/x')).toBe('other');
    expect(announcementLimit('discord')).toBe(2000);
    expect(announcementLimit('discord', 3500)).toBe(2000);
    expect(announcementLimit('slack')).toBe(3500);
    expect(announcementLimit('slack', 100_000)).toBe(40_000);
  });
  it('never goes over the limit, a long name included', () => {
    const text = announcementText({ name: 'n'.repeat(5000), version: '1', releaseUrl: 'https://r', snippets: [], limit: 100, host: 'discord' });
    expect(text.length).toBe(100);
    expect(text.endsWith('…\n\nMore in the release notes: https://r')).toBe(true);
  });
});

describe('sameNotice (which copies two overlapping runs posted are one notice)', () => {
  const first = (people: string[]) => ({ body: renderReleaseNotice({ tag: 'v1', version: '1', releaseName: 'v1', releaseUrl: 'u', upgradeHint: '', pullRequests: [], people, first: true }), people });
  const more = (people: string[]) => ({ body: renderReleaseNotice({ tag: 'v1', version: '1', releaseName: 'v1', releaseUrl: 'u', upgradeHint: '', pullRequests: [], people, first: false }), people });

  it('two first comments are copies whoever they tell; later comments are copies when they tell someone in common', () => {
    expect(sameNotice(first(['a']), first(['b']))).toBe(true);
    expect(sameNotice(more(['a', 'b']), more(['B', 'c']))).toBe(true);
    expect(sameNotice(more(['a']), more(['b']))).toBe(false);
    expect(sameNotice(first(['a']), more(['b']))).toBe(false);
    expect(sameNotice(more([]), more([]))).toBe(true);
  });

  it('triggerOf: published of a full release is left to released only when the workflow listens to both', () => {
    const context = (action: string, prerelease = false) => ({ eventName: 'release', action, payload: { release: { tag_name: 'v1', prerelease } } }) as unknown as Parameters<typeof triggerOf>[0];
    const both = { subscribed: true as const, types: new Set(['published', 'released']) };
    expect(triggerOf(context('published'), undefined, false, both).kind).toBe('none');
    expect(triggerOf(context('published', true), undefined, false, both).kind).toBe('release');
    expect(triggerOf(context('released'), undefined, false, both).kind).toBe('release');
    expect(triggerOf(context('published'), undefined, false, { subscribed: true, types: new Set(['published']) }).kind).toBe('release');
    expect(triggerOf(context('published'), undefined, false, null).kind).toBe('release');
    expect(triggerOf(context('prereleased', true), undefined, false, both).kind).toBe('none');
    expect(triggerOf(context('prereleased', true), undefined, false, { subscribed: true, types: new Set(['prereleased']) }).kind).toBe('release');
  });
});
