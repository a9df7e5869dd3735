import { describe, expect, it } from 'vitest';
import {
  evaluateCondition,
  evaluateString,
  evaluateTemplate,
  ExpressionError,
  parseExpression,
  toExprValue,
  type EvalScope,
} from '../src/runner/expressions.ts';

const scope = (failed = false): EvalScope => ({
  contexts: {
    github: toExprValue({
      event_name: 'issues',
      repository: 'octo-org/octo-repo',
      event: { issue: { number: 7, title: 'Crash', labels: [{ name: 'bug' }, { name: 'P1' }] }, action: 'opened' },
    }),
    inputs: toExprValue({ 'dry-run': 'true', count: '3', empty: '' }),
    env: toExprValue({ MODE: 'fast' }),
    steps: toExprValue({ a: { outputs: { json: '{"x":[1,2]}' }, outcome: 'success' } }),
    runner: toExprValue({ temp: '/tmp/r' }),
  },
  status: { failed },
});

const ev = (expr: string, failed = false) => evaluateTemplate(`\${{ ${expr} }}`, scope(failed));

describe('expressions', () => {
  it('reads contexts, case-insensitively, with null for missing properties', () => {
    expect(ev('github.event.issue.number')).toBe(7);
    expect(ev('GitHub.Event.Issue.Title')).toBe('Crash');
    expect(ev("github.event['issue'].labels[1].name")).toBe('P1');
    expect(ev('github.event.pull_request.number')).toBeNull();
    expect(ev('inputs.dry-run')).toBe('true');
    expect(ev('runner.temp')).toBe('/tmp/r');
  });

  it('implements literals, loose equality, comparison and && / || returning operands', () => {
    expect(ev("'it''s'")).toBe("it's");
    expect(ev("inputs.dry-run == 'TRUE'")).toBe(true);
    expect(ev("inputs.count == 3")).toBe(true);
    expect(ev('inputs.empty == 0')).toBe(true);
    expect(ev("env.MODE != 'fast'")).toBe(false);
    expect(ev('inputs.count > 2')).toBe(true);
    expect(ev("inputs.empty || 'fallback'")).toBe('fallback');
    expect(ev("env.MODE && 'yes'")).toBe('yes');
    expect(ev('!inputs.empty')).toBe(true);
    expect(ev('null == false')).toBe(true);
    expect(ev('0x10 == 16')).toBe(true);
    expect(ev('-1.5e1 < 0')).toBe(true);
  });

  it('implements format, toJSON, fromJSON, contains, startsWith, endsWith, join', () => {
    expect(ev("format('{0}/{1} {{x}}', github.repository, github.event.issue.number)")).toBe('octo-org/octo-repo/7 {x}');
    expect(ev('fromJSON(steps.a.outputs.json).x[1]')).toBe(2);
    expect(ev("toJSON(fromJSON('{\"a\":1}'))")).toBe('{\n  "a": 1\n}');
    expect(ev("contains(github.event.issue.labels.*.name, 'p1')")).toBe(true);
    expect(ev("contains('Hello World', 'world')")).toBe(true);
    expect(ev("startsWith(github.repository, 'OCTO-')")).toBe(true);
    expect(ev("endsWith(github.repository, 'nope')")).toBe(false);
    expect(ev("join(github.event.issue.labels.*.name, ', ')")).toBe('bug, P1');
    expect(ev('github.event.issue.labels.*.name')).toEqual(['bug', 'P1']);
    expect(ev('github.event.issue.labels.*.missing')).toEqual([]);
  });

  it('interpolates templates as text and objects as Object/Array', () => {
    expect(evaluateString('n=${{ github.event.issue.number }}, t=${{ github.event.issue }}', scope())).toBe('n=7, t=Object');
    expect(evaluateString('plain text', scope())).toBe('plain text');
    expect(evaluateString("${{ '}}' }}", scope())).toBe('}}');
  });

  it('treats if: like the runner: implicit success(), bare or wrapped expressions', () => {
    expect(evaluateCondition("github.event.action == 'opened'", scope())).toBe(true);
    expect(evaluateCondition("${{ github.event.action == 'opened' }}", scope())).toBe(true);
    expect(evaluateCondition("github.event.action == 'opened'", scope(true))).toBe(false);
    expect(evaluateCondition('failure()', scope(true))).toBe(true);
    expect(evaluateCondition('always() && inputs.empty', scope(true))).toBe(false);
    expect(evaluateCondition(undefined, scope())).toBe(true);
    expect(evaluateCondition(undefined, scope(true))).toBe(false);
  });

  it('rejects unsupported or malformed syntax with an error, never an empty string', () => {
    expect(() => ev('hashFiles("x")')).toThrow(ExpressionError);
    expect(() => ev("hashFiles('x')")).toThrow(/Unrecognized function: 'hashFiles'/);
    expect(() => ev('secrets.X')).toThrow(/Unrecognized named-value: 'secrets'/);
    expect(() => ev('github.')).toThrow(/Expected a property name/);
    expect(() => ev("'open")).toThrow(/Unclosed/);
    expect(() => parseExpression("'open' == 'x", ['github'])).toThrow(/Unterminated string/);
    expect(() => ev('1 +')).toThrow(ExpressionError);
    expect(() => ev("contains('a')")).toThrow(/takes 2 argument/);
    expect(() => evaluateString('${{ github.repository', scope())).toThrow(/Unclosed/);
    expect(() => ev("format('{1}', 'a')")).toThrow(/more arguments/);
    expect(() => ev("fromJSON('{bad')")).toThrow(/fromJson/);
  });
});
