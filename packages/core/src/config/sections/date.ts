import * as z from 'zod/mini';
import { described } from '../../zod.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Says what is wrong with a date written in config, or `undefined` for a real calendar date `YYYY-MM-DD`
 * (`2026-13-45` has no month 13, `2026-02-30` no day 30).
 * @param value - the date as written
 */
export function dateProblem(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return `${JSON.stringify(value)} is not a date written YYYY-MM-DD, e.g. 2026-12-25`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) return `${value} is not a real date: there is no month ${month} (write YYYY-MM-DD, month 01 to 12)`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `${value} is not a real date: ${MONTHS[month - 1]} ${year} has ${days} days`;
  return undefined;
}

/** A calendar date in config (`YYYY-MM-DD`, UTC), checked with {@link dateProblem} so a bad one is an error on its line. */
export const calendarDate = described(
  z.string().check(
    // The pattern also goes into the JSON Schema (editor completion); the calendar is checked below.
    z.regex(/^\d{4}-\d{2}-\d{2}$/, { error: (issue) => dateProblem(String(issue.input)), abort: true }),
    z.superRefine((value, ctx) => {
      const problem = dateProblem(value);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }),
  ),
  'A date `YYYY-MM-DD` (UTC).',
);
