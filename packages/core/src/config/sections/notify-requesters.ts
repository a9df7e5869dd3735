// Config section `notify-requesters` of .github/userloop.yml: who is told about a release and when work
// starts, what the notice says, how writes are paced, and the docs-review issue. Every key is optional.
import * as z from 'zod/mini';
import { described } from '../../zod.ts';
import { globPattern as glob } from './glob-pattern.ts';
import { placeholderList, templateString } from '../../template.ts';

const text = z.string().check(z.trim(), z.minLength(1, 'cannot be empty'));


const login = z.pipe(
  z.string().check(z.trim(), z.regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/, 'expected a GitHub login, e.g. `octocat`')),
  z.transform((v) => v.replace(/^@/, '')),
);

/** Default globs of the docs-review issue: docs, markdown, UI strings and translations. */
export const DEFAULT_DOCS_REVIEW_GLOBS: readonly string[] = [
  'docs/**',
  '**/*.md',
  '**/*.mdx',
  '**/locales/**',
  '**/locale/**',
  '**/i18n/**',
  '**/translations/**',
  '**/*.po',
  '**/*.pot',
  '**/*.xliff',
  '**/*.xlf',
  '**/strings.xml',
  '**/*.strings',
  '**/messages*.json',
  '**/copy/**',
  '!**/CHANGELOG*',
];

const optOut = described(
  z.strictObject({
    label: described(
      z._default(z.string().check(z.trim()), 'no-notify'),
      'An issue with this label (any case) gets no notices at all; empty for none.',
    ),
    logins: described(z._default(z.array(login), []), 'People (logins, with or without `@`) who asked never to be mentioned by notices.'),
  }),
  'Who is never told: an issue label and a list of people.',
);

/** The placeholders of the release texts (`upgrade-hint`, `docs-review.title`): the tag, the version, the release name. */
const RELEASE_PLACEHOLDERS = ['tag', 'version', 'name'] as const;

const workStarted = described(
  z.strictObject({
    enabled: described(z._default(z.boolean(), true), 'Tell the requesters when an issue is assigned or a pull request that closes it is opened.'),
  }),
  'The work-started notice, posted once per issue.',
);

const docsReview = described(
  z.strictObject({
    enabled: described(z._default(z.boolean(), true), 'Open (or update) one docs-review issue per release listing every docs and copy change.'),
    globs: described(
      z._default(z.array(glob), [...DEFAULT_DOCS_REVIEW_GLOBS]),
      'Changed files matching these globs are docs or copy (UI strings and translations included).',
    ),
    label: described(z._default(text, 'docs-review'), 'Label of the docs-review issue (how the action finds it again).'),
    title: described(
      z._default(templateString(RELEASE_PLACEHOLDERS, text), 'Docs review for {tag}'),
      `Title of the docs-review issue. Placeholders: ${placeholderList(RELEASE_PLACEHOLDERS)}.`,
    ),
  }),
  'The docs-review issue of a release.',
);

/** Schema of the `notify-requesters` section of .github/userloop.yml. */
export const notifyRequestersSection = z.prefault(
  described(
    z.strictObject({
      prereleases: described(z._default(z.boolean(), false), 'Also notify on published pre-releases.'),
      'upgrade-hint': described(
        z._default(templateString(RELEASE_PLACEHOLDERS, z.string()), ''),
        `A line telling people how to upgrade, e.g. \`npm i my-pkg@{version}\`. Placeholders: ${placeholderList(RELEASE_PLACEHOLDERS)}. Empty for none.`,
      ),
      'released-label': described(z._default(z.string().check(z.trim()), ''), 'Label added to every notified issue (one more write each); empty for none.'),
      'max-mentions': described(
        z._default(z.number().check(z.int(), z.gte(1), z.lte(50)), 50),
        'Most people mentioned in one comment (GitHub notifies at most 50); more are split over several comments.',
      ),
      'min-interval-ms': described(
        z._default(z.number().check(z.int(), z.gte(0), z.lte(60_000)), 1000),
        'Least time between two writes, in milliseconds (GitHub asks for at least one second): 100 notices take about 100 s.',
      ),
      'max-writes-per-minute': described(
        z._default(z.number().check(z.int(), z.gte(1), z.lte(80)), 80),
        "Most writes in any minute; GitHub's secondary limit is 80 content-creating requests per minute (with one second between writes a run makes about 60).",
      ),
      'max-writes': described(
        z._default(z.number().check(z.int(), z.gte(1)), 500),
        "Most writes in one run, every write counted (notices first, then the released labels, then the docs-review issue). GitHub allows 500 content writes an hour: a re-run within the hour of an earlier run of the same release writes only what is left of the 500. What does not fit is left for a re-run, which reads only the issues left (from the progress kept in the release's docs-review issue).",
      ),
      'opt-out': z.prefault(optOut, {}),
      'work-started': z.prefault(workStarted, {}),
      'docs-review': z.prefault(docsReview, {}),
    }),
    'notify-requesters: tell everyone who asked when work starts and when the release ships; open the docs-review issue.',
  ),
  {},
);

/** The `notify-requesters` section after defaults are applied. */
export type NotifyRequestersConfig = z.output<typeof notifyRequestersSection>;
