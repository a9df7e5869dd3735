import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo, type DemoStep } from '../src/demo/run.ts';

/** The runs of an act that did their work (not the ones a newer event of the same issue replaced while they waited). */
const ran = (step: DemoStep | undefined) => (step?.runs ?? []).filter((r) => r.cancelled === undefined);

describe('pnpm demo', () => {
  it('runs the whole loop offline through the workflows init writes, on the emulator clock, and writes the report and job summaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userloop-demo-'));
    const lines: string[] = [];
    try {
      const result = await runDemo({ reportFile: join(dir, 'report.md'), log: (l) => lines.push(l) });
      const byTitle = Object.fromEntries(result.steps.map((s) => [s.title, s]));
      const run = (title: string, action: string) => ran(byTitle[title]).find((r) => r.action === action);

      expect(result.steps.map((s) => [s.title, [...new Set(ran(s).map((r) => r.action))].sort().join(',')])).toEqual([
        ['A blocked user files a bug', 'prioritize'],
        ['A feature request', 'prioritize'],
        ['A second person asks for it', 'prioritize'],
        ['A request from Discord, recorded by a maintainer', 'prioritize'],
        ['A support ticket, forwarded by the support tool (repository_dispatch)', 'prioritize'],
        ['A proposed solution', 'prioritize'],
        ['The reporter answers', 'prioritize'],
        ['The missing details', 'prioritize'],
        ['A Fix it now issue that needs a design', 'prioritize'],
        ['A feature PR without docs', 'notify-requesters,require-docs'],
        ['The same PR with docs and a usage snippet', 'require-docs'],
        ['The PR is merged', 'draft-release-notes,prioritize'],
        ['The daily sweep', 'prioritize'],
        ['The release is published', 'notify-requesters'],
        ['The weekly KPI report', 'kpi-report'],
      ]);
      expect(run('A blocked user files a bug', 'prioritize')!.outputs.priority).toBe('fix-it-now');
      // One clock: the due date counts from the emulator's day (Friday 2026-11-20), not the machine's.
      expect(run('A blocked user files a bug', 'prioritize')!.outputs['due-date']).toBe('2026-11-23');
      expect(run('A feature request', 'prioritize')!.outputs.priority).toBe('low');
      expect(run('A second person asks for it', 'prioritize')!.outputs).toMatchObject({ priority: 'high', 'previous-priority': 'low', changed: 'true' });
      // The whole process shows: the details a bug needs asked for and completed, people outside GitHub
      // recorded, a proposal put to the reporter, the design checklist, reminders and slip notices.
      const said = lines.join('\n');
      expect(said).toContain('**To debug this we need a few more details**');
      expect(said).toMatch(/labels of #\d+ now: (?!.*needs info)/);
      expect(said).toContain('Dana ([Discord](https://discord.com/channels/4711/4712/4713), outside GitHub), Lee ([Support](https://support.lumen.example/tickets/4211), outside GitHub)');
      expect(said).toContain('**Does it solve your problem?**');
      expect(said).toContain('**This issue needs a design decision before it is built.**');
      expect(said).toContain('@tomas-ortiz A reminder: we told 1 person that we would get to this by Monday 2026-11-23');
      expect(said).toMatch(/\d+ older issues whose promised date passed were told so/);
      expect(said).toContain('- [ ] Dana on Discord');
      const failing = run('A feature PR without docs', 'require-docs')!;
      expect(failing).toMatchObject({ conclusion: 'failure', asExpected: true });
      expect(failing.outputs.missing).toBe('docs,how-to-use');
      expect(lines).toContain('   require-docs on pull_request.opened: failed, as expected: the PR has no docs and no "How to use" snippet yet');
      expect(run('The same PR with docs and a usage snippet', 'require-docs')!.outputs.passed).toBe('true');
      const drafted = run('The PR is merged', 'draft-release-notes')!;
      expect(drafted.outputs['tag-name']).toBe('v1.4.0');
      expect(drafted.outputs.body).toContain('lumen export --format pdf "My notebook"');
      const notified = ran(byTitle['The release is published']).map((r) => Number(r.outputs['notified-people'] ?? 0));
      expect(Math.max(...notified)).toBeGreaterThan(1);
      expect(ran(byTitle['The release is published']).some((r) => /^\d+$/.test(r.outputs['docs-review-issue'] ?? ''))).toBe(true);
      expect(result.reportIssue).toBeGreaterThan(0);
      expect(result.report).toContain('# KPI report');
      expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe(result.report);
      // Every run's job summary, under the act that started it.
      const summaries = readFileSync(result.summaryFile!, 'utf8');
      expect(summaries).toContain('# A feature PR without docs: require-docs on pull_request.opened (failure)');
      expect(summaries).toContain('# The weekly KPI report: kpi-report on schedule (success)');
      expect(result.violations).toBe(0);
      expect(result.ok).toBe(true);
      const runs = result.steps.flatMap((s) => s.runs).length;
      expect(lines.at(-1)).toMatch(new RegExp(`^\\nDone: ${runs} workflow runs, \\d+ API requests, \\d+ GraphQL points, \\d+ writes; 0 API contract violations\\.$`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
