// The decision: is this pull request a feature, and does it meet the docs, how-to-use and naming rules?
// Pure: plain pull request facts and the config section in, an Evaluation out.
import { conventionalPrefix, escapeRegExp, findSection, findUsageSection, globMatcher, headingPattern, parseConventionalTitle, parseMarkdown } from '@userloop/core';
import type { RequireDocsConfig } from '@userloop/core';
import { checkedTasks, hasCodeBlock, plainText, proseWords, pullLinks } from './body.ts';
import type { Nodes, Root, RootContent } from './body.ts';

/** A changed file as `pulls.listFiles` returns it (the fields read here). */
export interface ChangedFile {
  filename: string;
  status: string;
}

/** What the rules read from a pull request. */
export interface PullRequestFacts {
  title: string;
  body: string | null;
  draft: boolean;
  labels: string[];
  /** Changed files as listed by GitHub (at most 3,000). */
  files: ChangedFile[];
  /** GitHub's count of changed files; above `files.length` when the list was cut. */
  changedFiles: number;
}

export type RuleId = 'docs' | 'how-to-use' | 'naming';
export type RuleStatus = 'pass' | 'fail' | 'not-needed' | 'off';

/** One rule's verdict: `detail` says what was found, `todo` what to do when it fails. */
interface RuleResult {
  id: RuleId;
  status: RuleStatus;
  detail: string;
  todo: string;
}

/**
 * - `not-feature`: nothing to check (`notFeatureReason` says why);
 * - `draft`: a draft, checked once ready for review;
 * - `skipped`: the skip label with a reason;
 * - `checked`: the rules ran (`passed` says how it went).
 */
type Outcome = 'not-feature' | 'draft' | 'skipped' | 'checked';

export interface Evaluation {
  outcome: Outcome;
  isFeature: boolean;
  /** Why it is a feature, e.g. "label `feature`", "title `feat(api)!:`", "changed `src/a.ts`". */
  featureReasons: string[];
  notFeatureReason: string;
  passed: boolean;
  missing: RuleId[];
  skipped: boolean;
  skipReason: string;
  /** The skip label is set but the body gives no reason, so the rules ran. */
  skipWithoutReason: boolean;
  rules: RuleResult[];
  notices: string[];
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const sameLabel = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const hasLabel = (labels: readonly string[], wanted: readonly string[]) => labels.filter((l) => wanted.some((w) => sameLabel(l, w)));

/** Files listed as `a`, `b` and 3 more. */
function listSome(items: readonly string[], max = 2): string {
  const shown = items.slice(0, max).map(code);
  const rest = items.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/** `a`, `b` or `c`: the phrases as they would read in a sentence. */
function orList(items: readonly string[], wrap: (s: string) => string = code): string {
  const shown = items.map(wrap);
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}

/**
 * The conventional-commit prefix of a title when its type is one of `types` (any case), e.g.
 * `feat(api)!:` for "feat(api)!: add search"; `undefined` otherwise.
 */
export function featureTitle(title: string, types: readonly string[]): string | undefined {
  const parsed = parseConventionalTitle(title);
  if (!parsed || !types.some((t) => sameLabel(t, parsed.type))) return undefined;
  return conventionalPrefix(title) ?? undefined;
}

/**
 * The reason given for the skip label: a body line `<label>: <reason>` (also `<label> reason:`; `-`
 * and spaces in the label are interchangeable, any case). HTML comments do not count, nor a reason
 * without a letter or digit.
 */
export function skipReason(root: Root, label: string): string | undefined {
  const name = label.trim().split(/[-\s_]+/).map(escapeRegExp).join('[-\\s_]*');
  const line = new RegExp(`^\\s*[*_]*${name}(?:\\s+reason)?[*_]*\\s*:[*_]*\\s*(.+?)\\s*$`, 'i');
  for (const text of plainText(root).split('\n')) {
    const reason = line.exec(text)?.[1];
    if (reason !== undefined && /[\p{L}\p{N}]/u.test(reason)) return reason;
  }
  return undefined;
}

/** The chosen name and the alternatives written in a naming section. */
export interface Naming {
  chosen: string | undefined;
  alternatives: string[];
}

const chosenLine = /^(?:chosen(?:\s+name)?|name)\s*[:\-–—]\s*(.*)$/i;
const alternativesLine = /^alternatives?(?:\s+considered)?\s*(?:[:\-–—]\s*(.*))?$/i;
const nameKey = (text: string) => (text.trim().toLowerCase().split(/\s+/)[0] ?? '').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

/**
 * Reads a naming section: a line `Chosen: <name>` (or `Name:`), and the alternatives as list items
 * and/or an `Alternatives: a, b` line. Alternatives are distinct by their first word and differ from
 * the chosen name; empty placeholders do not count.
 */
export function readNaming(nodes: readonly RootContent[]): Naming {
  let chosen: string | undefined;
  const candidates: string[] = [];
  const entry = (text: string, inList: boolean) => {
    const line = text.trim();
    const isChosen = chosenLine.exec(line);
    if (isChosen) {
      if (chosen === undefined && nameKey(isChosen[1] ?? '') !== '') chosen = (isChosen[1] ?? '').trim();
      return;
    }
    const isAlternatives = alternativesLine.exec(line);
    if (isAlternatives) {
      candidates.push(...(isAlternatives[1] ?? '').split(/[,;]/));
      return;
    }
    if (inList) candidates.push(line);
  };
  const visit = (node: Nodes, inList: boolean) => {
    if (node.type === 'paragraph') {
      for (const line of plainText(node).split('\n')) entry(line, inList);
    } else if (node.type === 'list') {
      for (const item of node.children) {
        if (typeof item.checked === 'boolean') continue; // a task-list item is a checklist, not a name
        const [first, ...rest] = item.children;
        if (first?.type === 'paragraph') entry(plainText(first), true);
        else if (first) visit(first, true);
        for (const child of rest) visit(child, true);
      }
    } else if (node.type === 'blockquote') {
      for (const child of node.children) visit(child, inList);
    }
  };
  for (const node of nodes) visit(node, false);
  const chosenKey = chosen === undefined ? '' : nameKey(chosen);
  const seen = new Set<string>([chosenKey]);
  const alternatives: string[] = [];
  for (const candidate of candidates) {
    const key = nameKey(candidate);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    alternatives.push(candidate.trim());
  }
  return { chosen, alternatives };
}

/** "label `a`" / "labels `a` and `b`" for the pull request's labels among `wanted`; undefined when none. */
function labelSignal(labels: readonly string[], wanted: readonly string[]): string | undefined {
  const found = hasLabel(labels, wanted);
  if (found.length === 0) return undefined;
  return `${found.length > 1 ? 'labels' : 'label'} ${listSome(found)}`;
}

/** "<verb> `path` and N more" for the changed files matching `globs`; undefined when none. */
function pathSignal(files: readonly ChangedFile[], globs: readonly string[], verb: string): string | undefined {
  if (globs.length === 0) return undefined;
  const matches = globMatcher(globs);
  const changed = files.filter((f) => matches(f.filename)).map((f) => f.filename);
  return changed.length > 0 ? `${verb} ${listSome(changed, 1)}` : undefined;
}

function classify(pr: PullRequestFacts, config: RequireDocsConfig, isDoc: (path: string) => boolean) {
  const title = featureTitle(pr.title, config.feature['title-types']);
  const reasons = [
    labelSignal(pr.labels, config.feature.labels),
    title === undefined ? undefined : `title ${code(title)}`,
    pathSignal(pr.files, config.feature.paths, 'changed'),
  ].filter((reason) => reason !== undefined);
  const complete = pr.files.length >= pr.changedFiles;
  const docsOnly = pr.files.length > 0 && complete && pr.files.every((f) => isDoc(f.filename));
  if (reasons.length === 0) {
    return { isFeature: false, reasons, notFeatureReason: 'no feature label, no `feat:` title and no change under feature paths' };
  }
  if (docsOnly) return { isFeature: false, reasons, notFeatureReason: 'it changes only docs' };
  return { isFeature: true, reasons, notFeatureReason: '' };
}

function docsRule(pr: PullRequestFacts, body: string, root: Root, config: RequireDocsConfig, isDoc: (path: string) => boolean): RuleResult {
  const settings = config.docs;
  const globs = settings.globs.filter((g) => !g.startsWith('!'));
  const todo = `Change a doc in this pull request (${orList(globs)}), or link the docs pull request under a ${code(`## ${settings.headings[0] ?? 'Docs'}`)} heading.`;
  if (!settings.enabled) return { id: 'docs', status: 'off', detail: 'turned off in config', todo: '' };
  const docs = pr.files.filter((f) => f.status !== 'removed' && isDoc(f.filename)).map((f) => f.filename);
  if (docs.length > 0) return { id: 'docs', status: 'pass', detail: `changes ${listSome(docs)}`, todo: '' };
  const isDocsRepo = globMatcher(settings.repositories);
  const docsSection = findSection(body, headingPattern(settings.headings));
  const linked = [...pullLinks(docsSection?.nodes ?? []), ...pullLinks(root.children).filter((l) => isDocsRepo(l.repo))];
  const first = linked[0];
  if (first) return { id: 'docs', status: 'pass', detail: `links the docs pull request ${first.repo}#${first.number}`, todo: '' };
  const cut = pr.changedFiles > pr.files.length ? ` (only the first ${pr.files.length.toLocaleString('en-US')} of ${pr.changedFiles.toLocaleString('en-US')} files were read)` : '';
  return { id: 'docs', status: 'fail', detail: `no doc changed and no docs pull request linked${cut}`, todo };
}

function howToUseRule(body: string, config: RequireDocsConfig): RuleResult {
  const settings = config['how-to-use'];
  const heading = `## ${settings.headings[0] ?? 'How to use'}`;
  const minWords = settings['min-words'];
  const todo = `Add a ${code(heading)} section to the body with a code block or at least ${minWords} words on how to use the feature; the release notes quote it.`;
  if (!settings.enabled) return { id: 'how-to-use', status: 'off', detail: 'turned off in config', todo: '' };
  // The same section draft-release-notes and notify-requesters quote (core's one definition).
  const section = findUsageSection(body, settings.headings);
  if (!section) return { id: 'how-to-use', status: 'fail', detail: `no ${orList(settings.headings, (h) => `"${h}"`)} section in the body`, todo };
  if (hasCodeBlock(section.nodes)) return { id: 'how-to-use', status: 'pass', detail: `a code block under "${section.heading}"`, todo: '' };
  const words = proseWords(section.nodes);
  if (words >= minWords) return { id: 'how-to-use', status: 'pass', detail: `${words} words under "${section.heading}"`, todo: '' };
  return {
    id: 'how-to-use',
    status: 'fail',
    detail: `"${section.heading}" has ${words} ${words === 1 ? 'word' : 'words'} of ${minWords} and no code block`,
    todo,
  };
}

function namingRule(pr: PullRequestFacts, body: string, root: Root, config: RequireDocsConfig): RuleResult {
  const settings = config.naming;
  const min = settings['min-alternatives'];
  const heading = `## ${settings.headings[0] ?? 'Naming'}`;
  const todo = `Under ${code(heading)}, write ${code('Chosen: <name>')} and list ${min} ${min === 1 ? 'alternative' : 'alternatives'} you considered.`;
  if (!settings.enabled) return { id: 'naming', status: 'off', detail: 'turned off in config', todo: '' };
  const phrase = settings.checkbox.toLowerCase();
  const checked = checkedTasks(root).some((task) => task.toLowerCase().includes(phrase));
  const triggers = [
    labelSignal(pr.labels, settings.labels),
    pathSignal(pr.files, settings.paths, 'changes'),
    checked ? `the "${settings.checkbox}" box is checked` : undefined,
  ].filter((trigger) => trigger !== undefined);
  if (triggers.length === 0) return { id: 'naming', status: 'not-needed', detail: 'no new name or option', todo: '' };
  const why = `adds a new name (${triggers.join(', ')})`;
  const section = findSection(body, headingPattern(settings.headings));
  if (!section) return { id: 'naming', status: 'fail', detail: `${why} but the body has no "${settings.headings[0] ?? 'Naming'}" section`, todo };
  const naming = readNaming(section.nodes);
  if (naming.chosen === undefined) return { id: 'naming', status: 'fail', detail: `${why} but the naming section gives no chosen name`, todo };
  const count = naming.alternatives.length;
  if (count < min) {
    return { id: 'naming', status: 'fail', detail: `${why}: ${code(naming.chosen)} with ${count} of ${min} alternatives`, todo };
  }
  return { id: 'naming', status: 'pass', detail: `${code(naming.chosen)}, ${count} ${count === 1 ? 'alternative' : 'alternatives'}`, todo: '' };
}

/**
 * Decides whether a pull request is a feature and, when it is, whether it meets each rule.
 * Drafts (with `skip-drafts`) and the skip label with a reason pass without running the rules.
 */
export function evaluate(pr: PullRequestFacts, config: RequireDocsConfig): Evaluation {
  const body = pr.body ?? '';
  const root = parseMarkdown(body);
  const isDoc = globMatcher(config.docs.globs);
  const { isFeature, reasons, notFeatureReason } = classify(pr, config, isDoc);
  const notices: string[] = [];
  if (pr.changedFiles > pr.files.length) {
    notices.push(
      `This pull request changes ${pr.changedFiles.toLocaleString('en-US')} files; GitHub lists only the first ${pr.files.length.toLocaleString('en-US')}, so only those were checked.`,
    );
  }
  const result: Evaluation = {
    outcome: 'not-feature',
    isFeature,
    featureReasons: reasons,
    notFeatureReason,
    passed: true,
    missing: [],
    skipped: false,
    skipReason: '',
    skipWithoutReason: false,
    rules: [],
    notices,
  };
  if (pr.draft && config['skip-drafts']) return { ...result, outcome: 'draft' };
  if (!isFeature) return result;
  const label = config['skip-label'];
  if (hasLabel(pr.labels, [label]).length > 0) {
    const reason = skipReason(root, label);
    if (reason !== undefined) return { ...result, outcome: 'skipped', skipped: true, skipReason: reason };
    result.skipWithoutReason = true;
  }
  const rules = [docsRule(pr, body, root, config, isDoc), howToUseRule(body, config), namingRule(pr, body, root, config)];
  const missing = rules.filter((r) => r.status === 'fail').map((r) => r.id);
  return { ...result, outcome: 'checked', rules, missing, passed: missing.length === 0 };
}
