// Config section `draft-release-notes` of .github/userloop.yml: how merged pull requests are grouped into
// categories, which ones are left out, where the how-to-use snippet is read, and how the next version and
// tag are named. Every key is optional; the defaults are the team's rule (a usage snippet for every feature).
import * as z from 'zod/mini';
import { described } from '../../zod.ts';
import { globPattern as glob } from './glob-pattern.ts';
import { placeholderList, templateString } from '../../template.ts';

const text = z.string().check(z.trim(), z.minLength(1, 'cannot be empty'));

const list = (defaults: readonly string[], what: string) => described(z._default(z.array(text), [...defaults]), what);

const bump = z.enum(['major', 'minor', 'patch']);

const titleType = z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'a conventional-commit type is one word, e.g. `feat`'));


/** One category of the release notes. */
export const releaseCategorySchema = described(
  z.strictObject({
    title: described(text, 'Heading of the category in the release notes.'),
    labels: described(z._default(z.array(text), []), 'Pull request labels (any case) that put it in this category.'),
    'title-types': described(
      z._default(z.array(titleType), []),
      'Conventional-commit types of the title that put it in this category: `feat: …`, `fix(scope): …`.',
    ),
    breaking: described(
      z._default(z.boolean(), false),
      'Breaking changes (`feat!: …`, a `BREAKING CHANGE:` footer in the body) go in this category.',
    ),
    bump: described(z._default(bump, 'patch'), 'The version bump this category calls for (a breaking change always bumps major).'),
    snippet: described(
      z._default(z.boolean(), false),
      'Entries carry the how-to-use section of the pull request; one without it is listed under "Needs a usage snippet".',
    ),
  }),
  'A category: a pull request goes in the first category whose label, title type or breaking flag matches; ' +
  'a category with none of the three catches everything left.',
);

/** A category after defaults. */
export type ReleaseCategory = z.output<typeof releaseCategorySchema>;

/** The default categories: Breaking changes, Features, Fixes, Docs, Other. */
export const DEFAULT_RELEASE_CATEGORIES: readonly z.input<typeof releaseCategorySchema>[] = [
  { title: 'Breaking changes', labels: ['breaking', 'breaking-change'], breaking: true, bump: 'major', snippet: true },
  { title: 'Features', labels: ['feature', 'enhancement'], 'title-types': ['feat'], bump: 'minor', snippet: true },
  { title: 'Fixes', labels: ['bug', 'fix'], 'title-types': ['fix', 'perf'], bump: 'patch' },
  { title: 'Docs', labels: ['documentation', 'docs'], 'title-types': ['docs'], bump: 'patch' },
  { title: 'Other', bump: 'patch' },
];

const botGroup = described(
  z.strictObject({
    enabled: described(z._default(z.boolean(), true), 'Group pull requests opened by bots into one line.'),
    title: described(z._default(text, 'Dependency updates'), 'Text that starts the grouped line.'),
    authors: list(
      ['dependabot', 'renovate', 'dependabot-preview', 'github-actions'],
      'Logins (with or without `[bot]`) grouped besides every account GitHub marks as a bot and the top-level `bots` list.',
    ),
  }),
  'Bot pull requests (dependency updates) grouped in one line instead of one entry each.',
);

/** The placeholders of `release-name`. */
const RELEASE_NAME_PLACEHOLDERS = ['tag', 'version'] as const;

/** Schema of the `draft-release-notes` section of .github/userloop.yml. */
export const draftReleaseNotesSection = z.prefault(
  described(
    z.strictObject({
      'tag-prefix': described(
        z._default(z.string().check(z.regex(/^[^\s~^:?*[\\]*$/, 'a tag prefix cannot contain spaces or any of ~ ^ : ? * [ \\')), 'v'),
        'Prefix of release tags: `v` for `v1.2.3`, `my-pkg@` for monorepo packages, empty for `1.2.3`.',
      ),
      prerelease: described(
        z._default(z.string().check(z.regex(/^([0-9A-Za-z-]+)?$/, 'a pre-release identifier is letters, digits and `-`, e.g. `rc`')), ''),
        'Draft a pre-release numbered with this identifier (`rc` gives `1.3.0-rc.0`, `1.3.0-rc.1`, …); empty for a stable release.',
      ),
      'release-name': described(
        z._default(templateString(RELEASE_NAME_PLACEHOLDERS, text), '{tag}'),
        `Name of the release. Placeholders: ${placeholderList(RELEASE_NAME_PLACEHOLDERS)}.`,
      ),
      categories: described(
        z._default(
          z.array(releaseCategorySchema).check(z.minLength(1)),
          DEFAULT_RELEASE_CATEGORIES.map((c) => releaseCategorySchema.parse(c)),
        ).check(z.superRefine((cats, ctx) => {
          const seen = new Set<string>();
          cats.forEach((c, i) => {
            const key = c.title.toLowerCase();
            if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'title'], message: `duplicate category title ${JSON.stringify(c.title)}` });
            seen.add(key);
          });
        })),
        'Categories of the notes, in order. Default: Breaking changes, Features, Fixes, Docs, Other.',
      ),
      'exclude-labels': list(['skip-changelog'], 'Pull requests with one of these labels (any case) are left out of the notes.'),
      'group-bots': z.prefault(botGroup, {}),
      paths: described(
        z._default(z.array(glob), []),
        'Only pull requests changing a file matching these globs (monorepo: one draft per package, with its own tag prefix).',
      ),
      'max-commits': described(
        z._default(z.number().check(z.int(), z.gte(1)), 10_000),
        'Stop reading history after this many commits since the last release (the summary says so).',
      ),
    }),
    'draft-release-notes: one draft release whose notes say how to use each feature and credit who asked.',
  ),
  {},
);

/** The `draft-release-notes` section after defaults are applied. */
export type DraftReleaseNotesConfig = z.output<typeof draftReleaseNotesSection>;
