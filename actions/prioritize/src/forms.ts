// Issue forms: read the fields of .github/ISSUE_TEMPLATE/*.yml and parse the markdown GitHub produces from a
// submitted form (`### Label\n\nanswer`), so the flowchart's questions are answered by the reporter.
import { parse as parseYaml } from 'yaml';

/** One field of an issue form template. */
export interface FormField {
  id: string | null;
  label: string;
  type: string;
  /** A dropdown's options, as written. */
  options?: string[];
}

/** One `### heading` section of a submitted issue form. */
export interface FormSection {
  heading: string;
  /** The answer, trimmed; `null` for `_No response_` or nothing. */
  value: string | null;
  /** The template field this heading belongs to, when a template matched. */
  field: FormField | null;
}

/** The answers the flowchart reads from a form. */
export interface FormAnswers {
  blocked: boolean | null;
  newUser: boolean | null;
  sections: FormSection[];
  /** Body text left once the flowchart's own questions are removed: scanned for phrases. */
  freeText: string;
}

/** One issue form template: its file name without the extension (`bug`), its `name:` and its input fields. */
export interface IssueForm {
  file: string;
  name: string | null;
  fields: FormField[];
}

/**
 * Reads issue form templates (YAML): each valid one with its input fields in order. Invalid files and
 * markdown-only elements are skipped.
 */
export function readForms(templates: readonly { path: string; text: string }[]): IssueForm[] {
  const forms: IssueForm[] = [];
  for (const { path, text } of templates) {
    let doc: unknown;
    try {
      doc = parseYaml(text, { maxAliasCount: 50 });
    } catch {
      continue;
    }
    if (typeof doc !== 'object' || doc === null) continue;
    const { body, name } = doc as { body?: unknown; name?: unknown };
    if (!Array.isArray(body)) continue;
    const fields: FormField[] = [];
    for (const element of body) {
      if (typeof element !== 'object' || element === null) continue;
      const { type, id, attributes } = element as { type?: unknown; id?: unknown; attributes?: { label?: unknown; options?: unknown } };
      if (typeof type !== 'string' || type === 'markdown') continue;
      const label = attributes?.label;
      if (typeof label !== 'string' || label.trim() === '') continue;
      const options = type === 'dropdown' && Array.isArray(attributes?.options) ? attributes.options.filter((o): o is string => typeof o === 'string') : null;
      fields.push({ id: typeof id === 'string' ? id : null, label: label.trim(), type, ...(options ? { options } : {}) });
    }
    const file = (path.split('/').pop() ?? path).replace(/\.ya?ml$/i, '');
    forms.push({ file, name: typeof name === 'string' && name.trim() !== '' ? name.trim() : null, fields });
  }
  return forms;
}

/** The input fields of issue form templates, in order, across templates (see {@link readForms}). */
export function readFormFields(templates: readonly { path: string; text: string }[]): FormField[] {
  return readForms(templates).flatMap((form) => form.fields);
}

const NO_RESPONSE = /^_no response_$/i;

/** Splits a form-produced body into its `### heading` sections. Text before the first heading is dropped. */
export function parseFormBody(body: string | null | undefined, fields: readonly FormField[] = []): FormSection[] {
  if (!body) return [];
  const byLabel = new Map(fields.map((f) => [f.label.toLowerCase(), f]));
  const sections: FormSection[] = [];
  let current: { heading: string; lines: string[] } | null = null;
  const close = () => {
    if (!current) return;
    const value = current.lines.join('\n').trim();
    sections.push({
      heading: current.heading,
      value: value === '' || NO_RESPONSE.test(value) ? null : value,
      field: byLabel.get(current.heading.toLowerCase()) ?? null,
    });
  };
  let fence = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const m = fence ? null : /^###\s+(.+?)\s*#*\s*$/.exec(line);
    if (m?.[1]) {
      close();
      current = { heading: m[1].trim(), lines: [] };
    } else if (current) {
      current.lines.push(line);
    }
  }
  close();
  return sections;
}

const YES = /^(yes|y|true|oui|si|sí|ja|sim|да|tak|はい|是|예)(?![\p{L}\p{N}])/iu;
const NO = /^(no|n|false|non|nein|não|nao|нет|nie|いいえ|否|아니)(?![\p{L}\p{N}])/iu;

/**
 * Whether an answer means yes: a checked task item (`- [x] …`), or text starting with yes (several
 * languages). `null` when unanswered or unclear.
 */
export function answerIsYes(value: string | null): boolean | null {
  if (value === null) return null;
  const items = [...value.matchAll(/^\s*[-*]\s+\[([ xX])\]/gm)];
  if (items.length > 0) return items.some((m) => m[1] !== ' ');
  const text = value.trim().replace(/^[*_`]+/, '');
  if (YES.test(text)) return true;
  if (NO.test(text)) return false;
  return null;
}

/** Options naming the flowchart's questions (see the `form-fields` config keys). */
export interface FormQuestionOptions {
  blockedId: string;
  newUserId: string;
  blockedLabel: string;
  newUserLabel: string;
}

/**
 * Answers the flowchart's form questions. With template fields, a section answers a question when its
 * field has the configured id; otherwise when its heading contains the configured words.
 */
export function readFormAnswers(body: string | null | undefined, fields: readonly FormField[], options: FormQuestionOptions): FormAnswers {
  const sections = parseFormBody(body, fields);
  const matches = (section: FormSection, id: string, words: string) =>
    section.field?.id ? section.field.id === id : section.heading.toLowerCase().includes(words.toLowerCase());
  let blocked: boolean | null = null;
  let newUser: boolean | null = null;
  const rest: string[] = [];
  for (const section of sections) {
    if (matches(section, options.blockedId, options.blockedLabel)) {
      blocked = answerIsYes(section.value) ?? blocked;
    } else if (matches(section, options.newUserId, options.newUserLabel)) {
      newUser = answerIsYes(section.value) ?? newUser;
    } else if (section.value !== null) {
      rest.push(section.value);
    }
  }
  const freeText = sections.length > 0 ? rest.join('\n\n') : (body ?? '');
  return { blocked, newUser, sections, freeText };
}

/**
 * The area a submitted form names: the answer of its area question matched to an area's name (any case).
 * The area question is recognised by its answers, not its wording: a dropdown of the form's template whose
 * options name at least two of the areas (the one, when one area exists); without the template (or for a
 * heading it does not have), a section whose whole answer is an area's name. "Not sure" or no answer: `null`.
 * @param sections - the form's sections ({@link parseFormBody}, with the templates' fields when read)
 * @param areas - the config's areas
 */
export function formArea<A extends { name: string }>(sections: readonly FormSection[], areas: readonly A[]): A | null {
  const key = (s: string) => s.trim().toLowerCase();
  const byName = new Map(areas.map((a) => [key(a.name), a]));
  const enough = Math.min(2, byName.size);
  for (const section of sections) {
    const area = section.value === null ? undefined : byName.get(key(section.value));
    if (!area) continue;
    const field = section.field;
    if (field && (field.type !== 'dropdown' || (field.options ?? []).filter((o) => byName.has(key(o))).length < enough)) continue;
    return area;
  }
  return null;
}
