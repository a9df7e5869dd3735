import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ActionRunnerError, runAction, type RunActionOptions, type RunActionResult } from '../src/runner/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const echoAction = path.join(here, 'fixtures', 'echo-action');
const issuePayload = {
  action: 'opened',
  issue: { number: 7, title: 'Export fails', user: { login: 'mona' } },
  repository: { full_name: 'octo-org/octo-repo', name: 'octo-repo', owner: { login: 'octo-org' }, default_branch: 'main' },
  sender: { login: 'mona' },
};

const tmpDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A fresh temporary directory, removed after the tests. */
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tmpDirs.push(dir);
  return dir;
}

/**
 * Writes a composite action.yml named `name` into a fresh directory and returns the directory: `steps` are the
 * YAML lines under `runs.steps`, `head` the lines between the description and `runs:` (inputs, outputs).
 */
async function compositeAction(name: string, steps: string, head = ''): Promise<string> {
  const dir = await tempDir('runner-test-action-');
  await writeFile(path.join(dir, 'action.yml'), `name: ${name}\ndescription: ${name}\n${head}runs:\n  using: composite\n  steps:${steps}`);
  return dir;
}

/** A composite action whose one step echoes the value of `${{ <expression> }}`. */
function echoing(name: string, expression: string): Promise<string> {
  return compositeAction(
    name,
    `
    - shell: bash
      env:
        X: \${{ ${expression} }}
      run: echo "$X"
`,
  );
}

/** Runs the action in `actionDir` on an empty push event. */
function onPush(actionDir: string, options: Partial<RunActionOptions> = {}): Promise<RunActionResult> {
  return runAction({ actionDir, event: { name: 'push', payload: {} }, ...options });
}

/** Runs the echo fixture on the issue event with these inputs. */
function echo(inputs: RunActionOptions['inputs']): Promise<RunActionResult> {
  return runAction({ actionDir: echoAction, event: { name: 'issues', payload: issuePayload }, inputs });
}

describe('runAction with the echo fixture', () => {
  let result: RunActionResult;

  it('runs the steps and maps composite outputs, including a multiline heredoc one', async () => {
    result = await echo({ message: 'hi there', secret: 's3cr3t-value' });
    expect(result.stderr).toContain('to stderr');
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({
      greeting: 'Hello, world',
      notes: 'line one\nline two',
      event: 'issues',
      'skipped-outcome': 'skipped',
      'from-env-file': 'persisted',
    });
  });

  it('evaluates env expressions: inputs with defaults, github.event.*, format()', () => {
    expect(result.stdout).toContain('Hello, world: hi there');
    expect(result.stdout).toContain('repo info: octo-org/octo-repo@issues, title: Export fails');
  });

  it('collects the step summary', () => {
    expect(result.summary).toBe('## Echo summary\nSaid: hi there\n');
  });

  it('parses annotations with properties and unescapes %2C %3A (properties) and %25 %0A (message)', () => {
    expect(result.annotations).toEqual([
      {
        level: 'error',
        message: "unknown key: 'prioritze' (100%)\ndid you mean 'prioritize'?",
        file: '.github/userloop.yml',
        line: 3,
        col: 5,
        title: 'Bad, key: prioritze',
      },
      { level: 'warning', message: 'careful' },
    ]);
  });

  it('masks ::add-mask:: values in stdout and keeps group markers', () => {
    expect(result.stdout).not.toContain('s3cr3t-value');
    expect(result.stdout).toContain('(secret is ***)');
    expect(result.stdout).toContain('::add-mask::***');
    expect(result.stdout).toMatch(/::group::Greeting\n.*\n::endgroup::/);
  });

  it('skips a step whose if: is false and runs failure() steps only after a failure', () => {
    const byId = Object.fromEntries(result.steps.map((s) => [s.id, s]));
    expect(byId.never?.outcome).toBe('skipped');
    expect(byId['maybe-fail']?.outcome).toBe('skipped');
    expect(byId['after-failure']?.outcome).toBe('skipped');
    expect(result.stdout).not.toContain('this step is skipped');
    expect(result.requests).toEqual([]);
  });

  it('reports a failing step: its exit code, an annotation, later failure() step runs', async () => {
    const r = await echo({ message: 'x', fail: 3 });
    expect(r.exitCode).toBe(3);
    expect(r.annotations).toContainEqual({ level: 'error', message: 'Process completed with exit code 3.' });
    const failedStep = r.steps.find((s) => s.id === 'maybe-fail');
    expect(failedStep).toMatchObject({ outcome: 'failure', conclusion: 'failure', exitCode: 3 });
    expect(r.stdout).toContain('cleanup after failure');
    // Outputs of steps that ran are still mapped.
    expect(r.outputs.greeting).toBe('Hello, world');
  });

  it('fails like the runner when a required input is missing, without running any step', async () => {
    const r = await echo({});
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toEqual([{ level: 'error', message: 'Input required and not supplied: message' }]);
    expect(r.steps).toEqual([]);
    expect(r.stdout).toBe('');
  });

  it('warns about unexpected inputs, like the runner', async () => {
    const r = await echo({ message: 'm', colour: 'red' });
    expect(r.exitCode).toBe(0);
    expect(r.annotations[0]).toEqual({
      level: 'warning',
      message: "Unexpected input(s) 'colour', valid inputs are ['message', 'greeting-name', 'secret', 'fail', 'token']",
    });
  });
});

describe('runAction environment', () => {
  it('sets the runner variables, the event file and the token default from github.token', async () => {
    const dir = await compositeAction(
      'env',
      `
    - id: dump
      shell: bash
      env:
        INPUT_TOKEN: \${{ inputs.token }}
        TEMP_FROM_EXPR: \${{ runner.temp }}
        ACTION_PATH_FROM_EXPR: \${{ github.action_path }}
      run: |
        node -e '
          const fs = require("fs");
          const keys = ["GITHUB_EVENT_NAME","GITHUB_REPOSITORY","GITHUB_REPOSITORY_OWNER","GITHUB_API_URL","GITHUB_GRAPHQL_URL",
            "GITHUB_SERVER_URL","GITHUB_ACTOR","GITHUB_SHA","GITHUB_REF","RUNNER_OS","CI","GITHUB_ACTIONS","GITHUB_WORKSPACE",
            "GITHUB_ACTION_PATH","RUNNER_TEMP","INPUT_TOKEN","TEMP_FROM_EXPR","ACTION_PATH_FROM_EXPR","MY_JOB_ENV","USERLOOP_LEAK_CHECK"];
          const out = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
          out.event = JSON.parse(fs.readFileSync(process.env.GITHUB_EVENT_PATH, "utf8"));
          out.cwd = process.cwd();
          out.files = ["GITHUB_OUTPUT","GITHUB_STEP_SUMMARY","GITHUB_ENV","GITHUB_PATH","GITHUB_STATE"].every((k) => fs.existsSync(process.env[k]));
          fs.appendFileSync(process.env.GITHUB_OUTPUT, "dump<<JSON\\n" + JSON.stringify(out) + "\\nJSON\\n");
        '
`,
      `inputs:
  token:
    description: t
    default: \${{ github.token }}
outputs:
  dump:
    description: d
    value: \${{ steps.dump.outputs.dump }}
`,
    );
    const workspace = await tempDir('runner-test-ws-');
    process.env.USERLOOP_LEAK_CHECK = 'leaked';
    const r = await runAction({
      actionDir: dir,
      event: { name: 'push', payload: { ref: 'refs/heads/feature', after: 'a'.repeat(40), sender: { login: 'hubot' } } },
      repository: 'acme/widgets',
      workspace,
      env: { MY_JOB_ENV: 'job-level' },
      token: 'ghs_example',
    }).finally(() => delete process.env.USERLOOP_LEAK_CHECK);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const dump = JSON.parse(r.outputs.dump ?? '{}') as Record<string, unknown>;
    expect(dump).toMatchObject({
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_REPOSITORY_OWNER: 'acme',
      GITHUB_API_URL: 'https://api.github.com',
      GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_ACTOR: 'hubot',
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_REF: 'refs/heads/feature',
      RUNNER_OS: 'Linux',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTION_PATH: dir,
      ACTION_PATH_FROM_EXPR: dir,
      INPUT_TOKEN: 'ghs_example',
      MY_JOB_ENV: 'job-level',
      event: { ref: 'refs/heads/feature', after: 'a'.repeat(40), sender: { login: 'hubot' } },
      cwd: workspace,
      files: true,
    });
    expect(dump.TEMP_FROM_EXPR).toBe(dump.RUNNER_TEMP);
    // The host environment does not leak in unless asked for.
    expect(dump.USERLOOP_LEAK_CHECK).toBeUndefined();
  });

  it('applies working-directory, GITHUB_PATH and continue-on-error', async () => {
    const dir = await compositeAction(
      'wd',
      `
    - id: flaky
      continue-on-error: true
      shell: bash
      run: exit 2
    - shell: bash
      run: |
        mkdir -p "$GITHUB_WORKSPACE/sub/bin"
        printf '#!/bin/sh\\necho from-path-tool\\n' > "$GITHUB_WORKSPACE/sub/bin/my-tool"
        chmod +x "$GITHUB_WORKSPACE/sub/bin/my-tool"
        echo "$GITHUB_WORKSPACE/sub/bin" >> "$GITHUB_PATH"
    - id: where
      working-directory: \${{ format('{0}', 'sub') }}
      shell: bash
      run: |
        my-tool
        echo "where=$(basename "$PWD")" >> "$GITHUB_OUTPUT"
`,
      `outputs:
  where:
    description: w
    value: \${{ steps.where.outputs.where }}
  outcome:
    description: o
    value: \${{ steps.flaky.outcome }}/\${{ steps.flaky.conclusion }}
`,
    );
    const r = await runAction({ actionDir: dir, event: { name: 'workflow_dispatch', payload: {} } });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toEqual({ where: 'sub', outcome: 'failure/success' });
    expect(r.stdout).toContain('from-path-tool');
  });

  it('runs bash with -eo pipefail: a failing command in a pipeline stops the step', async () => {
    const dir = await compositeAction('pipefail', `
    - shell: bash
      run: |
        false | cat
        echo "not reached"
`);
    const r = await onPush(dir);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).not.toContain('not reached');
  });

  it('kills a step after the timeout with a clear error', async () => {
    const dir = await compositeAction('slow', `
    - name: Sleep a while
      shell: bash
      run: |
        echo started
        sleep 30
    - if: always()
      shell: bash
      run: echo "always runs"
`);
    const started = Date.now();
    const r = await onPush(dir, { stepTimeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.exitCode).toBe(1);
    expect(r.steps[0]).toMatchObject({ timedOut: true, outcome: 'failure', exitCode: null });
    expect(r.annotations).toContainEqual({ level: 'error', message: "The action 'Sleep a while' has timed out after 0.3 seconds." });
    expect(r.stdout).toContain('started');
    expect(r.stdout).toContain('always runs');
  });

  it('does not wait for background processes a step leaves behind', async () => {
    const dir = await compositeAction('background', `
    - shell: bash
      run: |
        sleep 30 &
        echo "main part done"
`);
    const started = Date.now();
    const r = await onPush(dir, { stepTimeoutMs: 20_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('main part done\n');
  });

  it('fails the step on a malformed GITHUB_OUTPUT heredoc', async () => {
    const dir = await compositeAction('bad-output', `
    - shell: bash
      run: printf 'x<<EOF\\nno end\\n' >> "$GITHUB_OUTPUT"
`);
    const r = await onPush(dir);
    expect(r.exitCode).toBe(1);
    expect(r.annotations[0]?.message).toContain("Matching delimiter not found 'EOF'");
  });

  it('masks the token and secrets in annotations and summary too', async () => {
    const dir = await compositeAction('mask', `
    - shell: bash
      env:
        TOKEN: \${{ github.token }}
      run: |
        echo "::add-mask::hunter2"
        echo "::notice title=hunter2::token $TOKEN and hunter2"
        echo "hunter2 $TOKEN" >> "$GITHUB_STEP_SUMMARY"
        echo "::stop-commands::pause-token"
        echo "::error::not an annotation while stopped"
        echo "::pause-token::"
        echo "::warning::resumed"
`);
    const r = await onPush(dir, { token: 'tok-123' });
    expect(r.annotations).toEqual([
      { level: 'notice', title: '***', message: 'token *** and ***' },
      { level: 'warning', message: 'resumed' },
    ]);
    expect(r.summary).toBe('*** ***\n');
    expect(r.raw).toBeUndefined();

    const raw = await onPush(dir, { token: 'tok-123', raw: true });
    expect(raw.summary).toBe('*** ***\n');
    expect(raw.raw?.summary).toBe('hunter2 tok-123\n');
    expect(raw.raw?.stdout).toContain('::notice title=hunter2::token tok-123 and hunter2');
    expect(raw.raw?.annotations[0]).toEqual({ level: 'notice', title: 'hunter2', message: 'token tok-123 and hunter2' });
  });
});

describe('runAction errors in the action itself', () => {
  it('rejects nested uses: clearly', async () => {
    const dir = await compositeAction('nested', `
    - uses: actions/checkout@v4
`);
    await expect(onPush(dir)).rejects.toThrow(/'uses: actions\/checkout@v4' is not supported/);
  });

  it('rejects a run step without shell, like the runner', async () => {
    const dir = await compositeAction('no-shell', `
    - run: echo hi
`);
    await expect(onPush(dir)).rejects.toThrow(ActionRunnerError);
  });

  it('rejects unsupported expression syntax instead of evaluating to empty', async () => {
    const dir = await echoing('bad-expr', "hashFiles('**/package.json')");
    await expect(onPush(dir)).rejects.toThrow(/Unrecognized function: 'hashFiles'/);
    const dir2 = await echoing('bad-context', 'secrets.TOKEN');
    await expect(onPush(dir2)).rejects.toThrow(/Unrecognized named-value: 'secrets'/);
  });

  it('checks every expression before running any step', async () => {
    const dir = await compositeAction('late-bad-expr', `
    - shell: bash
      run: touch "$GITHUB_WORKSPACE/first-step-ran"
    - if: github.event_name = 'push'
      shell: bash
      run: echo never
`);
    const workspace = await tempDir('runner-test-ws-');
    await expect(onPush(dir, { workspace })).rejects.toThrow(/runs\.steps\[1\]\.if: Unexpected symbol '='/);
    expect(existsSync(path.join(workspace, 'first-step-ran'))).toBe(false);
  });

  it('fails the step (not the harness) when a well-formed expression fails on its data', async () => {
    const dir = await echoing('bad-json', "fromJSON('{not json')");
    const r = await onPush(dir);
    expect(r.exitCode).toBe(1);
    expect(r.annotations[0]?.message).toMatch(/Error parsing fromJson/);
  });

  it('reports a missing action.yml', async () => {
    const dir = await tempDir('runner-test-empty-');
    await expect(onPush(dir)).rejects.toThrow(/No action.yml/);
  });
});
