// Config section `require-docs` of .github/userloop.yml: what makes a pull request a feature and which
// rules (docs, how to use, naming) it must meet. Every key is optional; the defaults are the team's rule.
import * as z from 'zod/mini';
import { described } from '../../zod.ts';
import { globPattern as glob } from './glob-pattern.ts';


const globs = (defaults: string[], what: string) => described(z._default(z.array(glob), defaults), what);

const phrase = z.string().check(z.trim(), z.minLength(1, 'cannot be empty'));

const phrases = (defaults: string[], what: string) => described(z._default(z.array(phrase), defaults), what);

const feature = described(
  z.strictObject({
    labels: phrases(['feature', 'enhancement'], 'Pull request labels (any case) that make it a feature.'),
    'title-types': described(
      z._default(
        z.array(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'a conventional-commit type is one word, e.g. `feat`'))),
        ['feat'],
      ),
      'Conventional-commit types that make a title a feature: `feat: …`, `feat(scope): …`, `feat!: …`.',
    ),
    paths: globs([], 'Changed files matching these globs make the pull request a feature, e.g. `src/**`.'),
  }),
  'What makes a pull request a feature: a label, a conventional title, or a changed file.',
);

const docs = described(
  z.strictObject({
    enabled: described(z._default(z.boolean(), true), 'Require a doc change (or a linked docs pull request) on features.'),
    globs: globs(
      ['docs/**', '**/*.md', '**/*.mdx', '!**/CHANGELOG*'],
      'Changed files matching these globs are docs. A pull request that changes only docs is not a feature.',
    ),
    repositories: globs(
      ['*/*doc*'],
      'A pull request link to one of these repositories (`owner/name` globs) in the body counts as the doc.',
    ),
    headings: phrases(
      ['Docs', 'Documentation'],
      'Headings of the body section where any linked pull request counts as the docs pull request.',
    ),
  }),
  'Rule *docs*: the feature ships its doc in the same pull request or links the docs pull request.',
);

const howToUse = described(
  z.strictObject({
    enabled: described(z._default(z.boolean(), true), 'Require a how-to-use section in the body of features.'),
    headings: phrases(
      ['How to use', 'Usage'],
      'Headings of the how-to-use section (any case; leading emoji or numbering allowed; the heading starts with one as a whole word, and one that is exactly a phrase wins). The one setting: draft-release-notes and notify-requesters quote the same section.',
    ),
    'min-words': described(
      z._default(z.number().check(z.int(), z.gte(1)), 15),
      'Without a fenced code block, the section needs at least this many words of prose.',
    ),
  }),
  'Rule *how to use*: the body says how to use the feature, for the release notes.',
);

const naming = described(
  z.strictObject({
    enabled: described(z._default(z.boolean(), true), 'Require a naming review when the pull request adds new names.'),
    labels: phrases(['new-name'], 'Labels (any case) saying the pull request adds a new name or option.'),
    paths: globs([], 'Changed files matching these globs add names, e.g. a config schema `src/config/**`.'),
    checkbox: described(
      z._default(phrase, 'new name'),
      'A checked task-list item in the body containing this text (any case) says new names are added.',
    ),
    headings: phrases(['Naming'], 'Headings (any case, a prefix of the heading) of the naming section.'),
    'min-alternatives': described(
      z._default(z.number().check(z.int(), z.gte(0)), 2),
      'How many alternatives the naming section lists besides the chosen name.',
    ),
  }),
  'Rule *naming*: a new name or option comes with the chosen name and the alternatives considered.',
);

/** Schema of the `require-docs` section of .github/userloop.yml. */
export const requireDocsSection = z.prefault(
  described(
    z.strictObject({
      feature: z.prefault(feature, {}),
      'skip-drafts': described(z._default(z.boolean(), true), 'Draft pull requests are checked only once ready for review.'),
      'skip-label': described(
        z._default(phrase, 'skip-docs'),
        'Label that skips the check; the body must then give a reason on a line `<label>: <reason>`.',
      ),
      docs: z.prefault(docs, {}),
      'how-to-use': z.prefault(howToUse, {}),
      naming: z.prefault(naming, {}),
    }),
    'require-docs: every feature pull request ships its doc, a how-to-use snippet and a naming review.',
  ),
  {},
);

/** The `require-docs` section after defaults are applied. */
export type RequireDocsConfig = z.output<typeof requireDocsSection>;
