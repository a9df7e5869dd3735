// Config section `prioritize` of .github/userloop.yml: the labels, phrases and rules the priority flowchart
// reads, the timeline promised, and the reply templates. Every key is optional; the defaults are the
// team's flowchart as actions/prioritize/README.md describes it.
import * as z from 'zod/mini';
import { described } from '../../zod.ts';
import { DEFAULT_WANT_PHRASES } from '../../ledger.ts';
import { placeholderList, templateString } from '../../template.ts';
import { calendarDate } from './date.ts';

const text = z.string().check(z.trim(), z.minLength(1, 'cannot be empty'));
const list = (defaults: readonly string[], what: string) => described(z._default(z.array(text), [...defaults]), what);

const labels = described(
  z.strictObject({
    'fix-it-now': described(z._default(text, 'priority: fix it now'), 'Label of the Fix it now priority.'),
    high: described(z._default(text, 'priority: high'), 'Label of the High priority.'),
    low: described(z._default(text, 'priority: low'), 'Label of the Low priority.'),
  }),
  'The managed priority labels; exactly one is on an issue at a time. Missing labels are created on first use.',
);

const color = z.string().check(z.regex(/^[0-9a-fA-F]{6}$/, 'a colour is six hex digits without `#`, e.g. `d73a4a`'));

const labelColors = described(
  z.strictObject({
    'fix-it-now': described(z._default(color, 'b60205'), 'Colour of the Fix it now label when it is created.'),
    high: described(z._default(color, 'fbca04'), 'Colour of the High label when it is created.'),
    low: described(z._default(color, 'c5def5'), 'Colour of the Low label when it is created.'),
    'needs-info': described(z._default(color, 'd876e3'), 'Colour of the `needs-info-label` when it is created.'),
  }),
  'Colours used when a priority label is created.',
);

const phrases = described(
  z.strictObject({
    blocked: list(
      [
        'block* me',
        'block* us',
        'block* our',
        'block* my',
        'block* the team',
        'block* the whole team',
        'block* everyone',
        'block* everybody',
        'block* all of us',
        'blocker*',
        'i am blocked',
        "i'm blocked",
        'we are blocked',
        "we're blocked",
        'are blocked',
        'am blocked',
        'completely blocked',
        'totally blocked',
        'still blocked',
        'blocked by this',
        'blocked by it',
        'blocked on this',
        'cannot work',
        "can't work",
        'can not work',
        'unable to work',
        'cannot use',
        "can't use",
        'unable to use',
        'cannot continue',
        "can't continue",
        'cannot proceed',
        "can't proceed",
        "i'm stuck",
        'i am stuck',
        "we're stuck",
        'we are stuck',
        'stuck with no workaround',
        'showstopper',
        'show-stopper',
        'show stopper',
        'bloquant*',
        'bloquead*',
        'blockiert',
      ],
      'Phrases (whole words, any case; a `*` after a word matches its forms: `block* us` = blocks, blocking, blocked us) in the body or a comment that mean a user is blocked: Fix it now. A negation among the three words before ("not blocking us", "doesn\'t block me") or a quote does not count.',
    ),
    'new-user': list(
      ['new user', 'first time', 'getting started', 'onboarding', 'new to'],
      "Phrases in the body that mean it affects a new user's experience.",
    ),
    quick: list(['typo', 'quick fix', 'one-line fix', 'broken link'], 'Phrases in the title or body that mean a quick change (under 30 minutes).'),
    want: list(DEFAULT_WANT_PHRASES, 'Phrases of a short comment that mean "I want this too" (+1, me too, same here, 👍, …).'),
  }),
  'Phrase rules: words that answer the flowchart questions and find people who want it too.',
);

const signalLabels = described(
  z.strictObject({
    blocked: list(['blocker'], 'Labels (any case) that mean a user is blocked.'),
    'new-user': list(['new user', 'onboarding'], "Labels that mean it affects a new user's experience."),
    quick: list(['quick fix', 'good first issue'], 'Labels that mean a quick change.'),
    'big-impact': list(['big impact'], 'Labels that mean the team believes it has big impact: bumps one level.'),
    'needs-design': list(['needs design'], 'Labels that mean it needs a design first: never counted as a quick change.'),
  }),
  'Labels that answer the flowchart questions or bump the priority.',
);

const association = z.enum([
  'OWNER',
  'MEMBER',
  'COLLABORATOR',
  'CONTRIBUTOR',
  'FIRST_TIME_CONTRIBUTOR',
  'FIRST_TIMER',
  'MANNEQUIN',
  'NONE',
]);

const formFields = described(
  z.strictObject({
    blocked: described(
      z._default(text, 'blocks-you'),
      'Id of the issue-form field asking "Does this block you?" (its label is read from .github/ISSUE_TEMPLATE).',
    ),
    'new-user': described(z._default(text, 'new-user'), 'Id of the issue-form field asking "Are you new to the project?".'),
    'blocked-label': described(z._default(text, 'block'), 'Without templates: a heading containing this word (any case) is the blocking question.'),
    'new-user-label': described(z._default(text, 'new to'), 'Without templates: a heading containing these words is the new-user question.'),
  }),
  'How the issue-form answers map to the flowchart questions.',
);

const dueDays = described(
  z.strictObject({
    'fix-it-now': described(
      z._default(z.number().check(z.int(), z.gte(0), z.lte(365)), 1),
      'Business days after the rating\'s day (UTC) promised for Fix it now ("today or tomorrow"): 1 is the next business day.',
    ),
    high: described(
      z.optional(z.number().check(z.int(), z.gte(1), z.lte(365))),
      'Business days after the rating\'s day promised for High. Unset by default: High is then due at the end of a week (`due-weeks.high`); when set, it wins.',
    ),
  }).check(z.superRefine((days, ctx) => {
    // High ("this week or next week") is never promised sooner than Fix it now ("today or tomorrow").
    if (days.high !== undefined && days.high < days['fix-it-now']) {
      ctx.addIssue({ code: 'custom', path: ['high'], message: `High would be due in ${days.high} business day${days.high === 1 ? '' : 's'}, before Fix it now (${days['fix-it-now']}); give High at least as many days` });
    }
  })),
  'The due date promised for each priority, in business days (Monday to Friday, UTC). Low has none.',
);

const dueWeeks = described(
  z.strictObject({
    high: described(
      z._default(z.number().check(z.int(), z.gte(0), z.lte(52)), 1),
      'High ("this week or next week") is due on the last business day (the Friday) of the week this many weeks after the rating\'s week, end of day UTC: 1 is the Friday of next week, 0 this week.',
    ),
  }),
  'Due dates at the end of a week (Monday to Sunday, UTC).',
);

const duplicates = described(
  z.strictObject({
    enabled: described(
      z._default(z.boolean(), true),
      "On `opened`, list up to `max` similar open issues in the reply: an issue's title must share at least half of the new title's terms (a term most open issues share weighs less). With more open issues than the newest 100, one issue search (GitHub allows 30 a minute) finds older ones.",
    ),
    max: described(z._default(z.number().check(z.int(), z.gte(0), z.lte(10)), 3), 'Most similar issues listed.'),
    'min-similarity': described(
      z._default(z.number().check(z.gte(0), z.lte(1)), 0.3),
      'Similarity (0 to 1: the cosine of title and body terms, title terms counted twice) an open issue also needs to be listed.',
    ),
  }),
  'Possible duplicates, caught at the door.',
);

const requiredInfoRule = described(
  z.strictObject({
    form: described(
      z.optional(text),
      'The issue form the rule is for: its file in .github/ISSUE_TEMPLATE (`bug` or `bug.yml`) or its `name:`. An issue is from the form when most of the form\'s fields are `### headings` of its body (read from the checkout).',
    ),
    labels: described(z.optional(z.array(text)), 'Or: issues carrying any of these labels (any case), with or without the form.'),
    fields: described(
      z.array(text).check(z.minLength(1, 'name at least one field')),
      'What the issue must carry: ids of the form\'s fields (`version`), or words of a `### heading` (`steps`). A field the matched form does not have is not asked for.',
    ),
  }).check(z.refine((rule) => rule.form !== undefined || (rule.labels?.length ?? 0) > 0, 'a rule needs a `form` or `labels` to match')),
  'What an issue of one form (or with one of the labels) must carry.',
);

/** The placeholders each reply template offers (an unknown one is a config error). */
const PRIORITIZE_TEMPLATE_PLACEHOLDERS = {
  opening: ['author', 'priority', 'reason', 'timeline', 'due'],
  changed: ['changes'],
  ledger: ['people', 'places', 'requesters', 'place-list'],
  duplicates: ['list'],
  reminder: ['owners', 'due', 'priority', 'people'],
  slipped: ['requesters', 'due', 'priority'],
  'missing-info': ['author', 'fields'],
  'design-owners': ['owners'],
} as const satisfies Record<string, readonly string[]>;

const P = PRIORITIZE_TEMPLATE_PLACEHOLDERS;

const templates = described(
  z.strictObject({
    'fix-it-now': described(
      z._default(
        templateString(P.opening, text),
        'Thanks for telling us, {author}. **Priority: {priority}.** {reason}, so we are on it: expect something {timeline} (by {due}).',
      ),
      `Opening of the reply for Fix it now. Placeholders: ${placeholderList(P.opening)}.`,
    ),
    high: described(
      z._default(
        templateString(P.opening, text),
        'Thanks for telling us, {author}. **Priority: {priority}.** {reason}, so we plan to get to it {timeline} (by {due}).',
      ),
      `Opening of the reply for High. Placeholders: ${placeholderList(P.opening)}.`,
    ),
    low: described(
      z._default(
        templateString(P.opening, text),
        "Thanks for telling us, {author}. **Priority: {priority}.** {reason}, so we won't get to it right away. If it becomes a blocker for you, reply here and say so, and we'll bump it up.",
      ),
      `Opening of the reply for Low. Placeholders: ${placeholderList(P.opening)} (\`{due}\` is empty).`,
    ),
    changed: described(
      z._default(templateString(P.changed, text), '**What changed:** {changes}'),
      `Line added when a re-evaluation changed something. Placeholder: ${placeholderList(P.changed)}.`,
    ),
    ledger: described(
      z._default(templateString(P.ledger, text), 'Brought up by {people} in {places}: {requesters}.'),
      `The ledger line. Placeholders: ${placeholderList(P.ledger)}.`,
    ),
    duplicates: described(
      z._default(
        templateString(P.duplicates, text),
        'These open issues look similar. If one of them is the same, tell us and we will merge them:\n\n{list}',
      ),
      `Shown on \`opened\` when similar open issues exist. Placeholder: ${placeholderList(P.duplicates)}.`,
    ),
    reminder: described(
      z._default(
        templateString(P.reminder, text),
        '{owners} A reminder: we told {people} that we would get to this by {due} ({priority}). If that date no longer holds, say so here before it passes.',
      ),
      `The reminder the scheduled sweep posts \`remind-days-before\` business days before a promised date, to the assignees (else the owners of the issue's areas). Placeholders: ${placeholderList(P.reminder)} (\`{owners}\` mentions them, \`{people}\` is how many asked, "3 people").`,
    ),
    slipped: described(
      z._default(
        templateString(P.slipped, text),
        "{requesters} We said we would get to this by {due}, and we did not make it. Sorry. What happens next: it stays open as {priority} and is now on the team's list of overdue promises; we will post a new date here as soon as we have one.",
      ),
      `The notice the scheduled sweep posts once a promised date has passed with the issue still open, to the reporter and everyone who asked. Placeholders: ${placeholderList(P.slipped)} (\`{requesters}\` mentions them, at most 50).`,
    ),
    'missing-info': described(
      z._default(
        templateString(P['missing-info'], text),
        '**To debug this we need a few more details**, {author}. Please edit the issue to fill in these sections, or reply here with each one under its `### heading`:\n\n{fields}',
      ),
      `Asked in the reply while a \`required-info\` field is missing. Placeholders: ${placeholderList(P['missing-info'])} (the list of what is missing).`,
    ),
  }),
  'Reply texts. Values are inserted as plain text (Markdown and HTML in them are escaped).',
);

const needsDesign = described(
  z.strictObject({
    enabled: described(z._default(z.boolean(), true), 'Post the design checklist on an issue with a `signal-labels.needs-design` label.'),
    checklist: described(
      z._default(templateString([], text), [
        '**This issue needs a design decision before it is built.** Let us agree on these first:',
        '',
        '- [ ] **Root cause**: what really causes it, not only the symptom.',
        '- [ ] **Prior art**: how other tools or earlier issues solved it, with the pros and cons of each.',
        '- [ ] **Approaches**: two or three ways to do it, each with pseudo code.',
        '- [ ] **Fit**: how it fits the rest of the product (other features, the docs, what users already know).',
      ].join('\n')),
      'The design checklist, posted once as its own comment (Markdown).',
    ),
    owners: described(
      z._default(
        templateString(P['design-owners'], text),
        'This is **Fix it now**, so the decision must not hold it up: {owners}, you own this area, please make the call.',
      ),
      `Added to the checklist when the issue is Fix it now: the owners of its areas (\`areas[].owners\` of the areas whose labels it carries) are mentioned. Placeholder: ${placeholderList(P['design-owners'])}.`,
    ),
  }),
  'The design checklist of an issue that needs a design, and the owners called in when it is Fix it now.',
);

/** The placeholders of the question a proposed solution asks the reporter. */
const PROPOSAL_ASK_PLACEHOLDERS = ['reporter', 'by', 'link'] as const;

const proposals = described(
  z.strictObject({
    enabled: described(
      z._default(z.boolean(), true),
      'Record a proposed solution: a comment of someone with write access with a `heading` (any level, outside code and quotes) or a `/proposed-solution` line. The bot asks the reporter once whether it solves their problem; their answer (a reply, or 👍/👎 on the proposal) is recorded in the reply\'s marker. A later proposal replaces the waiting one.',
    ),
    heading: described(z._default(text, 'Proposed solution'), 'The heading text (any case) that makes a comment a proposed solution.'),
    phrases: described(
      z.prefault(
        z.strictObject({
          yes: list(
            ['yes', 'yep', 'yeah', 'it works', 'that works', 'works for me', 'works now', 'works great', 'works perfectly', 'solves it', 'solved it', 'solves my problem', 'problem solved', 'fixed it', 'fixes it', "it's fixed", 'is fixed', 'that did it', 'that helped', 'it helped'],
            "Phrases of the reporter's reply that mean the proposal solves their problem (the phrase matcher of `phrases`; the first yes or no phrase of a reply counts; a one-word phrase such as `yes` only as the reply's first word).",
          ),
          no: list(
            ['no', 'nope', "doesn't work", 'does not work', "didn't work", 'did not work', "doesn't solve", 'does not solve', "didn't solve", 'did not solve', "doesn't help", 'does not help', "didn't help", 'did not help', 'not fixed', 'not solved', 'not working', 'still broken', 'still happens', 'still fails', 'still failing', 'still crashes', 'still the same'],
            "Phrases of the reporter's reply that mean it does not solve their problem (a one-word phrase such as `no` only as the reply's first word: \"I have no idea\" is no answer).",
          ),
        }),
        {},
      ),
      "How the reporter's reply answers: the first yes or no phrase of a reply after the proposal (a quote of someone else's words does not count).",
    ),
    ask: described(
      z._default(
        templateString(PROPOSAL_ASK_PLACEHOLDERS, text),
        '{reporter}, {by} proposed a solution: {link}. **Does it solve your problem?** Reply here with yes or no, or react 👍 or 👎 on the proposal.',
      ),
      `The question posted once per proposal (a comment of its own, so the reporter is notified). Placeholders: ${placeholderList(PROPOSAL_ASK_PLACEHOLDERS)} (\`{reporter}\` mentions the issue's author, \`{link}\` links the proposal).`,
    ),
  }),
  'Proposed solutions: recorded from a maintainer\'s comment, the reporter asked whether it solves their problem, their answer recorded (kpi-report counts them).',
);

/** Schema of the `prioritize` section of .github/userloop.yml. */
export const prioritizeSection = z.prefault(
  described(
    z.strictObject({
      labels: z.prefault(labels, {}),
      'label-colors': z.prefault(labelColors, {}),
      phrases: z.prefault(phrases, {}),
      'signal-labels': z.prefault(signalLabels, {}),
      'form-fields': z.prefault(formFields, {}),
      'valued-members': list([], 'Logins of valued community members: when one is a requester, the priority is bumped one level.'),
      'valued-associations': described(z._default(z.array(association), []), 'Author associations (e.g. `MEMBER`) whose requesters count as valued members.'),
      'contributor-associations': described(
        z._default(z.array(association), ['CONTRIBUTOR']),
        'Author associations of contributors: when the author or a "+1" commenter has one, bump one level.',
      ),
      'due-business-days': z.prefault(dueDays, {}),
      'due-weeks': z.prefault(dueWeeks, {}),
      holidays: described(z._default(z.array(calendarDate), []), 'Dates (`YYYY-MM-DD`) skipped when counting business days.'),
      'community-hosts': list([], 'Hosts of community places (a forum, a chat), e.g. `forum.example.com`: links to them are ledger places.'),
      duplicates: z.prefault(duplicates, {}),
      'keep-promises': described(
        z._default(z.boolean(), true),
        'On the scheduled sweep: remind the assignees (else the area owners) before a promised date, and tell the people who asked when it has passed with the issue still open. Each once per date; `false` for neither.',
      ),
      'remind-days-before': described(
        z._default(z.number().check(z.int(), z.gte(0), z.lte(30)), 2),
        'How many business days before a promised date the reminder is posted (0: on the day itself). A sweep that runs later still reminds, until the date has passed.',
      ),
      'required-info': described(
        z._default(z.array(requiredInfoRule), [{ form: 'bug', fields: ['what-happened', 'steps', 'expected', 'version', 'logs'] }]),
        'What an issue must carry to be debugged, per issue form or label. The first reply asks for what is missing and adds `needs-info-label`; each edit or reply of the reporter is checked again until it is complete. `[]` turns it off.',
      ),
      'needs-info-label': described(
        z._default(text, 'needs info'),
        'Label on an issue while required information is missing (created on first use, removed once complete).',
      ),
      'needs-design': z.prefault(needsDesign, {}),
      proposals: z.prefault(proposals, {}),
      templates: z.prefault(templates, {}),
    }),
    'prioritize: the priority flowchart, the timeline promised to the reporter and the requester ledger.',
  ),
  {},
);

/** The `prioritize` section after defaults are applied. */
export type PrioritizeConfig = z.output<typeof prioritizeSection>;
