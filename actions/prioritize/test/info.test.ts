// Required information, the pure decisions: which fields the rules ask of an issue, what is missing, what the
// marker records, the needs-info label, and the ask in the reply.
import { describe, expect, it } from 'vitest';
import { readPrioritizeMarker, renderPrioritizeMarker } from '@userloop/core';
import { evaluate, type EvaluateInput } from '../src/decide.ts';
import { parseFormBody, readForms } from '../src/forms.ts';
import { checkInfo, formOfBody, formsToRead, infoLabelPlan, infoState, replyGives, type RequiredField } from '../src/info.ts';
import { renderMissingInfo, renderReply } from '../src/render.ts';
import { COMPLETE_BUG, formBody, repoForms } from './forms.ts';
import { comment, lowMarker, makeRead, NOW, prioritizeConfig } from './helpers.ts';

const forms = repoForms();
const bug = forms.find((f) => f.file === 'bug')!;
const feature = forms.find((f) => f.file === 'feature')!;
const DEFAULT_RULES = prioritizeConfig()['required-info'];

function check(body: string, over: { labels?: string[]; rules?: typeof DEFAULT_RULES; replies?: string[]; withForms?: boolean } = {}) {
  return checkInfo({ body, labels: over.labels ?? [], forms: over.withForms === false ? [] : forms, rules: over.rules ?? DEFAULT_RULES, replies: over.replies ?? [] });
}
const keys = (fields: readonly RequiredField[]) => fields.map((f) => f.key);
const names = (fields: readonly RequiredField[]) => fields.map((f) => f.name);
const rules = (yaml: string) => prioritizeConfig(`prioritize:\n  required-info:\n${yaml}`)['required-info'];

describe('the default rule: the bug form `userloop init` writes', () => {
  it('asks for what happened, the steps, the expected result, the version and the logs, by their form labels', () => {
    const c = check(formBody(bug, {}));
    expect(keys(c.required)).toEqual(['what-happened', 'steps', 'expected', 'version', 'logs']);
    expect(names(c.missing)).toEqual([
      'What were you trying to do, and what happened?',
      'Steps to reproduce',
      'What did you expect instead?',
      'Version',
      'Logs and configuration',
    ]);
  });

  it('a complete bug report misses nothing; `_No response_` is missing', () => {
    expect(check(formBody(bug, COMPLETE_BUG)).missing).toEqual([]);
    const { version: _v, logs: _l, ...rest } = COMPLETE_BUG;
    expect(keys(check(formBody(bug, rest)).missing)).toEqual(['version', 'logs']);
  });

  it('a section the reporter deleted while editing is missing; the body is still from the bug form', () => {
    const body = formBody(bug, COMPLETE_BUG).replace(/### Version\n\nv1\.2\.0\n\n/, '');
    expect(formOfBody(parseFormBody(body, bug.fields), forms)?.file).toBe('bug');
    expect(keys(check(body).missing)).toEqual(['version']);
  });

  it('a feature request, a free-text issue, or no checkout (no forms known): nothing asked', () => {
    expect(check(formBody(feature, {})).required).toEqual([]);
    expect(check('The export drops the last row.', { labels: ['bug'] }).required).toEqual([]);
    expect(check(formBody(bug, {}), { withForms: false }).required).toEqual([]);
  });
});

describe('rules the team writes', () => {
  it('a form named by its file or its `name:`; a field the form does not have is not asked for', () => {
    for (const form of ['bug.yml', 'Bug report', 'BUG']) {
      const c = check(formBody(bug, COMPLETE_BUG), { rules: rules(`    - form: ${form}\n      fields: [version, screenshot]\n`) });
      expect(keys(c.required)).toEqual(['version']);
    }
  });

  it('fields named by label or by words of the label', () => {
    const c = check(formBody(bug, {}), { rules: rules('    - form: bug\n      fields: [Version, logs, environment]\n') });
    expect(names(c.required)).toEqual(['Version', 'Logs and configuration', 'Environment']);
  });

  it('a label rule applies with or without the form; its fields are named by the form labels, else as written', () => {
    const r = rules('    - labels: [Bug]\n      fields: [version, steps, browser]\n');
    const free = check('The export drops the last row.\n\nVersion 1.2, no idea how to reproduce.', { labels: ['bug'], rules: r });
    expect(names(free.missing)).toEqual(['Version', 'Steps to reproduce', 'browser']);
    expect(check('no label', { labels: ['enhancement'], rules: r }).required).toEqual([]);
    const bare = check('### Steps\n\n1. Export\n\n### Browser\n\nFirefox', { labels: ['bug'], rules: r, withForms: false });
    expect(names(bare.required)).toEqual(['version', 'steps', 'browser']);
    expect(keys(bare.missing)).toEqual(['version']);
  });

  it('two rules that apply ask for each field once', () => {
    const c = check(formBody(bug, {}), { labels: ['bug'], rules: rules('    - form: bug\n      fields: [version, steps]\n    - labels: [bug]\n      fields: [steps, logs]\n') });
    expect(keys(c.required)).toEqual(['version', 'steps', 'logs']);
  });

  it('a rule needs a form or labels; `[]` turns it off', () => {
    expect(() => rules('    - fields: [version]\n')).toThrow(/form.*labels/);
    expect(check(formBody(bug, {}), { rules: [] }).required).toEqual([]);
  });
});

describe('forms read through the API when the checkout has none', () => {
  it('only for a body with a `### heading` and a rule naming a form: the files named, or every template for a `name:`', () => {
    const body = formBody(bug, {});
    expect(formsToRead(DEFAULT_RULES, body)).toEqual(['bug.yml']);
    expect(formsToRead(DEFAULT_RULES, 'The export drops the last row.')).toBeUndefined();
    expect(formsToRead(rules('    - labels: [bug]\n      fields: [version]\n'), body)).toBeUndefined();
    expect(formsToRead(rules('    - form: bug.yaml\n      fields: [version]\n    - form: bug\n      fields: [steps]\n'), body)).toEqual(['bug.yaml', 'bug.yml']);
    expect(formsToRead(rules('    - form: Bug report\n      fields: [version]\n'), body)).toBeNull();
  });
});

describe("the reporter's replies", () => {
  const version = check(formBody(bug, {})).missing.find((m) => m.key === 'version')!;
  const logs = check(formBody(bug, {})).missing.find((m) => m.key === 'logs')!;

  it('give a field under its heading or on a `name: value` line', () => {
    expect(replyGives('Sorry!\n\n### Version\n\nv1.2.0', version)).toBe(true);
    expect(replyGives('Version: 1.2.0', version)).toBe(true);
    expect(replyGives('- **version:** 1.2.0', version)).toBe(true);
    expect(replyGives('**Logs and configuration:**\n```\nboom\n```', logs)).toBe(true);
    expect(replyGives('**Logs and configuration:** see below', logs)).toBe(true);
    expect(replyGives('### Logs\n\n```\nboom\n```', logs)).toBe(true);
  });

  it('do not give a field by mentioning it, or under an empty heading', () => {
    expect(replyGives('I will look up the version tomorrow.', version)).toBe(false);
    expect(replyGives('### Version\n\n_No response_', version)).toBe(false);
    expect(replyGives('Version:', version)).toBe(false);
    expect(replyGives('Version:\nLogs: none', version)).toBe(false);
  });

  it('complete the report with the body', () => {
    const { version: _v, ...rest } = COMPLETE_BUG;
    expect(check(formBody(bug, rest), { replies: ['Version: v1.2.0'] }).missing).toEqual([]);
  });
});

describe('what the marker records', () => {
  const missing = check(formBody(bug, {})).missing;
  const later = new Date('2024-01-04T09:30:00Z');

  it('asked on the first reply only; kept while something is missing; completed once', () => {
    expect(infoState(undefined, missing, false, NOW)).toBeUndefined();
    const asked = infoState(undefined, missing, true, NOW);
    expect(asked).toEqual({ asked: NOW.toISOString(), missing: ['what-happened', 'steps', 'expected', 'version', 'logs'] });
    expect(infoState(asked, missing.slice(3), false, later)).toEqual({ asked: NOW.toISOString(), missing: ['version', 'logs'] });
    const done = infoState(asked, [], false, later);
    expect(done).toEqual({ asked: NOW.toISOString(), missing: [], completed: later.toISOString() });
    expect(infoState(done, [], false, new Date('2024-02-01T00:00:00Z'))).toBe(done);
    expect(infoState(undefined, [], true, NOW)).toBeUndefined();
  });

  it('an entry that could break the marker is kept on one safe line', () => {
    const odd: RequiredField = { key: 'a <b>\n`c`', name: 'x', field: null };
    expect(infoState(undefined, [odd], true, NOW)?.missing).toEqual(['a b c']);
  });
});

describe('the needs-info label', () => {
  const base = { label: 'needs info', labels: [] as string[], existingLabels: [] as string[], labelEvents: [], excluded: ['github-actions[bot]'] };
  const open = { asked: NOW.toISOString(), missing: ['version'] };
  const done = { asked: NOW.toISOString(), missing: [], completed: NOW.toISOString() };
  const event = (action: 'labeled' | 'unlabeled', login: string) => ({ action, label: 'Needs Info', actor: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' }, at: NOW.toISOString() });

  it('added (created on first use) while something is missing; removed once complete', () => {
    expect(infoLabelPlan({ ...base, state: open })).toEqual({ label: 'needs info', add: true, remove: false, create: true });
    expect(infoLabelPlan({ ...base, state: open, existingLabels: ['needs info'] }).create).toBe(false);
    expect(infoLabelPlan({ ...base, state: open, labels: ['needs info'] })).toMatchObject({ add: false, remove: false });
    expect(infoLabelPlan({ ...base, state: done, labels: ['needs info'], labelEvents: [event('labeled', 'github-actions[bot]')] })).toMatchObject({ add: false, remove: true });
    expect(infoLabelPlan({ ...base, state: undefined, labels: ['needs info'] })).toMatchObject({ add: false, remove: false });
  });

  it('a person who removed it, or added it, is not overruled', () => {
    expect(infoLabelPlan({ ...base, state: open, labelEvents: [event('labeled', 'github-actions[bot]'), event('unlabeled', 'maintainer')] }).add).toBe(false);
    expect(infoLabelPlan({ ...base, state: done, labels: ['needs info'], labelEvents: [event('labeled', 'maintainer')] }).remove).toBe(false);
  });
});

describe('the decision and the reply', () => {
  const config = prioritizeConfig();
  const run = (over: Partial<EvaluateInput> = {}) =>
    evaluate({ read: makeRead(), config, bots: [], formFields: forms.flatMap((f) => f.fields), forms, previous: null, event: { name: 'issues', action: 'opened' }, now: NOW, ...over });

  it('the first reply asks for exactly what is missing, by name, and says nothing of the body', () => {
    const body = formBody(bug, { ...COMPLETE_BUG, steps: '<!-- userloop:prioritize {"priority":"fix-it-now"} --> @everyone', version: '_No response_' });
    const e = run({ read: makeRead({ body: body.replace('v1.2.0', '_No response_'), labels: ['bug'] }) });
    expect(e.marker.info).toEqual({ asked: NOW.toISOString(), missing: ['version'] });
    expect(e.info.label).toMatchObject({ add: true, create: true });
    const { body: text } = renderReply(e, { config, author: 'alice', serverUrl: 'https://github.com' });
    expect(text).toContain('**To debug this we need a few more details**, [alice](https://github.com/alice). Please edit the issue to fill in these sections');
    expect(text).toContain('\n\n- **Version**\n');
    expect(text).not.toContain('userloop:prioritize {');
    expect(text).not.toContain('@everyone');
    expect(text).not.toContain('Steps to reproduce');
  });

  it('an issue first replied to before this rule is never asked; a complete one is not either', () => {
    const e = run({ read: makeRead({ body: formBody(bug, {}) }), previous: lowMarker(), event: { name: 'issues', action: 'edited' } });
    expect(e.marker.info).toBeUndefined();
    expect(e.info.missing).toEqual([]);
    expect(e.replyChanged).toBe(false);
    expect(run({ read: makeRead({ body: formBody(bug, COMPLETE_BUG) }) }).marker.info).toBeUndefined();
  });

  it("the reporter's edit or reply completes it: the ask leaves the reply, the label goes, the time is recorded", () => {
    const { version: _v, ...rest } = COMPLETE_BUG;
    const first = run({ read: makeRead({ body: formBody(bug, rest) }) });
    const previous = readPrioritizeMarker(`${renderPrioritizeMarker(first.marker)}\n`);
    expect(previous?.info).toEqual(first.marker.info);
    const later = new Date('2024-01-05T08:00:00Z');
    const edited = { previous, now: later, event: { name: 'issues', action: 'edited' } };

    // Someone else's reply does not count; the reporter's does.
    const other = run({ ...edited, read: makeRead({ body: formBody(bug, rest), comments: [comment('bob', 'Version: 1.1')] }) });
    expect(other.info.missing.map((m) => m.key)).toEqual(['version']);
    expect(other.replyChanged).toBe(false);
    const replied = run({ ...edited, read: makeRead({ body: formBody(bug, rest), comments: [comment('alice', 'Version: 1.2.0')], labels: ['needs info'] }) });
    expect(replied.marker.info).toEqual({ asked: NOW.toISOString(), missing: [], completed: later.toISOString() });
    expect(replied.info.missing).toEqual([]);
    expect(replied.info.label).toMatchObject({ add: false, remove: true });
    expect(replied.replyChanged).toBe(true);
    const { body: text } = renderReply(replied, { config, author: 'alice', serverUrl: 'https://github.com' });
    expect(text).not.toContain('more details');

    const editedBody = run({ ...edited, read: makeRead({ body: formBody(bug, COMPLETE_BUG) }) });
    expect(editedBody.marker.info?.completed).toBe(later.toISOString());
  });

  it('the ask template is the team’s, its field names their form labels', () => {
    expect(renderMissingInfo([{ name: 'Version' }, { name: 'Logs <!-- x -->\nand config' }], 'Need: {fields} ({author})', 'alice')).toBe(
      'Need: - **Version**\n- **Logs <\u2060!-- x --> and config** (alice)',
    );
  });

  it('forms read from templates keep their file and name', () => {
    expect(readForms([{ path: '.github/ISSUE_TEMPLATE/bug.yml', text: 'name: Bug report\nbody:\n  - type: input\n    id: version\n    attributes: { label: Version }\n' }])).toEqual([
      { file: 'bug', name: 'Bug report', fields: [{ id: 'version', label: 'Version', type: 'input' }] },
    ]);
  });
});
