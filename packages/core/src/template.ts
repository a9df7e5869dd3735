// Text templates of the configuration (reply openings, release names, issue titles): ONE syntax,
// `{name}`, and a config-time check that every placeholder is one the key offers.
import * as z from 'zod/mini';
import { closestMatch } from './config/suggest.ts';

/** `{name}` (and the old `{{name}}`, so it can be reported): a letter, then letters, digits, `-` or `_`. */
const PLACEHOLDER = /\{\{([A-Za-z][\w-]*)\}\}|\{([A-Za-z][\w-]*)\}/g;

/**
 * The placeholder names used in a template, in order of first use (`{{name}}` counted as `name`).
 *
 * @param template - the template text
 */
export function templatePlaceholders(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? match[2];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Fills `{name}` placeholders from `values` in one pass (a value containing `{x}` is not expanded
 * again). A placeholder without a value is left as written, so a mistake shows instead of vanishing;
 * the config check ({@link templateString}) catches unknown placeholders before a run gets here.
 * Other braces (`{}`, `{ "a": 1 }`, `{1}`) are plain text.
 *
 * @param template - the text with placeholders
 * @param values - the value of each placeholder
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([A-Za-z][\w-]*)\}/g, (match: string, name: string) =>
    Object.hasOwn(values, name) ? (values[name] ?? match) : match,
  );
}

/** The problem of one placeholder, for a config issue. */
export interface PlaceholderProblem {
  /** What is wrong, naming the placeholder as written and the valid ones. */
  message: string;
  /** The placeholder to write instead (`{people}`), when one is close. */
  suggestion?: string;
}

/**
 * Every placeholder of `template` that `allowed` does not offer, with the closest valid one
 * (by {@link closestMatch}); `{{name}}`, the old syntax, is reported with its single-brace form.
 *
 * @param template - the template text
 * @param allowed - the placeholder names the key offers
 */
export function templateProblems(template: string, allowed: readonly string[]): PlaceholderProblem[] {
  const problems: PlaceholderProblem[] = [];
  const valid = `Valid placeholders: ${allowed.map((a) => `{${a}}`).join(', ')}`;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const doubled = match[1];
    const name = doubled ?? match[2] ?? '';
    if (doubled === undefined && allowed.includes(name)) continue;
    if (doubled !== undefined && allowed.includes(doubled)) {
      problems.push({ message: `placeholders take single braces: write '{${doubled}}', not '${match[0]}'`, suggestion: `{${doubled}}` });
      continue;
    }
    const close = closestMatch(name, allowed);
    problems.push(
      close === undefined
        ? { message: `unknown placeholder '${match[0]}'. ${valid}` }
        : { message: `unknown placeholder '${match[0]}'; did you mean '{${close}}'? ${valid}`, suggestion: `{${close}}` },
    );
  }
  return problems;
}

/**
 * A config key holding a template: `base` (default a plain string) plus a check that reports, as
 * config errors with line and key, every placeholder not in `placeholders`. The key's description
 * gets the placeholder list appended, so the docs and the JSON schema say what it offers.
 *
 * @param placeholders - the names the key offers (`['tag', 'version']`)
 * @param base - the string schema to refine (e.g. a non-empty, trimmed string)
 */
export function templateString<T extends z.ZodMiniType<string>>(placeholders: readonly string[], base: T): T {
  return base.check(z.superRefine((value: string, ctx) => {
    for (const problem of templateProblems(value, placeholders)) {
      ctx.addIssue({
        code: 'custom',
        message: problem.message,
        ...(problem.suggestion === undefined ? {} : { params: { suggestion: problem.suggestion } }),
      });
    }
  })) as unknown as T;
}

/** `{a} {b}`: the placeholder list of a template key, for its description. */
export function placeholderList(placeholders: readonly string[]): string {
  return placeholders.map((p) => `\`{${p}}\``).join(' ');
}
