// Each figure beside its budget (the team's budgets, listed in bench/README.md), and whether it holds.
import type { ColdStart } from './cold-start.ts';
import type { ScenarioResult } from './scenarios.ts';

export interface BudgetCheck {
  action: string;
  size: number | null;
  budget: string;
  measured: string;
  holds: boolean;
}

const COMMENT_POST = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';

/** `3 (ReleaseRange 1, ReleasePullRequests 1, Viewer 1)`: GraphQL requests in all, by operation. */
function queries(f: ScenarioResult['first']): string {
  const ops = Object.entries(f.graphqlByOperation);
  return ops.length ? `${f.graphqlQueries} (${ops.map(([op, n]) => `${op} ${n}`).join(', ')})` : `${f.graphqlQueries}`;
}

/** The facts of the generated repository the budgets depend on. */
export interface RepoFacts {
  issues: number;
  pulls: number;
  unreleasedPulls: number;
  unreleasedClosedIssues: number;
  notifyIssueCount: number;
}

export function checkScenario(r: ScenarioResult, g: RepoFacts): BudgetCheck[] {
  const out: BudgetCheck[] = [];
  const add = (budget: string, measured: string, holds: boolean) => out.push({ action: r.action, size: r.size, budget, measured, holds });
  const f = r.first;
  const second = r.second.sample;
  switch (r.action) {
    case 'prioritize': {
      const requests = f.rest + f.graphqlQueries;
      add('<= 4 requests per common event (issues.opened)', `${requests} (${f.graphqlQueries} GraphQL + ${f.rest} REST)`, requests <= 4);
      break;
    }
    case 'require-docs':
      add('one write (the sticky comment), no budget on reads stated', `${f.writes} write(s), ${f.rest} REST + ${f.graphqlQueries} GraphQL`, f.writes <= 1);
      break;
    case 'draft-release-notes': {
      const commits = g.unreleasedPulls;
      const prs = g.unreleasedPulls;
      const issues = g.unreleasedClosedIssues;
      // The pages to read: commits 100 a page, pull requests and the issues they close (with their comments) 50.
      const pages = Math.ceil(commits / 100) + Math.ceil(prs / 50) + Math.ceil(issues / 50);
      const budget = Math.ceil(pages * 1.2);
      add(`at most 1.2 x the pages, ceil(commits/100)+ceil(PRs/50)+ceil(issues/50) = ${pages} (${commits} commits, ${prs} PRs, ${issues} issues): ${budget} GraphQL queries`, queries(f), f.graphqlQueries <= budget);
      add(`GraphQL points at most 2 x the pages (${pages * 2})`, `${f.graphqlPoints} points`, f.graphqlPoints <= pages * 2);
      add('one write', `${f.writes}`, f.writes === 1);
      add('no per-PR REST calls (REST stays constant)', `${f.rest} REST`, f.rest <= 5);
      break;
    }
    case 'notify-requesters': {
      const issues = g.notifyIssueCount;
      const reads = Math.ceil(issues / 25);
      const comments = f.restByRoute[COMMENT_POST] ?? 0;
      add(`reads about ceil(issues/25) = ${reads} GraphQL queries (+ up to 4 for tag, range, PRs)`, queries(f), f.graphqlQueries <= reads + 4);
      add(`exactly one notice per notified issue (${issues} issues)`, `${comments} comments; ${f.writes} writes in all`, comments === issues);
      break;
    }
    case 'kpi-report': {
      // The budget is stated for 10,000 issues and 50,000 comments (no pull requests); the generated repository
      // also holds pull requests, read by the same pages, so it is judged per 100 items read (issues + PRs).
      const items = g.issues + g.pulls;
      const perItems = f.graphqlPoints / (items / 100);
      const perIssues = f.graphqlPoints / (g.issues / 100);
      add(
        '<= 2 GraphQL points per 100 issues (judged per 100 items read: issues + PRs)',
        `${f.graphqlPoints} points = ${perItems.toFixed(2)} per 100 items (${perIssues.toFixed(2)} per 100 issues; ${g.pulls} PRs)`,
        perItems <= 2,
      );
      const pages = Math.ceil((g.issues + g.pulls) / 100);
      add(`about ceil(items/100) = ${pages} GraphQL pages`, `${queries(f)} queries`, f.graphqlQueries <= pages + 3);
      const ratio = f.graphqlPoints ? second.graphqlPoints / f.graphqlPoints : 0;
      add('incremental run after 1% changed <= 5% of the first run\'s points', `${second.graphqlPoints} points = ${(ratio * 100).toFixed(1)}%`, ratio <= 0.05);
      break;
    }
  }
  if (r.action !== 'kpi-report') add('a second run with nothing new writes nothing', `${second.writes} writes`, second.writes === 0);
  return out;
}

export function checkColdStart(c: ColdStart): BudgetCheck[] {
  return [
    { action: c.action, size: null, budget: 'bundle under 1 MB', measured: `${(c.bundleBytes / 1024).toFixed(0)} KiB`, holds: c.bundleBytes < 1024 * 1024 },
    {
      action: c.action,
      size: null,
      budget: 'start to first request under 200 ms',
      measured: c.firstRequestMs === null ? 'no request' : `${c.firstRequestMs.toFixed(0)} ms`,
      holds: c.firstRequestMs !== null && c.firstRequestMs < 200,
    },
  ];
}
