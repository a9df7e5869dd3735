/**
 * The demo repository: "Lumen", a fictional markdown notes app, six months of its life on GitHub.
 *
 * Generated deterministically from a seeded random generator, so the committed snapshot
 * (`packages/cli/demo/lumen.snapshot.json`) is reproducible and a test keeps it in sync.
 * Old issues were already prioritized (label + the bot's comment with the prioritize marker),
 * computed with core's own flowchart, so the KPI report has priorities, due dates and ledgers to read.
 */
import {
  dueDate,
  DEFAULT_PRIORITY_LABELS,
  PRIORITY_NAMES,
  renderPrioritizeMarker,
  renderPrioritizeSeen,
  runFlowchart,
  type Ledger,
  type Priority,
} from '@userloop/core';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '@userloop/github-sim';
import type { Snapshot, SnapshotComment, SnapshotIssue, SnapshotReaction, CommitInput, ReleaseInput } from '@userloop/github-sim';

const DEMO_OWNER = 'lumen-app';
const DEMO_REPO = 'lumen';
export const DEMO_FULL_NAME = `${DEMO_OWNER}/${DEMO_REPO}`;
/** The demo's clock: the morning after the last generated day. */
const DEMO_NOW = '2026-11-20T09:00:00Z';
const START = Date.parse('2026-05-20T09:00:00Z');
const END = Date.parse('2026-11-19T18:00:00Z');
const BOT = 'github-actions[bot]';
/** Timeline events a duplicate adds to its original's count (MARKED_AS_DUPLICATE and CROSS_REFERENCED). */
const DUPLICATE_EVENTS = 2;

/** Team members, the areas they own, and the labels of each area. */
const DEMO_AREAS = [
  { name: 'Editor', label: 'area: editor', owner: 'maya-chen', paths: ['src/editor/**'] },
  { name: 'Sync', label: 'area: sync', owner: 'tomas-ortiz', paths: ['src/sync/**'] },
  { name: 'Mobile', label: 'area: mobile', owner: 'priya-nair', paths: ['mobile/**'] },
  { name: 'Plugins', label: 'area: plugins', owner: 'lee-kim', paths: ['src/plugins/**'] },
  { name: 'Onboarding', label: 'area: onboarding', owner: 'sam-okafor', paths: ['src/onboarding/**', 'docs/getting-started/**'] },
] as const;
const TEAM = DEMO_AREAS.map((a) => a.owner);

/** The repository's `.github/userloop.yml`. */
const DEMO_CONFIG = `# userloop configuration for the Lumen demo repository.
areas:
${DEMO_AREAS.map(
  (a) => `  - name: ${a.name}
    labels: ["${a.label}"]
    paths: [${a.paths.map((p) => `"${p}"`).join(', ')}]
    owners: ["@${a.owner}"]`,
).join('\n')}

kpi-report:
  first-response-hours: 48
  goals:
    first-response-median-hours: 24
    answered-within-goal: 0.8
    unanswered: 10
    overdue: 20
    commitments-kept: 0.5
    docs-share: 0.8
`;

const FIRST = ['ada', 'ben', 'chloe', 'dev', 'elif', 'femi', 'gus', 'hana', 'ivan', 'jo', 'kai', 'lina', 'marco', 'nia', 'omar', 'pia', 'quinn', 'ravi', 'sofia', 'taro'];
const LAST = ['writes', 'codes', 'notes', 'dev', 'io', 'hq', 'lab', 'works', 'x', 'ux'];

export type Kind = 'bug' | 'feature';
const SUBJECTS: Record<(typeof DEMO_AREAS)[number]['name'], { bug: string[]; feature: string[] }> = {
  Editor: {
    bug: ['Cursor jumps to the end after pasting a table', 'Undo loses the last word typed', 'Code block highlighting breaks on tabs', 'Slash menu opens twice', 'Bold shortcut does nothing on AZERTY keyboards'],
    feature: ['Vim keybindings', 'Typewriter scrolling', 'Spell check for code comments', 'Insert today\'s date with a shortcut', 'Collapse headings'],
  },
  Sync: {
    bug: ['Notes duplicated after offline edits', 'Sync stuck at 99%', 'Conflict copy created for unchanged notes', 'Attachments over 20 MB never upload', 'Deleted notebook comes back after sync'],
    feature: ['Selective sync per notebook', 'Sync status in the menu bar', 'Self-hosted sync server', 'End-to-end encryption for attachments', 'Sync history with restore'],
  },
  Mobile: {
    bug: ['App crashes when rotating the tablet', 'Keyboard covers the last line', 'Share sheet drops images', 'Dark mode flickers on launch', 'Widgets show stale notes'],
    feature: ['Quick capture widget', 'Apple Pencil handwriting', 'Offline search on Android', 'Lock notes with Face ID', 'Voice memos in notes'],
  },
  Plugins: {
    bug: ['Plugin settings reset on update', 'Plugin API returns wrong selection range', 'Community plugins list fails to load', 'Plugin hot reload leaks memory', 'Plugins cannot read frontmatter'],
    feature: ['Plugin API for custom views', 'Typed plugin SDK', 'Plugin sandbox permissions', 'Plugin update notifications', 'Expose search to plugins'],
  },
  Onboarding: {
    bug: ['Import from Notion skips nested pages', 'Welcome tour gets stuck on step 3', 'Sign-up email never arrives', 'Getting started guide has a broken link', 'Default vault created in the wrong folder'],
    feature: ['Import from Evernote', 'Interactive tutorial note', 'Starter templates gallery', 'Migrate settings from another device', 'Keyboard shortcut cheat sheet'],
  },
};
const WANT = ['+1', 'Me too!', 'Same here, this blocks my workflow.', 'We need this as well 👍', '+1 from our team', 'same here'];
const OTHER_COMMENTS = ['Which version are you on?', 'Could you share the log file from Help > Show logs?', 'Thanks, I can reproduce this.', 'Here is a screenshot of what I see.', 'It happens on my other laptop too.'];

/**
 * The markdown GitHub renders for an issue form (`### Label` then the answer), with the labels and
 * answers of this repository's own forms in `.github/ISSUE_TEMPLATE/`, which the demo repository carries.
 */
export function formBody(kind: Kind, title: string, blocked: boolean, newUser: boolean, version = '1.3.0', os = 'macOS 15'): string {
  const notBlocked = kind === 'bug' ? 'No, I have a workaround or it is an annoyance' : 'No, it would help';
  const questions = `### Does this block you?\n\n${blocked ? 'Yes, I am blocked' : notBlocked}\n\n### Are you new to the project?\n\n${newUser ? 'Yes, I started using it recently' : 'No'}`;
  return kind === 'bug'
    ? `### What were you trying to do, and what happened?\n\n${title}.\n\n${questions}\n\n### Version\n\n${version}\n\n### Environment\n\n${os}`
    : `### What are you trying to do?\n\n${title} would let me keep my notes the way I work.\n\n${questions}`;
}

/** This repository's issue forms, carried by the demo repository so `prioritize` reads the same fields. */
function issueTemplates(): Record<string, string> {
  const dir = fileURLToPath(new URL('../../../../.github/ISSUE_TEMPLATE/', import.meta.url));
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [`.github/ISSUE_TEMPLATE/${name}`, readFileSync(join(dir, name), 'utf8')]));
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Builds the whole demo snapshot; the same output on every call. */
export function buildDemoSnapshot(): Snapshot {
  const rand = seededRandom(20261120);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const chance = (p: number): boolean => rand() < p;
  const between = (a: number, b: number): number => a + Math.floor(rand() * (b - a));

  const community = Array.from({ length: 90 }, (_, i) => `${FIRST[i % FIRST.length]}-${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i >= 100 ? i : ''}`);
  const users: NonNullable<Snapshot['users']> = [
    { login: DEMO_OWNER, type: 'Organization' },
    ...TEAM.map((login) => ({ login, name: login.replace('-', ' ') })),
    ...community.map((login) => ({ login })),
    { login: 'dependabot[bot]', type: 'Bot' as const },
  ];
  const labels = [
    { name: 'bug', color: 'd73a4a', description: 'Something is not working' },
    { name: 'feature', color: 'a2eeef', description: 'A new feature' },
    { name: 'docs', color: '0075ca', description: 'Documentation' },
    { name: 'dependencies', color: '0366d6', description: 'Dependency updates' },
    { name: 'skip-changelog', color: 'eeeeee', description: 'Leave out of the release notes' },
    { name: DEFAULT_PRIORITY_LABELS['fix-it-now'], color: 'b60205', description: 'Fix it now: today or tomorrow' },
    { name: DEFAULT_PRIORITY_LABELS.high, color: 'fbca04', description: 'High: this week or next week' },
    { name: DEFAULT_PRIORITY_LABELS.low, color: 'c5def5', description: 'Low: not right away' },
    ...DEMO_AREAS.map((a) => ({ name: a.label, color: '5319e7', description: `Owned by @${a.owner}` })),
  ];

  const issues: SnapshotIssue[] = [];
  const issueUrl = (n: number): string => `https://github.com/${DEMO_FULL_NAME}/issues/${n}`;
  let number = 0;
  const featureIssues: number[] = [];
  const bugIssues: number[] = [];

  // --- Issues: about 400 over six months -----------------------------------------------------------
  const ISSUES = 400;
  for (let i = 0; i < ISSUES; i += 1) {
    number += 1;
    const created = START + Math.floor(((END - START) * i) / ISSUES) + between(0, 6 * 3600_000);
    const area = pick(DEMO_AREAS);
    const kind: Kind = chance(0.55) ? 'bug' : 'feature';
    const title = pick(SUBJECTS[area.name][kind]);
    const author = pick(community);
    const blocked = kind === 'bug' && chance(0.12);
    const newUser = area.name === 'Onboarding' && chance(0.5);
    const body = formBody(kind, title, blocked, newUser, `1.${between(0, 4)}.${between(0, 3)}`, pick(['macOS 15', 'Windows 11', 'Ubuntu 24.04', 'iOS 19', 'Android 16']));

    const comments: SnapshotComment[] = [];
    const wanters = new Set<string>();
    let t = created;
    // a first response from the area owner (most of the time) within hours to days
    if (chance(0.85)) {
      t += between(1, 72) * 3600_000;
      if (t < END) comments.push({ body: pick(OTHER_COMMENTS), user: area.owner, created_at: iso(t), author_association: 'MEMBER' });
    }
    const wantCount = chance(0.35) ? between(1, 6) : 0;
    for (let w = 0; w < wantCount; w += 1) {
      const who = pick(community);
      if (who === author || wanters.has(who)) continue;
      t += between(2, 240) * 3600_000;
      if (t >= END) break;
      wanters.add(who);
      comments.push({ body: pick(WANT), user: who, created_at: iso(t), author_association: 'NONE' });
    }
    const reactions: SnapshotReaction[] = [];
    const reactors = chance(0.4) ? between(1, 9) : 0;
    for (let r = 0; r < reactors; r += 1) {
      const who = pick(community);
      if (who === author || wanters.has(who) || reactions.some((x) => x.user === who)) continue;
      reactions.push({ content: '+1', user: who, created_at: iso(Math.min(END, created + between(1, 400) * 3600_000)) });
    }

    const requesters = 1 + wanters.size + reactions.length;
    const flow = runFlowchart({ blocked, newUser, quick: kind === 'bug' && chance(0.15), broughtUpBefore: requesters > 1 });
    const priority: Priority = flow.priority;
    const due = dueDate(priority, new Date(created));
    const ledger: Ledger = {
      requesters: [
        { login: author, via: 'author', url: issueUrl(number), at: iso(created) },
        ...[...wanters].map((login) => ({ login, via: 'comment' as const, url: issueUrl(number) })),
        ...reactions.map((r) => ({ login: typeof r.user === 'string' ? r.user : r.user.login, via: 'reaction' as const })),
      ],
      places: [{ kind: 'issue', url: issueUrl(number), number }],
    };
    comments.unshift({
      // The counts the daily sweep compares, as prioritize records them (duplicates are counted below).
      body: `Thanks for reporting this! We labelled it **${PRIORITY_NAMES[priority]}**.\n\n${renderPrioritizeMarker({ priority, path: flow.path, due, ledger })}\n${renderPrioritizeSeen({ thumbsUp: reactions.length, duplicateEvents: 0 })}`,
      user: BOT,
      created_at: iso(created + 40_000),
      author_association: 'NONE',
    });
    comments.sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? ''));

    // closed: fixed or not planned, mostly the older ones
    const age = (END - created) / (END - START);
    const closed = chance(0.25 + 0.55 * age) ? iso(Math.min(END, created + between(6, 24 * 40) * 3600_000)) : null;
    const stateReason = closed ? (chance(0.85) ? 'completed' : 'not_planned') : null;
    issues.push({
      number,
      title,
      body,
      user: author,
      author_association: 'NONE',
      labels: [kind, area.label, DEFAULT_PRIORITY_LABELS[priority]],
      created_at: iso(created),
      updated_at: closed ?? comments.at(-1)?.created_at ?? iso(created),
      ...(closed ? { state: 'closed' as const, state_reason: stateReason, closed_at: closed } : {}),
      comments,
      reactions,
      events: [{ event: 'labeled', actor: BOT, created_at: iso(created + 30_000), label: { name: DEFAULT_PRIORITY_LABELS[priority] } }],
    });
    if (!closed) (kind === 'feature' ? featureIssues : bugIssues).push(number);
  }

  // --- Duplicates: 20 later issues that repeat an earlier one ---------------------------------------
  for (let d = 0; d < 20; d += 1) {
    const canonical = issues[between(0, 300)]!;
    number += 1;
    const created = Date.parse(canonical.created_at!) + between(24, 24 * 30) * 3600_000;
    if (created >= END) continue;
    const author = pick(community);
    const closedAt = iso(Math.min(END, created + between(1, 48) * 3600_000));
    issues.push({
      number,
      title: `${canonical.title} (again)`,
      body: `### What happened?\n\n${canonical.title}, I think.\n`,
      user: author,
      author_association: 'NONE',
      labels: canonical.labels!.filter((l) => typeof l === 'string' && !l.startsWith('priority')),
      created_at: iso(created),
      state: 'closed',
      state_reason: 'duplicate',
      closed_at: closedAt,
      comments: [{ body: `Duplicate of #${canonical.number}`, user: TEAM[0]!, created_at: closedAt, author_association: 'MEMBER' }],
      events: [{ event: 'marked_as_duplicate', actor: TEAM[0]!, created_at: closedAt, subject: { number: canonical.number } }],
    });
    // The original's timeline shows the duplicate twice (its "Duplicate of" reference and the marking).
    const reply = canonical.comments?.find((c) => c.user === BOT);
    if (reply) {
      reply.body = reply.body.replace(/<!-- userloop:prioritize-seen \{"thumbsUp":(\d+),"duplicateEvents":(\d+)\} -->/, (_, up: string, dups: string) =>
        renderPrioritizeSeen({ thumbsUp: Number(up), duplicateEvents: Number(dups) + DUPLICATE_EVENTS }),
      );
    }
  }

  // --- History: merged pull requests on main, releases along the way -------------------------------
  const commits: CommitInput[] = [];
  const refs: Record<string, string> = {};
  const releases: ReleaseInput[] = [];
  const sha = (n: number): string => `${n.toString(16).padStart(8, '0')}${'c0ffee'.repeat(6)}`.slice(0, 40);
  let shaCounter = 1;
  const root = sha(shaCounter++);
  commits.push({ sha: root, message: 'Initial commit', parents: [], date: iso(START - 86_400_000), author: { name: 'Maya Chen', email: 'maya@lumen.example', login: 'maya-chen' } });
  let tip = root;
  const PRS = 150;
  const releasePlan = new Map<number, string>([[30, 'v1.0.0'], [60, 'v1.1.0'], [85, 'v1.1.1'], [110, 'v1.2.0'], [132, 'v1.3.0']]);
  for (let p = 0; p < PRS; p += 1) {
    number += 1;
    const opened = START + Math.floor(((END - START) * p) / PRS) + between(0, 3600_000 * 5);
    const merged = opened + between(2, 96) * 3600_000;
    const area = pick(DEMO_AREAS);
    const roll = rand();
    const isBot = roll < 0.1;
    const kind = isBot ? 'deps' : roll < 0.45 ? 'feat' : roll < 0.85 ? 'fix' : 'docs';
    const author = isBot ? 'dependabot[bot]' : chance(0.8) ? area.owner : pick(community);
    const closes = kind === 'feat' ? featureIssues.shift() : kind === 'fix' ? bugIssues.shift() : undefined;
    const closesIssue = closes ? issues.find((x) => x.number === closes) : undefined;
    const subject = closesIssue?.title.toLowerCase() ?? `${area.name.toLowerCase()} polish`;
    const title = isBot ? `chore(deps): bump ${pick(['electron', 'react', 'yjs', 'sqlite'])} to ${between(2, 40)}.${between(0, 9)}.0` : `${kind}${chance(0.5) ? `(${area.name.toLowerCase()})` : ''}: ${subject}`;
    const slug = subject.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const files = [
      { filename: `${area.paths[0]!.replace('/**', '')}/${slug || 'change'}.ts`, status: 'modified' as const, additions: between(3, 200), deletions: between(0, 80) },
      ...(kind === 'feat' && chance(0.8) ? [{ filename: `docs/${area.name.toLowerCase()}/${slug}.md`, status: 'added' as const, additions: between(10, 60), deletions: 0 }] : []),
      ...(kind === 'docs' ? [{ filename: `docs/${area.name.toLowerCase()}/guide.md`, status: 'modified' as const, additions: between(2, 30), deletions: between(0, 10) }] : []),
    ];
    const body =
      kind === 'feat'
        ? `${closes ? `Closes #${closes}.\n\n` : ''}Adds ${subject}.\n\n## How to use\n\n\`\`\`sh\nlumen ${slug.split('-')[0] ?? 'run'} --enable\n\`\`\`\n`
        : kind === 'fix'
          ? `${closes ? `Fixes #${closes}.\n\n` : ''}${subject} is fixed.`
          : isBot
            ? 'Bumps the dependency.'
            : 'Docs update.';
    const branch = sha(shaCounter++);
    commits.push({ sha: branch, message: title, parents: [tip], date: iso(opened), author: { name: author, email: `${author}@users.noreply.example`, login: author } });
    const mergeSha = sha(shaCounter++);
    commits.push({ sha: mergeSha, message: `Merge pull request #${number} from ${author}/${slug || 'change'}`, parents: [tip, branch], date: iso(merged), author: { name: 'GitHub', email: 'noreply@github.com', login: author } });
    tip = mergeSha;
    const prLabels = [area.label, ...(kind === 'feat' ? ['feature'] : kind === 'fix' ? ['bug'] : kind === 'docs' ? ['docs'] : ['dependencies'])];
    issues.push({
      number,
      title,
      body,
      user: author,
      author_association: TEAM.includes(author as (typeof TEAM)[number]) ? 'MEMBER' : isBot ? 'NONE' : 'CONTRIBUTOR',
      labels: prLabels,
      created_at: iso(opened),
      state: 'closed',
      closed_at: iso(merged),
      pull_request: {
        head: { ref: slug || `change-${p}`, sha: branch },
        base: { ref: 'main' },
        merged: true,
        merged_at: iso(merged),
        merged_by: area.owner,
        merge_commit_sha: mergeSha,
        commits: [branch],
        files,
        ...(closes ? { closing_issues: [closes] } : {}),
      },
    });
    if (closesIssue) {
      closesIssue.state = 'closed';
      closesIssue.state_reason = 'completed';
      closesIssue.closed_at = iso(merged);
      closesIssue.updated_at = iso(merged);
    }
    const tag = releasePlan.get(p);
    if (tag) {
      refs[`refs/tags/${tag}`] = tip;
      const published = iso(merged + 3 * 3600_000);
      releases.push({ tag_name: tag, target_commitish: 'main', name: tag, body: `Lumen ${tag}.`, draft: false, prerelease: false, created_at: published, published_at: published, author: TEAM[0]! });
    }
  }
  refs['refs/heads/main'] = tip;

  return {
    now: DEMO_NOW,
    users,
    tokens: { 'demo-token': { login: BOT, permissions: { issues: 'write', pull_requests: 'write', contents: 'write', metadata: 'read' } } },
    repositories: [
      {
        owner: DEMO_OWNER,
        name: DEMO_REPO,
        description: 'Lumen: markdown notes that sync everywhere',
        default_branch: 'main',
        created_at: iso(START - 86_400_000 * 30),
        collaborators: Object.fromEntries(TEAM.map((login) => [login, 'maintain' as const])),
        labels,
        issues,
        commits,
        refs,
        releases,
        contents: { ...issueTemplates(), '.github/userloop.yml': DEMO_CONFIG, 'README.md': '# Lumen\n\nMarkdown notes that sync everywhere.\n' },
      },
    ],
  };
}
