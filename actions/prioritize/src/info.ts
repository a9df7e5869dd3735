// Required information (`prioritize.required-info`): which fields the team's rules ask of an issue (by the
// issue form its body was submitted through, or by its labels), which of them the body and the reporter's
// replies still leave empty, what the reply's marker records of the ask, and the `needs info` label's write.
// Pure: plain data in, decisions out.
import { isExcludedUser, type LedgerLabelEvent, type LedgerUser, type PrioritizeConfig, type PrioritizeInfoState } from '@userloop/core';
import { type FormField, type FormSection, type IssueForm, parseFormBody } from './forms.ts';

/** One field an issue must carry: the rule's entry (`version`), its name as the form labels it, and the form field. */
export interface RequiredField {
  key: string;
  name: string;
  field: FormField | null;
}

/** What the rules ask of an issue, and what of it is missing. */
export interface InfoCheck {
  required: RequiredField[];
  missing: RequiredField[];
}

const lower = (s: string) => s.toLowerCase();

/** Words only, lower case, one space between: `What happened?` and `what-happened` both read `what happened`. */
function words(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whether `text` holds the words of `entry` as whole words. */
function hasWords(text: string, entry: string): boolean {
  const w = words(entry);
  return w !== '' && ` ${words(text)} `.includes(` ${w} `);
}

/**
 * The form a body was submitted through: GitHub writes every input field of the form as a `### label`
 * section, so the form most of whose fields are headings of the body (at least half: a reporter may delete a
 * section while editing). `null` when none is.
 */
export function formOfBody(sections: readonly FormSection[], forms: readonly IssueForm[]): IssueForm | null {
  const headings = new Set(sections.map((s) => lower(s.heading)));
  let best: IssueForm | null = null;
  let bestShare = 0;
  for (const form of forms) {
    if (form.fields.length === 0) continue;
    const share = form.fields.filter((f) => headings.has(lower(f.label))).length / form.fields.length;
    if (share >= 0.5 && share > bestShare) {
      best = form;
      bestShare = share;
    }
  }
  return best;
}

/** Whether a rule's `form` names this form: its file (`bug`, `bug.yml`) or its `name:` (any case). */
function isForm(form: IssueForm, name: string): boolean {
  const n = lower(name.trim());
  return lower(form.file) === n.replace(/\.ya?ml$/, '') || (form.name !== null && lower(form.name) === n);
}

/** The field a rule's entry names: by id, else by its label, else the label holding the entry's words. */
function fieldOf(entry: string, fields: readonly FormField[]): FormField | null {
  const e = lower(entry.trim());
  return (
    fields.find((f) => f.id !== null && lower(f.id) === e) ??
    fields.find((f) => lower(f.label) === e) ??
    fields.find((f) => hasWords(f.label, entry)) ??
    null
  );
}

/**
 * The fields the rules ask of an issue, once each, in the rules' order. A rule with `form` applies when the
 * body came through that form, and asks only for the fields that form has; a rule with `labels` applies when
 * the issue carries one of them, and asks for every field it names.
 */
function requiredFields(input: {
  sections: readonly FormSection[];
  labels: readonly string[];
  forms: readonly IssueForm[];
  rules: PrioritizeConfig['required-info'];
}): RequiredField[] {
  const form = formOfBody(input.sections, input.forms);
  const every = input.forms.flatMap((f) => f.fields);
  const labels = new Set(input.labels.map(lower));
  const out: RequiredField[] = [];
  const add = (r: RequiredField) => {
    if (!out.some((o) => lower(o.key) === lower(r.key))) out.push(r);
  };
  for (const rule of input.rules) {
    if (rule.form !== undefined && form !== null && isForm(form, rule.form)) {
      for (const key of rule.fields) {
        const field = fieldOf(key, form.fields);
        if (field) add({ key, name: field.label, field });
      }
    } else if ((rule.labels ?? []).some((l) => labels.has(lower(l)))) {
      for (const key of rule.fields) {
        const field = (form ? fieldOf(key, form.fields) : null) ?? every.find((f) => f.id !== null && lower(f.id) === lower(key)) ?? null;
        add({ key, name: field?.label ?? key, field });
      }
    }
  }
  return out;
}

/**
 * The form templates a run without them in its checkout reads through the API, or `undefined` when it needs
 * none: only when a rule names a form and the body has a `### heading` (a form's body always has). The
 * files the rules name (`bug` → `bug.yml`), or `null` (every template) when a rule names a form by its `name:`.
 */
export function formsToRead(rules: PrioritizeConfig['required-info'], body: string | null | undefined): string[] | null | undefined {
  const named = rules.flatMap((r) => (r.form === undefined ? [] : [r.form.trim()]));
  if (named.length === 0 || !/^###\s/m.test(body ?? '')) return undefined;
  if (named.some((f) => !/^[\w.-]+$/.test(f))) return null;
  return [...new Set(named.map((f) => (/\.ya?ml$/i.test(f) ? f : `${f}.yml`)))];
}

/** Whether a `### heading` section is the one of a required field: its label, its id, or the entry's words. */
function isSectionOf(section: FormSection, r: RequiredField): boolean {
  if (r.field && lower(section.heading) === lower(r.field.label)) return true;
  if (r.field?.id && section.field?.id === r.field.id) return true;
  return hasWords(section.heading, r.key);
}

/** A line `Name: value` (`**Name:** value`, `- name: value`): the name and what follows the colon. */
const NAMED_LINE = /^\s*(?:[-*]\s+)?(?:\*\*|__)?([^:\n]{1,200}?)(?:\*\*|__)?\s*:(?:\*\*|__)?\s*(.*)$/;

/**
 * Whether a reply of the reporter gives a field: a `### heading` section of it with an answer, or a line
 * naming the field by its label, id or entry with the answer after the colon or on the lines below
 * (`Version: 1.2.3`, `**Logs:**` then a code block).
 */
export function replyGives(reply: string, r: RequiredField): boolean {
  if (parseFormBody(reply).some((s) => s.value !== null && isSectionOf(s, r))) return true;
  const names = new Set([r.key, r.name, r.field?.id ?? ''].map(words).filter((w) => w !== ''));
  const lines = reply.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    const m = NAMED_LINE.exec(line);
    if (!m?.[1] || !names.has(words(m[1]))) continue;
    if ((m[2] ?? '').trim() !== '') return true;
    const next = lines.slice(i + 1).find((l) => l.trim() !== '');
    if (next !== undefined && !NAMED_LINE.test(next) && !/^\s*#{1,6}\s/.test(next)) return true;
  }
  return false;
}

/**
 * What the rules ask of an issue and what is missing: a field is there when the body's section of it has an
 * answer (not `_No response_`), or a reply of the reporter gives it.
 */
export function checkInfo(input: {
  body: string | null | undefined;
  labels: readonly string[];
  forms: readonly IssueForm[];
  rules: PrioritizeConfig['required-info'];
  /** The bodies of the reporter's comments. */
  replies: readonly string[];
}): InfoCheck {
  const sections = parseFormBody(input.body, input.forms.flatMap((f) => f.fields));
  const required = requiredFields({ sections, labels: input.labels, forms: input.forms, rules: input.rules });
  const missing = required.filter((r) => !sections.some((s) => s.value !== null && isSectionOf(s, r)) && !input.replies.some((reply) => replyGives(reply, r)));
  return { required, missing };
}

/** A field's entry as the marker keeps it: one line without `<`, `>` or a backtick, at most 200 characters. */
function markerKey(key: string): string {
  return key.replace(/[\r\n<>`\s]+/g, ' ').trim().slice(0, 200) || '?';
}

/**
 * What the marker records of the ask: asked on the first reply (`first`) when something is missing, then
 * what is still missing on each evaluation, and the time it became complete. `undefined` while it was never
 * asked (an issue replied to before this rule, or complete at once).
 */
export function infoState(previous: PrioritizeInfoState | undefined, missing: readonly RequiredField[], first: boolean, now: Date): PrioritizeInfoState | undefined {
  const keys = [...new Set(missing.map((m) => markerKey(m.key)))].slice(0, 50);
  if (keys.length > 0) {
    if (previous) return { asked: previous.asked, missing: keys };
    return first ? { asked: now.toISOString(), missing: keys } : undefined;
  }
  if (!previous || previous.missing.length === 0) return previous;
  return { asked: previous.asked, missing: [], completed: now.toISOString() };
}

/** The write of the `needs info` label. */
export interface InfoLabelPlan {
  label: string;
  add: boolean;
  remove: boolean;
  /** The label does not exist in the repository yet: create it (with its colour) first. */
  create: boolean;
}

/**
 * The `needs info` label: added while something asked for is missing, removed once it is complete. A person
 * who removed it while something was missing, or added it themselves, is not overruled.
 */
export function infoLabelPlan(input: {
  state: PrioritizeInfoState | undefined;
  label: string;
  labels: readonly string[];
  existingLabels: readonly string[];
  labelEvents: readonly LedgerLabelEvent[];
  /** Logins that are not people (the token's own, configured bots). */
  excluded: readonly string[];
}): InfoLabelPlan {
  const { state, label } = input;
  const present = input.labels.some((l) => lower(l) === lower(label));
  const last = [...input.labelEvents].reverse().find((e) => lower(e.label) === lower(label));
  const byPerson = (actor: LedgerUser | null) => actor !== null && !isExcludedUser(actor, input.excluded);
  const personRemoved = last?.action === 'unlabeled' && byPerson(last.actor);
  const personAdded = last?.action === 'labeled' && byPerson(last.actor);
  const open = state !== undefined && state.missing.length > 0;
  const add = open && !present && !personRemoved;
  const remove = state !== undefined && !open && present && !personAdded;
  return { label, add, remove, create: add && !input.existingLabels.some((l) => lower(l) === lower(label)) };
}
