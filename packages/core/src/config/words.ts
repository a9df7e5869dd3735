// The words of a config error: zod's issues ("expected int, received number", "Too big: expected number to
// be <=1") said in the config's own terms, with the key, the value written and what to write instead.
import type { z } from 'zod/mini';

/**
 * What each number key counts, by key path (`[]` for any list index); `fraction` for a share from 0 to 1.
 * Every number key of the schema has an entry (a test walks the schema), so a new one cannot be forgotten.
 */
export const NUMBER_UNITS: Readonly<Record<string, string>> = {
  'prioritize.due-business-days.fix-it-now': 'business days',
  'prioritize.due-business-days.high': 'business days',
  'prioritize.due-weeks.high': 'weeks',
  'prioritize.duplicates.max': 'issues',
  'prioritize.duplicates.min-similarity': 'fraction',
  'prioritize.remind-days-before': 'business days',
  'require-docs.how-to-use.min-words': 'words',
  'require-docs.naming.min-alternatives': 'alternatives',
  'draft-release-notes.max-commits': 'commits',
  'notify-requesters.max-mentions': 'people',
  'notify-requesters.min-interval-ms': 'milliseconds',
  'notify-requesters.max-writes-per-minute': 'writes',
  'notify-requesters.max-writes': 'writes',
  'kpi-report.first-response-hours': 'hours',
  'kpi-report.top-requested': 'issues',
  'kpi-report.trend-periods': 'periods',
  'kpi-report.goals.first-response-median-hours': 'hours',
  'kpi-report.goals.first-response-p90-hours': 'hours',
  'kpi-report.goals.answered-within-goal': 'fraction',
  'kpi-report.goals.unanswered': 'issues',
  'kpi-report.goals.close-median-days': 'days',
  'kpi-report.goals.close-p90-days': 'days',
  'kpi-report.goals.overdue': 'issues',
  'kpi-report.goals.commitments-kept': 'fraction',
  'kpi-report.goals.docs-share': 'fraction',
};

/** A key path with every list index written `[]`, as {@link NUMBER_UNITS} lists it. */
export const unitKey = (key: string): string => key.replace(/\[\d+\]/g, '[]');

/** The bounds of a zod number schema, read from its checks. */
export interface NumberBounds {
  int: boolean;
  min?: { value: number; inclusive: boolean };
  max?: { value: number; inclusive: boolean };
}

/** The bounds of `schema` when it is a number schema (`z.number().int().min(0)`), else `undefined`. */
export function numberBounds(schema: unknown): NumberBounds | undefined {
  const def = (schema as { _zod?: { def?: { type?: string; checks?: { _zod: { def: Record<string, unknown> } }[] } } })._zod?.def;
  if (def?.type !== 'number') return undefined;
  const bounds: NumberBounds = { int: false };
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32')) bounds.int = true;
    if (c.check === 'greater_than') bounds.min = { value: Number(c.value), inclusive: c.inclusive === true };
    if (c.check === 'less_than') bounds.max = { value: Number(c.value), inclusive: c.inclusive === true };
  }
  return bounds;
}

/** "a whole number of business days from 1 to 365", "a fraction between 0 and 1", "a number of hours more than 0". */
function expectedNumber(bounds: NumberBounds, unit: string | undefined): string {
  if (unit === 'fraction') return 'a fraction between 0 and 1 (0.8 for 80%)';
  const what = `${bounds.int ? 'a whole number' : 'a number'}${unit ? ` of ${unit}` : ''}`;
  const { min, max } = bounds;
  const finiteMax = max && Number.isFinite(max.value) ? max : undefined;
  if (min?.inclusive && finiteMax?.inclusive) return `${what} from ${min.value} to ${finiteMax.value}`;
  const parts = [
    ...(min ? [min.inclusive ? `at least ${min.value}` : `more than ${min.value}`] : []),
    ...(finiteMax ? [finiteMax.inclusive ? `at most ${finiteMax.value}` : `less than ${finiteMax.value}`] : []),
  ];
  return parts.length === 0 ? what : `${what}, ${parts.join(' and ')}`;
}

/** A value as a message names it: `80`, `'three'`, `a list`, `a mapping`, `nothing`. */
function foundValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (an empty value)';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return 'a mapping of keys';
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  array: 'a list (`[a, b]`, or one `- item` per line)',
  object: 'a mapping of keys (`key: value` lines)',
  string: 'text',
  boolean: 'true or false',
  number: 'a number',
  int: 'a whole number',
};

/**
 * The words of a zod issue about a number or a type, or `undefined` to keep zod's own (a custom message).
 * @param issue - the zod issue
 * @param key - its key path (`prioritize.due-business-days.high`)
 * @param value - the value written there
 * @param bounds - the bounds of the number schema at `key`, when it is one
 */
export function plainWords(issue: z.core.$ZodIssue, key: string, value: unknown, bounds: NumberBounds | undefined): string | undefined {
  const unit = NUMBER_UNITS[unitKey(key)];
  if (bounds !== undefined && (issue.code === 'too_small' || issue.code === 'too_big' || issue.code === 'invalid_type')) {
    const expected = expectedNumber(bounds, unit);
    if (typeof value === 'number') {
      if (unit === 'fraction' && value > 1 && value <= 100) {
        return `${key}: ${value} is not a fraction between 0 and 1; write ${Number((value / 100).toFixed(4))} for ${value}%`;
      }
      if (issue.code === 'invalid_type') return `${key}: ${value} is not a whole number; write ${expected}`;
      return `${key}: ${value} is too ${issue.code === 'too_small' ? 'small' : 'large'}; write ${expected}`;
    }
    return `${key}: ${foundValue(value)} is not a number; write ${expected}`;
  }
  if (issue.code === 'invalid_type') {
    const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
    return `${key}: expected ${expected}, found ${foundValue(value)}`;
  }
  if ((issue.code === 'too_small' || issue.code === 'too_big') && (issue.origin === 'array' || issue.origin === 'string')) {
    const n = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
    const noun = issue.origin === 'array' ? 'item' : 'character';
    if (issue.code === 'too_small' && n === 1) return `${key}: cannot be empty`;
    return `${key}: ${issue.code === 'too_small' ? 'needs at least' : 'takes at most'} ${n} ${noun}${n === 1 ? '' : 's'}`;
  }
  return undefined;
}
