import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  annotateConfigIssues,
  appendSummary,
  appendSummarySection,
  ConfigError,
  errorMessage,
  group,
  input,
  inputEnvName,
  InputError,
  kebabCase,
  parseConfig,
  readInputs,
  runAction,
  setOutputs,
} from '../src/index.ts';

/** Captures what the toolkit writes to stdout (workflow commands) while `fn` runs. */
async function captureStdout(fn: () => unknown): Promise<string> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

/** Parses a GITHUB_OUTPUT file (`name<<DELIM\nvalue\nDELIM`). */
function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    out[name ?? ''] = value.join('\n');
  }
  return out;
}

describe('readInputs', () => {
  const schema = z.object({
    token: z.string(),
    'dry-run': input.boolean().default(false),
    'max-notices': input.integer(1, 500).default(100),
    labels: input.list().default([]),
    mode: input.choice(['comment', 'summary']).default('comment'),
  });

  it('reads INPUT_<NAME> with - as _, trims, and applies defaults for empty strings', () => {
    const env = { INPUT_TOKEN: ' t0k ', INPUT_DRY_RUN: 'True', INPUT_MAX_NOTICES: '', INPUT_LABELS: 'bug, docs\nfeature\n', INPUT_MODE: '' };
    expect(readInputs(schema, env)).toEqual({ token: 't0k', 'dry-run': true, 'max-notices': 100, labels: ['bug', 'docs', 'feature'], mode: 'comment' });
  });

  it("falls back to the runner's dashed variable name", () => {
    expect(readInputs(schema, { INPUT_TOKEN: 't', 'INPUT_DRY-RUN': 'false' })['dry-run']).toBe(false);
  });

  it('names every bad or missing input', () => {
    let thrown: unknown;
    try {
      readInputs(schema, { INPUT_DRY_RUN: 'yes', INPUT_MAX_NOTICES: '0', INPUT_MODE: 'loud' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).problems).toEqual([
      "input 'token' is required",
      "input 'dry-run': expected true or false",
      "input 'max-notices': Too small: expected number to be >=1",
      'input \'mode\': Invalid option: expected one of "comment"|"summary"',
    ]);
    expect((thrown as Error).message.startsWith('Invalid inputs:\n  input \'token\' is required')).toBe(true);
  });

  it('text and date inputs: absent when empty, a date that is no date named', () => {
    const dated = z.object({ tag: input.text().optional(), 'as-of': input.date().optional() });
    expect(readInputs(dated, { INPUT_TAG: ' v1.2.0 ', 'INPUT_AS_OF': '2026-11-23' })).toEqual({ tag: 'v1.2.0', 'as-of': '2026-11-23' });
    expect(readInputs(dated, { INPUT_TAG: '' })).toEqual({});
    expect(() => readInputs(dated, { INPUT_AS_OF: '2026-13-45' })).toThrow("input 'as-of': expected a date or time, e.g. 2026-11-23 or 2026-11-23T06:00:00Z");
  });

  it('maps names to environment variables the way composite actions pass them', () => {
    expect(inputEnvName('github-token')).toBe('INPUT_GITHUB_TOKEN');
    expect(inputEnvName('dry run')).toBe('INPUT_DRY_RUN');
  });
});

describe('runAction', () => {
  beforeEach(() => {
    process.exitCode = undefined;
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('passes when main resolves', async () => {
    let ok: boolean | undefined;
    const out = await captureStdout(async () => {
      ok = await runAction(async () => {});
    });
    expect(ok).toBe(true);
    expect(out).toBe('');
    expect(process.exitCode).toBeUndefined();
  });

  it('fails the step on a thrown string', async () => {
    let ok: boolean | undefined;
    const out = await captureStdout(async () => {
      ok = await runAction(() => {
        throw 'plain string';
      });
    });
    expect(ok).toBe(false);
    expect(out).toBe('::error::plain string\n');
    expect(process.exitCode).toBe(1);
  });

  it('fails the step on an Error, undefined and an object', async () => {
    expect(await captureStdout(() => runAction(async () => { throw new Error('boom'); }))).toContain('::error::boom\n');
    expect(await captureStdout(() => runAction(async () => { throw undefined; }))).toContain('::error::failed with undefined\n');
    expect(await captureStdout(() => runAction(async () => { throw { code: 7 }; }))).toContain('::error::failed with a non-error value: {"code":7}\n');
    expect(process.exitCode).toBe(1);
  });

  it('annotates each config error on its file and line, then fails', async () => {
    const result = parseConfig('bost: []\n', '.github/userloop.yml');
    const out = await captureStdout(() => runAction(async () => {
      throw new ConfigError(result.errors);
    }));
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe(
      "::error title=userloop configuration (bost),file=.github/userloop.yml,line=1,col=1::unknown key 'bost' at the top level; did you mean 'bots'?",
    );
    expect(lines.at(-1)).toBe('::error::.github/userloop.yml has 1 error:%0A  .github/userloop.yml:1:1: unknown key \'bost\' at the top level; did you mean \'bots\'?');
  });

  it('describes an API error with its status and request', () => {
    const error = Object.assign(new Error('Resource not accessible by integration'), {
      status: 403,
      request: { method: 'POST', url: 'https://api.github.com/repos/o/r/issues/1/comments?x=1' },
    });
    expect(errorMessage(error)).toBe(
      'GitHub API error 403: Resource not accessible by integration (POST https://api.github.com/repos/o/r/issues/1/comments). The token cannot write here: give the job `permissions: issues: write` (a pull request from a fork only ever gets a read-only token).',
    );
  });

  it('names the permission a refused write needs, from its route; not for reads or other 403s', () => {
    const refused = (method: string, url: string, message = 'Resource not accessible by integration') =>
      errorMessage(Object.assign(new Error(message), { status: 403, request: { method, url } }));
    expect(refused('POST', 'https://api.github.com/repos/o/r/releases')).toMatch(/`permissions: contents: write`/);
    expect(refused('PATCH', 'https://ghe.example/api/v3/repos/o/r/releases/5')).toMatch(/`permissions: contents: write`/);
    expect(refused('POST', 'https://api.github.com/repos/o/r/issues')).toMatch(/`permissions: issues: write`/);
    expect(refused('PUT', 'https://api.github.com/repos/o/r/issues/3/labels')).toMatch(/`permissions: issues: write`/);
    expect(refused('POST', 'https://api.github.com/repos/o/r/pulls/3/requested_reviewers')).toMatch(/`permissions: pull-requests: write`/);
    expect(refused('GET', 'https://api.github.com/repos/o/r/releases')).not.toMatch(/permissions:/);
    expect(refused('POST', 'https://api.github.com/repos/o/r/issues/1/comments', 'Unable to create comment because issue is locked.')).not.toMatch(/permissions:/);
  });
});

describe('annotateConfigIssues', () => {
  it('emits warnings when asked', async () => {
    const out = await captureStdout(() => annotateConfigIssues([{ file: 'f.yml', line: 2, column: 3, key: '', message: 'careful' }], 'warning'));
    expect(out).toBe('::warning title=userloop configuration,file=f.yml,line=2,col=3::careful\n');
  });
});

describe('outputs, summary and groups', () => {
  let dir: string;
  const saved = { output: process.env['GITHUB_OUTPUT'], summary: process.env['GITHUB_STEP_SUMMARY'] };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'userloop-runtime-'));
  });
  afterEach(async () => {
    for (const [key, value] of [['GITHUB_OUTPUT', saved.output], ['GITHUB_STEP_SUMMARY', saved.summary]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('writes kebab-case outputs, JSON for objects, skipping undefined', async () => {
    const file = join(dir, 'output');
    await writeFile(file, '');
    process.env['GITHUB_OUTPUT'] = file;
    setOutputs({ commentId: 42, commentUrl: 'https://x.test/c', changed: false, issues: [1, 2], prNumber: undefined, 'already-kebab': 'a\nb' });
    expect(parseOutputFile(await readFile(file, 'utf8'))).toEqual({
      'comment-id': '42',
      'comment-url': 'https://x.test/c',
      changed: 'false',
      issues: '[1,2]',
      'already-kebab': 'a\nb',
    });
    expect(kebabCase('pr_number')).toBe('pr-number');
  });

  it('appends markdown to the job summary file', async () => {
    const file = join(dir, 'summary.md');
    await writeFile(file, '');
    process.env['GITHUB_STEP_SUMMARY'] = file;
    expect(await appendSummary('first')).toBe(true);
    expect(await appendSummarySection('Report', '| a |\n| - |\n')).toBe(true);
    expect(await readFile(file, 'utf8')).toBe('first\n## Report\n\n| a |\n| - |\n\n');
  });

  it('logs the summary when there is no summary file', async () => {
    delete process.env['GITHUB_STEP_SUMMARY'];
    let wrote: boolean | undefined;
    const out = await captureStdout(async () => {
      wrote = await appendSummary('**hello**');
    });
    expect(wrote).toBe(false);
    expect(out).toBe('**hello**\n');
  });

  it('wraps work in a log group and returns its value', async () => {
    let value: number | undefined;
    const out = await captureStdout(async () => {
      value = await group('Reading issues', async () => 7);
    });
    expect(value).toBe(7);
    expect(out).toBe('::group::Reading issues\n::endgroup::\n');
  });
});
