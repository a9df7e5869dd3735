import { expect, it } from 'vitest';
import { validateWebhookPayload, webhookExample, webhookExamples } from '../src/index.ts';

/** The recorded examples of one event/action, as GitHub sent them. */
const recorded = (event: string, action?: string) =>
  webhookExamples()
    .find((g) => g.name === event)!
    .examples.filter((e) => e.action === action);

it.each([
  ['issues', 'opened'],
  ['issues', 'labeled'],
  ['issues', 'assigned'],
  ['issues', 'reopened'],
  ['issue_comment', 'created'],
  ['issue_comment', 'edited'],
  ['pull_request', 'opened'],
  ['pull_request', 'closed'],
  ['merge_group', 'checks_requested'],
  ['workflow_dispatch', undefined],
])('a payload GitHub recorded for %s.%s matches its webhook description', (event, action) => {
  const results = recorded(event, action).map((p) => validateWebhookPayload(event, action, p));
  expect(results.length).toBeGreaterThan(0);
  // some recordings predate fields the description now requires; at least one recording is current
  expect(results.some((errors) => errors.length === 0), JSON.stringify(results)).toBe(true);
});

it('names what is missing or of the wrong type, with a JSON pointer', () => {
  const payload = recorded('issues', 'opened').find((p) => validateWebhookPayload('issues', 'opened', p).length === 0)!;
  const broken = structuredClone(payload) as Record<string, unknown> & { issue: Record<string, unknown> };
  delete broken.sender;
  broken.issue.number = String(broken.issue.number);
  const errors = validateWebhookPayload('issues', 'opened', broken);
  expect(errors).toContainEqual({ path: '', message: "must have required property 'sender'" });
  expect(errors).toContainEqual(expect.objectContaining({ path: '/issue/number', message: expect.stringMatching(/integer/) }));
});

it('sees a field GitHub added after a recording: release.published now needs release.immutable and updated_at', () => {
  const errors = validateWebhookPayload('release', 'published', webhookExample('release', 'published'));
  expect(errors).toEqual(
    expect.arrayContaining([
      { path: '/release', message: "must have required property 'immutable'" },
      { path: '/release', message: "must have required property 'updated_at'" },
    ]),
  );
  const current = webhookExample('release', 'published') as { release: Record<string, unknown> };
  current.release.immutable = false;
  current.release.updated_at = current.release.created_at;
  expect(validateWebhookPayload('release', 'published', current).filter((e) => e.path.startsWith('/release'))).toEqual([]);
});

it('an action the payload does not carry, an unknown action and an unknown event are errors', () => {
  const payload = recorded('issues', 'labeled')[0]!;
  expect(validateWebhookPayload('issues', 'unlabeled', payload)).toContainEqual({ path: '/action', message: 'is "labeled", expected "unlabeled"' });
  expect(validateWebhookPayload('issues', 'exploded', payload)).toEqual([{ path: '', message: "GitHub's webhook description has no event issues with action exploded" }]);
  expect(validateWebhookPayload('schedule', undefined, {})).toEqual([{ path: '', message: "GitHub's webhook description has no event schedule" }]);
});

it('repository_dispatch accepts any event_type as its action', () => {
  const payload = structuredClone(recorded('repository_dispatch', 'on-demand-test')[0]!);
  const base = validateWebhookPayload('repository_dispatch', 'on-demand-test', payload).filter((e) => e.path === '/action');
  expect(base).toEqual([]);
  payload.client_payload = 'not an object';
  expect(validateWebhookPayload('repository_dispatch', 'on-demand-test', payload)).toContainEqual(
    expect.objectContaining({ path: '/client_payload' }),
  );
});
