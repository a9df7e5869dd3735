// The area a form's answer names becomes the area's label: the rule (decide.ts, forms.ts), then the write
// against the emulator over HTTP (one label request with the priority label, none on a re-run).
import { describe, expect, it } from 'vitest';
import { createOctokit, type WebhookPayload } from '@userloop/core';
import type { Sim } from '@userloop/github-sim';
import { areaLabelToAdd, evaluate, type EvaluateInput } from '../src/decide.ts';
import { formArea, parseFormBody, readForms } from '../src/forms.ts';
import { main } from '../src/main.ts';
import { acts, labelsOf, REPO } from './acme.ts';
import { configFrom, makeRead, NOW, prioritizeConfig } from './helpers.ts';
import { eachTestWithSim } from './sim.ts';

const AREAS = [
  { name: 'Editor', labels: ['area: editor', 'editor'] },
  { name: 'Sync', labels: ['area: sync'] },
  { name: 'Docs', labels: [] },
];

/** A bug form as `userloop init --product Lumen --areas …` writes it: the area question is a dropdown of the area names and "Not sure". */
const TEMPLATE = `name: Bug report
body:
  - type: textarea
    id: what-happened
    attributes: { label: What happened? }
  - type: dropdown
    id: area
    attributes:
      label: Which part of Lumen is it about?
      options: [Editor, Sync, Docs, Not sure]
  - type: dropdown
    id: blocks-you
    attributes:
      label: Does this block you?
      options: ["Yes, I am blocked", "No"]
`;
const fields = readForms([{ path: '.github/ISSUE_TEMPLATE/bug.yml', text: TEMPLATE }]).flatMap((f) => f.fields);

const body = (area: string, heading = 'Which part of Lumen is it about?') =>
  `### What happened?\n\nThe editor loses my cursor.\n\n### ${heading}\n\n${area}\n\n### Does this block you?\n\nNo`;

const toAdd = (over: Partial<Parameters<typeof areaLabelToAdd>[0]> = {}) =>
  areaLabelToAdd({ body: body('Editor'), fields, areas: AREAS, labels: ['bug'], labelEvents: [], ...over });

describe('the area answer of a form', () => {
  it('is recognised by its options, not its wording: a dropdown whose options name the areas', () => {
    expect(fields.find((f) => f.id === 'area')?.options).toEqual(['Editor', 'Sync', 'Docs', 'Not sure']);
    expect(formArea(parseFormBody(body('Sync'), fields), AREAS)?.name).toBe('Sync');
    // Any case; "Not sure" and no answer name no area.
    expect(formArea(parseFormBody(body('editor'), fields), AREAS)?.name).toBe('Editor');
    expect(formArea(parseFormBody(body('Not sure'), fields), AREAS)).toBeNull();
    expect(formArea(parseFormBody(body('_No response_'), fields), AREAS)).toBeNull();
    // A reworded question (no template field for its heading) still answers with an area's name.
    expect(formArea(parseFormBody(body('Sync', 'Where in the app?'), fields), AREAS)?.name).toBe('Sync');
    // Without the templates at all: the section whose whole answer is an area's name.
    expect(formArea(parseFormBody(body('Editor'), []), AREAS)?.name).toBe('Editor');
  });

  it('a text field or a dropdown of other things that happens to answer an area name is not the area question', () => {
    const text = readForms([{ path: 'bug.yml', text: 'body:\n  - type: textarea\n    attributes: { label: Which part of Lumen is it about? }\n' }]).flatMap((f) => f.fields);
    expect(formArea(parseFormBody(body('Editor'), text), AREAS)).toBeNull();
    const other = readForms([{ path: 'bug.yml', text: 'body:\n  - type: dropdown\n    attributes: { label: Which part of Lumen is it about?, options: [Editor, Browser, Phone] }\n' }]).flatMap((f) => f.fields);
    expect(formArea(parseFormBody(body('Editor'), other), AREAS)).toBeNull();
    // A sentence that names an area is no answer.
    expect(formArea(parseFormBody(body('Editor, I think'), []), AREAS)).toBeNull();
  });

  it("adds the area's first label, only while the issue is in no area and nobody took an area label off", () => {
    expect(toAdd()).toBe('area: editor');
    expect(toAdd({ body: body('Not sure') })).toBeNull();
    // In an area already (a person's label, any case, or any label of another area): nothing more.
    expect(toAdd({ labels: ['bug', 'Area: Sync'] })).toBeNull();
    expect(toAdd({ labels: ['editor'] })).toBeNull();
    // A person took an area label off (or moved it out of the areas): left alone.
    expect(toAdd({ labelEvents: [{ action: 'unlabeled', label: 'area: editor', actor: { login: 'maria', type: 'User' }, at: '2024-01-02T10:00:00Z' }] })).toBeNull();
    // An area without labels, or no areas: nothing to add.
    expect(toAdd({ body: body('Docs') })).toBeNull();
    expect(toAdd({ areas: [] })).toBeNull();
  });

  it('evaluate plans it next to the priority label, from the checkout forms or those read through the API', () => {
    const input: EvaluateInput = {
      read: makeRead({ body: body('Sync') }),
      config: prioritizeConfig(),
      bots: [],
      formFields: [],
      forms: readForms([{ path: '.github/ISSUE_TEMPLATE/bug.yml', text: TEMPLATE }]),
      areas: AREAS,
      previous: null,
      event: { name: 'issues', action: 'opened' },
      now: NOW,
    };
    expect(evaluate(input).areaLabel).toBe('area: sync');
    expect(evaluate({ ...input, formFields: fields }).areaLabel).toBe('area: sync');
    expect(evaluate({ ...input, areas: [] }).areaLabel).toBeNull();
    expect(evaluate({ ...input, read: makeRead({ body: body('Sync'), labels: ['area: editor'] }) }).areaLabel).toBeNull();
  });
});

describe('prioritize adds the area label over HTTP', () => {
  let sim: Sim;
  eachTestWithSim(null, (s) => {
    sim = s;
    sim.store.createRepo({ owner: 'acme', name: 'notes', private: true, collaborators: { maria: 'admin' } });
  });
  const config = configFrom('areas:\n  - { name: Editor, labels: ["area: editor"], owners: ["@alice"] }\n  - { name: Sync, labels: ["area: sync"], owners: ["@bob"] }\n');
  const handle = (payload: Record<string, unknown>) =>
    main(
      { eventName: 'issues', action: String(payload['action']), payload: payload as WebhookPayload, owner: 'acme', repo: 'notes', serverUrl: 'https://github.com', config, now: NOW },
      { octokit: createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { waitScale: 0.001 }, retries: 2 }) },
    );
  const labelWrites = () => sim.requests.filter((r) => r.route === 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels');

  it('in the same request as the priority label; a re-run writes no label; a person who moves it wins', async () => {
    const act = acts(sim);
    const { n, payload } = act.open('reporter', body('Editor'));
    const first = await handle(payload);
    expect(first.evaluation?.areaLabel).toBe('area: editor');
    expect(labelsOf(sim, n)).toEqual(['area: editor', 'bug', 'priority: low']);
    expect(labelWrites().map((r) => r.body)).toEqual([{ labels: ['priority: low', 'area: editor'] }]);

    const again = await handle(act.edit('reporter', n, `${body('Editor')}\n\nIt happens on every long note.`));
    expect(again.evaluation?.areaLabel).toBeNull();
    expect(labelWrites()).toHaveLength(1);

    // A maintainer moves it to Sync: the form still says Editor, and nothing is added back.
    sim.store.removeLabel(REPO, n, 'area: editor', 'maria');
    const moved = await handle(act.label('maria', n, 'area: sync'));
    expect(moved.evaluation?.areaLabel).toBeNull();
    expect(labelsOf(sim, n)).toEqual(['area: sync', 'bug', 'priority: low']);
    expect(labelWrites()).toHaveLength(1);
  });

  it('an issue whose priority label is there already gets the area label in a request of its own; "Not sure" gets none', async () => {
    const act = acts(sim);
    const unsure = act.open('reporter', body('Not sure'));
    await handle(unsure.payload);
    expect(labelsOf(sim, unsure.n)).toEqual(['bug', 'priority: low']);
    // The reporter picks the area afterwards: one request adds it, the priority label stays.
    const picked = await handle(act.edit('reporter', unsure.n, body('sync')));
    expect(picked.labelAction).toBe('none');
    expect(labelsOf(sim, unsure.n)).toEqual(['area: sync', 'bug', 'priority: low']);
    expect(labelWrites().map((r) => r.body)).toEqual([{ labels: ['priority: low'] }, { labels: ['area: sync'] }]);
  });
});
