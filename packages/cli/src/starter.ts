/**
 * The files `userloop init` writes for a product, besides the workflows: its issue forms (the product's
 * name in the texts, an area dropdown, every field `prioritize.required-info` asks for), the pull request
 * template require-docs reads, and a `.github/userloop.yml` with its areas and owners.
 */
import { stringify } from 'yaml';
import { defaultConfig, ownerHandle, PLACEHOLDER_OWNER } from '@userloop/core';
import { CliError } from './errors.ts';

/** A product area as `init` is told it: `--areas "Editor=@alice @bob, Sync=@org/sync"`. */
export interface StarterArea {
  name: string;
  /** Owner handles (`@login`, `@org/team`); empty when not given (the config then holds a placeholder). */
  owners: string[];
}

/** What the starter files are written for. */
export interface StarterOptions {
  /** The product's name, as reporters know it (default: `this project`). */
  product?: string | undefined;
  /** Its areas; none: the config holds two example areas and the forms no area question. */
  areas?: readonly StarterArea[] | undefined;
}

/** The product named in the forms when `init` is not told one. */
const DEFAULT_PRODUCT = 'this project';

/** The label `init` gives an area: `area: editor`. */
const areaLabel = (name: string): string => `area: ${name.toLowerCase()}`;

/** Checks a product name given on the command line. */
export function checkProduct(product: string): string {
  const name = product.trim();
  if (name === '') throw new CliError('--product needs a name, e.g. --product "Lumen Notes"');
  if (/[\r\n]/.test(name)) throw new CliError('--product is one line');
  if (name.length > 60) throw new CliError(`--product ${JSON.stringify(name)} is longer than 60 characters; use the name reporters know it by`);
  return name;
}

/**
 * Reads `--areas`: areas separated by commas, each `Name` or `Name=@owner @other` (owners separated by
 * spaces or `+`; the `@` may be left out).
 * @param text - e.g. `Editor=@alice @bob, Sync=@org/sync, Docs`
 */
export function parseAreas(text: string): StarterArea[] {
  const areas: StarterArea[] = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim();
    if (name === '') throw new CliError(`--areas: ${JSON.stringify(part.trim())} has no area name before the \`=\` (write Name=@owner)`);
    if (name.length > 50) throw new CliError(`--areas: the area name ${JSON.stringify(name)} is longer than 50 characters`);
    if (areas.some((a) => a.name.toLowerCase() === name.toLowerCase())) throw new CliError(`--areas: the area ${JSON.stringify(name)} is named twice`);
    // The forms' area question lists the areas and "Not sure"; GitHub refuses a dropdown option "None".
    if (['none', NOT_SURE.toLowerCase()].includes(name.toLowerCase())) throw new CliError(`--areas: ${JSON.stringify(name)} cannot be an area's name (the issue forms' area question needs it)`);
    const owners = (eq === -1 ? '' : part.slice(eq + 1))
      .split(/[\s+]+/)
      .filter((o) => o !== '')
      .map((o) => (o.startsWith('@') ? o : `@${o}`));
    for (const owner of owners) {
      if (!ownerHandle.safeParse(owner).success) {
        throw new CliError(`--areas: ${JSON.stringify(owner)} (an owner of ${name}) is not a GitHub user @login or a team @org/team`);
      }
    }
    areas.push({ name, owners: [...new Set(owners)] });
  }
  if (areas.length === 0) throw new CliError('--areas needs at least one area, e.g. --areas "Editor=@alice, Sync=@bob"');
  return areas;
}

type Element = Record<string, unknown>;

/** The last answer of the forms' area question. */
const NOT_SURE = 'Not sure';

const textarea = (id: string, label: string, description: string | undefined, extra: Element = {}, required = false): Element => ({
  type: 'textarea',
  id,
  attributes: { label, ...(description ? { description } : {}), ...extra },
  ...(required ? { validations: { required: true } } : {}),
});

function questions(product: string, blockedNo: string, blockedWhat: string, newUserWhat: string): Element[] {
  return [
    {
      type: 'dropdown',
      id: 'blocks-you',
      attributes: { label: 'Does this block you?', description: blockedWhat, options: ['Yes, I am blocked', blockedNo] },
      validations: { required: true },
    },
    {
      type: 'dropdown',
      id: 'new-user',
      attributes: { label: `Are you new to ${product}?`, description: newUserWhat, options: ['Yes, I started using it recently', 'No'] },
      validations: { required: true },
    },
  ];
}

function areaQuestion(product: string, areas: readonly StarterArea[]): Element[] {
  if (areas.length === 0) return [];
  return [
    {
      type: 'dropdown',
      id: 'area',
      attributes: {
        label: `Which part of ${product} is it about?`,
        description: 'Pick the closest; the team moves it if another part fits better.',
        options: [...areas.map((a) => a.name), NOT_SURE],
      },
    },
  ];
}

/** The bug form's fields by id: the ones `prioritize.required-info` may ask for are all here. */
function bugFields(product: string): Record<string, Element> {
  return {
    'what-happened': textarea(
      'what-happened',
      'What were you trying to do, and what happened?',
      'The goal you had in mind, what you did, and what went wrong.',
      { placeholder: 'I wanted to export my report to CSV; the last row was missing.' },
      true,
    ),
    steps: textarea(
      'steps',
      'Steps to reproduce',
      'The smallest sequence of steps that shows the problem.',
      { placeholder: '1. Open …\n2. Click …\n3. See the error' },
      true,
    ),
    expected: textarea('expected', 'What did you expect instead?', undefined, {}, true),
    version: {
      type: 'input',
      id: 'version',
      attributes: {
        label: 'Version',
        description: `The version of ${product} you use (its About screen, \`--version\`, or the release you installed).`,
        placeholder: '1.2.0',
      },
      validations: { required: true },
    },
    environment: textarea('environment', 'Environment', 'Operating system, browser or device, and anything unusual about your setup.'),
    logs: textarea('logs', 'Logs and configuration', 'Error messages, logs or screenshots, and any settings you changed. Remove passwords and other secrets.', {
      render: 'text',
    }),
  };
}

/** The form fields `prioritize.required-info` asks of the bug form, in the default config `init` writes. */
function requiredBugFields(): string[] {
  return defaultConfig()
    .prioritize['required-info'].filter((rule) => rule.form === 'bug' || rule.form === 'bug.yml')
    .flatMap((rule) => rule.fields);
}

const form = (content: Element): string => stringify(content, { lineWidth: 0 });

function bugForm(product: string, areas: readonly StarterArea[]): string {
  const fields = bugFields(product);
  const missing = requiredBugFields().filter((id) => !(id in fields));
  // A required-info field the form lacks is never asked for: a new default must get its field here.
  if (missing.length > 0) throw new Error(`prioritize.required-info asks the bug form for ${missing.join(', ')}, which init's bug form does not have`);
  const f = (id: string): Element => fields[id]!;
  return form({
    name: 'Bug report',
    description: `Something in ${product} does not work as it should. We answer with a priority and a timeline within a minute.`,
    title: 'bug: ',
    labels: ['bug'],
    body: [
      {
        type: 'markdown',
        attributes: {
          value: `Thanks for taking the time to tell us about a problem with ${product}. The two questions about you decide how fast we act, and the details below let us fix it without asking again.\n`,
        },
      },
      f('what-happened'),
      ...areaQuestion(product, areas),
      ...questions(product, 'No, I have a workaround or it is an annoyance', 'Blocked means you cannot do your work, even with a workaround.', 'Problems that meet people in their first days are fixed first.'),
      f('steps'),
      f('expected'),
      f('version'),
      f('environment'),
      f('logs'),
    ],
  });
}

function featureForm(product: string, areas: readonly StarterArea[]): string {
  return form({
    name: 'Feature request',
    description: `Ask for something new in ${product}. We answer with a priority and a timeline within a minute.`,
    title: 'feature: ',
    labels: ['enhancement'],
    body: [
      {
        type: 'markdown',
        attributes: {
          value: 'Thanks! Tell us what you are trying to achieve rather than the solution you imagine: we may know a way that already works, or a better one to build.\n',
        },
      },
      textarea('goal', 'What are you trying to do?', 'The outcome you want, for whom, and how often.', {}, true),
      textarea('problem', 'What gets in the way today?', 'What you do now instead, and what it costs you.', {}, true),
      ...areaQuestion(product, areas),
      ...questions(product, 'No, it would help', 'Blocked means you cannot do your work without it.', 'What trips up people in their first days is worked on first.'),
      textarea('ideas', 'Ideas for a solution', 'Optional. Names you would expect, examples, other tools that do it well.'),
      textarea(
        'elsewhere',
        'Where else did this come up?',
        'Optional. Links to forum threads, chat messages or other issues, so everyone who asked is told when it ships.',
      ),
    ],
  });
}

/** The pull request template: the sections require-docs reads (its default headings, checkbox and skip label). */
function pullRequestTemplate(): string {
  const docs = defaultConfig()['require-docs'];
  const skip = docs['skip-label'];
  return `<!--
A feature is done when its doc, its "how to use" snippet and, for a new name, its naming review are in
this pull request: the require-docs check reads the sections below. Fixes, chores and docs-only changes
need none of them; delete what does not apply.
-->

## What and why

<!-- What changes for users, and the issue it answers (Closes #123). -->

## ${docs['how-to-use'].headings[0] ?? 'How to use'}

<!--
A fenced code block (or a few sentences) showing how to use the feature: the command, the setting or the
steps a user follows. The release notes quote it.
-->

## ${docs.docs.headings[0] ?? 'Docs'}

<!-- The docs changed in this pull request, or a link to the docs pull request elsewhere. -->

## ${docs.naming.headings[0] ?? 'Naming'}

<!--
Only for a new name or option (a command, setting, label, screen or API): the chosen name and at least
two alternatives you considered, each with why not.

Chosen: \`the-name\`
Alternatives:
- \`other-name\`: why not
- \`another-name\`: why not
-->

## Checklist

- [ ] This pull request adds a ${docs.naming.checkbox} or option (fill in **Naming**)
- [ ] Docs and the **How to use** snippet are up to date

<!-- Not a user-facing change? Add the \`${skip}\` label and a line \`${skip}: <reason>\` here. -->
`;
}

const EXAMPLE_AREAS = `areas:
  - name: Core
    labels: ["area: core"]
    paths: ["src/**"]
    owners: ["${PLACEHOLDER_OWNER}"]
  - name: Docs
    labels: ["docs"]
    paths: ["docs/**"]
    owners: ["${PLACEHOLDER_OWNER}"]
`;

function areasYaml(areas: readonly StarterArea[]): string {
  const q = (s: string): string => JSON.stringify(s);
  return `areas:\n${areas
    .map(
      (a) => `  - name: ${q(a.name)}
    labels: [${q(areaLabel(a.name))}]
    # paths: ["src/${a.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}/**"] # pull requests touching these files belong to the area
    owners: [${(a.owners.length > 0 ? a.owners : [PLACEHOLDER_OWNER]).map(q).join(', ')}]
`,
    )
    .join('')}`;
}

function starterConfig(product: string, areas: readonly StarterArea[]): string {
  const required = requiredBugFields();
  return `# userloop configuration for ${product}: one section per action, every key optional.
# Editor completion: point your YAML extension at packages/core/userloop.schema.json of userloop.
# Validate offline with the userloop command: userloop check-config .github/userloop.yml

# The ownership map: product areas, what belongs to them, and who owns them.
# kpi-report groups its numbers by area and owner; notify-requesters assigns the docs review to owners;
# prioritize reminds an area's owners of a promised date (an issue is in an area by its label; prioritize adds
# the label of the area a reporter picks in the issue form).
${areas.length > 0 ? areasYaml(areas) : EXAMPLE_AREAS}
# Accounts that are bots even though GitHub does not say so (service accounts).
bots: []

prioritize:
  # What a bug report must carry before it can be debugged: ids of fields of .github/ISSUE_TEMPLATE/bug.yml.
  # The first reply asks for what is missing and labels the issue "needs info" until it is there.
  required-info:
    - form: bug
      fields: [${required.join(', ')}]
`;
}

/** The issue forms, the pull request template and the config, by path. */
export function starterFiles(options: StarterOptions = {}): { path: string; content: string }[] {
  const product = options.product ?? DEFAULT_PRODUCT;
  const areas = options.areas ?? [];
  return [
    { path: '.github/userloop.yml', content: starterConfig(product, areas) },
    { path: '.github/ISSUE_TEMPLATE/bug.yml', content: bugForm(product, areas) },
    { path: '.github/ISSUE_TEMPLATE/config.yml', content: 'blank_issues_enabled: true\n' },
    { path: '.github/ISSUE_TEMPLATE/feature.yml', content: featureForm(product, areas) },
    { path: '.github/pull_request_template.md', content: pullRequestTemplate() },
  ];
}

/** The labels a person or a form puts on: GitHub adds a form's label only when it exists in the repository. */
export function labelsToCreate(areas: readonly StarterArea[]): string[] {
  const config = defaultConfig();
  return [
    'bug',
    'enhancement',
    ...areas.map((a) => areaLabel(a.name)),
    config['require-docs']['skip-label'],
    ...config['require-docs'].naming.labels,
  ];
}
