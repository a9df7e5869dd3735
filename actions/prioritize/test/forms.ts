// This repository's issue forms (the ones `userloop init` writes) and the body GitHub writes when one is
// submitted, for the required-information tests.
import { readFileSync } from 'node:fs';
import { type IssueForm, readForms } from '../src/forms.ts';

/** The text of `.github/ISSUE_TEMPLATE/<name>.yml`, as a template the action reads from a checkout. */
export function repoTemplate(name: 'bug' | 'feature'): { path: string; text: string } {
  return { path: `.github/ISSUE_TEMPLATE/${name}.yml`, text: readFileSync(new URL(`../../../.github/ISSUE_TEMPLATE/${name}.yml`, import.meta.url), 'utf8') };
}

/** The bug and feature forms of this repository. */
export function repoForms(): IssueForm[] {
  return readForms([repoTemplate('bug'), repoTemplate('feature')]);
}

/**
 * The body GitHub writes for a submitted form: every input field as `### label` then the answer, or
 * `_No response_` for a field left empty.
 */
export function formBody(form: IssueForm, answers: Record<string, string>): string {
  return form.fields.map((f) => `### ${f.label}\n\n${(f.id !== null ? answers[f.id] : undefined) ?? '_No response_'}`).join('\n\n');
}

/** Every field of the bug form answered. */
export const COMPLETE_BUG: Record<string, string> = {
  'what-happened': 'I exported my notes to CSV; the last row was missing.',
  'blocks-you': 'No, I have a workaround or it is an annoyance',
  'new-user': 'No',
  steps: '1. Export\n2. Open the CSV',
  expected: 'Every row.',
  version: 'v1.2.0',
  environment: 'ubuntu-latest',
  logs: 'Exported 41 of 42 rows',
};
