// Config section `notify-requesters` of .github/userloop.yml: who is told about a release and when work
// starts, what the notice says, how writes are paced, and the docs-review issue. Every key is optional.
import * as z from 'zod';
import { globPattern as glob } from './glob-pattern.ts';
import { placeholderList, templateString } from '../../template.ts';

const text = z.string().trim().min(1, 'cannot be empty');


const login = z
  .string()
  .trim()
  .regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/, 'expected a GitHub login, e.g. `octocat`')
  .transform((v) => v.replace(/^@/, ''));

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

const optOut = z
  .strictObject({
    label: z
      .string()
      .trim()
      .default('no-notify')
      .describe('An issue with this label (any case) gets no notices at all; empty for none.'),
    logins: z
      .array(login)
      .default([])
      .describe('People (logins, with or without `@`) who asked never to be mentioned by notices.'),
  })
  .describe('Who is never told: an issue label and a list of people.');

/** The placeholders of the release texts (`upgrade-hint`, `docs-review.title`): the tag, the version, the release name. */
const RELEASE_PLACEHOLDERS = ['tag', 'version', 'name'] as const;

const workStarted = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Tell the requesters when an issue is assigned or a pull request that closes it is opened.'),
  })
  .describe('The work-started notice, posted once per issue.');

const docsReview = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Open (or update) one docs-review issue per release listing every docs and copy change.'),
    globs: z
      .array(glob)
      .default([...DEFAULT_DOCS_REVIEW_GLOBS])
      .describe('Changed files matching these globs are docs or copy (UI strings and translations included).'),
    label: text.default('docs-review').describe('Label of the docs-review issue (how the action finds it again).'),
    title: templateString(RELEASE_PLACEHOLDERS, text)
      .default('Docs review for {tag}')
      .describe(`Title of the docs-review issue. Placeholders: ${placeholderList(RELEASE_PLACEHOLDERS)}.`),
  })
  .describe('The docs-review issue of a release.');

/** Schema of the `notify-requesters` section of .github/userloop.yml. */
export const notifyRequestersSection = z
  .strictObject({
    prereleases: z.boolean().default(false).describe('Also notify on published pre-releases.'),
    'upgrade-hint': templateString(RELEASE_PLACEHOLDERS, z.string())
      .default('')
      .describe(
        `A line telling people how to upgrade, e.g. \`npm i my-pkg@{version}\`. Placeholders: ${placeholderList(RELEASE_PLACEHOLDERS)}. Empty for none.`,
      ),
    'released-label': z
      .string()
      .trim()
      .default('')
      .describe('Label added to every notified issue (one more write each); empty for none.'),
    'max-mentions': z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(50)
      .describe('Most people mentioned in one comment (GitHub notifies at most 50); more are split over several comments.'),
    'min-interval-ms': z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(1000)
      .describe('Least time between two writes, in milliseconds (GitHub asks for at least one second): 100 notices take about 100 s.'),
    'max-writes-per-minute': z
      .number()
      .int()
      .min(1)
      .max(80)
      .default(80)
      .describe("Most writes in any minute; GitHub's secondary limit is 80 content-creating requests per minute (with one second between writes a run makes about 60)."),
    'max-writes': z
      .number()
      .int()
      .min(1)
      .default(500)
      .describe(
        "Most writes in one run, every write counted (notices first, then the released labels, then the docs-review issue). GitHub allows 500 content writes an hour: a re-run within the hour of an earlier run of the same release writes only what is left of the 500. What does not fit is left for a re-run, which reads only the issues left (from the progress kept in the release's docs-review issue).",
      ),
    'opt-out': optOut.prefault({}),
    'work-started': workStarted.prefault({}),
    'docs-review': docsReview.prefault({}),
  })
  .describe('notify-requesters: tell everyone who asked when work starts and when the release ships; open the docs-review issue.')
  .prefault({});

/** The `notify-requesters` section after defaults are applied. */
export type NotifyRequestersConfig = z.output<typeof notifyRequestersSection>;
