// Config section `kpi-report` of .github/userloop.yml: how the weekly and monthly KPI report counts,
// which goals it measures against, and how the report issue is titled. The ownership map is the shared
// `areas` section; bots are the shared `bots` section; what makes a pull request a feature and what
// counts as docs come from the `require-docs` section, so every action agrees.
import * as z from 'zod/mini';
import { described } from '../../zod.ts';
import { placeholderList, templateString } from '../../template.ts';
import { calendarDate } from './date.ts';

const share = (what: string) => described(z.optional(z.number().check(z.gte(0), z.lte(1))), what);
const hours = (what: string) => described(z.optional(z.number().check(z.gte(0))), what);
const count = (what: string) => described(z.optional(z.number().check(z.int(), z.gte(0))), what);

/** The goals, one optional target per KPI; a KPI without a target is shown without met/missed. */
const kpiGoalsSchema = described(
  z.prefault(
    z.strictObject({
      'first-response-median-hours': hours('Median time to first response, in hours: met when at or under.'),
      'first-response-p90-hours': hours('90th percentile of time to first response, in hours: met when at or under.'),
      'answered-within-goal': share('Share (0-1) of issues answered within `first-response-hours`: met when at or over.'),
      unanswered: count('Open issues still waiting for a first response: met when at or under.'),
      'close-median-days': hours('Median time to close (all priorities), in days: met when at or under.'),
      'close-p90-days': hours('90th percentile of time to close (all priorities), in days: met when at or under.'),
      overdue: count('Open issues past their promised due date: met when at or under.'),
      'commitments-kept': share('Share (0-1) of due dates in the period that were kept: met when at or over.'),
      'docs-share': share('Share (0-1) of merged feature pull requests that shipped docs: met when at or over.'),
    }),
    {},
  ),
  'Targets per KPI. Each is shown as met or missed, next to the change against the previous period.',
);

/** The placeholders of `title`. */
const KPI_TITLE_PLACEHOLDERS = ['period'] as const;

/** The `kpi-report` section. */
export const kpiReportSection = described(
  z.prefault(
    z.strictObject({
      title: described(
        z._default(
          templateString(KPI_TITLE_PLACEHOLDERS, z.string().check(z.trim(), z.minLength(1))).check(
            z.refine((t) => t.includes('{period}'), 'the title must contain `{period}` so each period gets its own issue'),
          ),
          'KPI report {period}',
        ),
        `Title of the report issue. Placeholders: ${placeholderList(KPI_TITLE_PLACEHOLDERS)} (\`2026-W47\` or \`2026-11\`); it must appear, one issue per period, updated in place.`,
      ),
      labels: described(
        z._default(z.array(z.string().check(z.trim(), z.minLength(1))), ['kpi-report']),
        'Labels put on the report issue. Issues carrying the first one are left out of the metrics.',
      ),
      'responder-scope': described(
        z._default(z.enum(['anyone', 'members', 'owners']), 'anyone'),
        'Who counts as a first response: `anyone` (a human other than the author), `members` (OWNER, MEMBER or COLLABORATOR association) or `owners` (an owner of the issue\'s area).',
      ),
      'first-response-hours': described(
        z._default(z.number().check(z.positive()), 48),
        'The first-response goal in hours, for the share of issues answered within it.',
      ),
      'business-days': described(z._default(z.boolean(), true), 'Measure durations in business time: weekends (UTC) and `holidays` do not count.'),
      holidays: described(z._default(z.array(calendarDate), []), 'Dates (YYYY-MM-DD, UTC) that are not business days.'),
      'top-requested': described(z._default(z.number().check(z.int(), z.gte(0), z.lte(100)), 10), 'How many open issues with the most requesters to list.'),
      'trend-periods': described(
        z._default(z.number().check(z.int(), z.gte(2), z.lte(52)), 12),
        'How many periods the trend chart of open issues by priority covers.',
      ),
      'import-codeowners': described(
        z._default(z.boolean(), false),
        'Add an area per CODEOWNERS rule (name = the pattern, owners = its owners) to the `areas` map.',
      ),
      goals: kpiGoalsSchema,
    }),
    {},
  ),
  'The weekly and monthly KPI and ownership report.',
);

/** The `kpi-report` section after defaults. */
export type KpiReportConfig = z.output<typeof kpiReportSection>;
/** The goals after defaults. */
export type KpiGoals = z.output<typeof kpiGoalsSchema>;
