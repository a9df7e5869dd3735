import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionInputs, input, startAction } from '../src/index.ts';

const eventPath = join(mkdtempSync(join(tmpdir(), 'userloop-action-')), 'event.json');
writeFileSync(eventPath, '{}');

const env = (inputs: Record<string, string>): NodeJS.ProcessEnv => ({
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_EVENT_NAME: 'workflow_dispatch',
  GITHUB_EVENT_PATH: eventPath,
  GITHUB_API_URL: 'http://127.0.0.1:1',
  ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
});

describe('startAction', () => {
  it('reads the common inputs and the action own, the event, and makes a client', () => {
    const schema = actionInputs({ comment: input.boolean().default(true) });
    const { inputs, context, octokit } = startAction(schema, { env: env({ token: 't0ken', comment: 'false' }) });
    expect(inputs).toEqual({ token: 't0ken', 'config-path': '.github/userloop.yml', comment: false });
    expect(context.repo).toEqual({ owner: 'octo', repo: 'app' });
    expect(typeof octokit.request).toBe('function');
  });

  it('names the missing token', () => {
    expect(() => startAction(actionInputs({}), { env: env({}) })).toThrow(/token/);
  });
});
