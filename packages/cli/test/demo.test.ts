import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/run.ts';

describe('pnpm demo', () => {
  it('runs the whole loop offline through the bundled actions and writes the KPI report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userloop-demo-'));
    const lines: string[] = [];
    try {
      const result = await runDemo({ reportFile: join(dir, 'report.md'), log: (l) => lines.push(l) });
      const byTitle = Object.fromEntries(result.steps.map((s) => [s.title, s]));

      expect(result.steps.map((s) => s.action)).toEqual([
        'prioritize', 'prioritize', 'prioritize', 'require-docs', 'require-docs', 'draft-release-notes', 'notify-requesters', 'kpi-report',
      ]);
      expect(byTitle['A blocked user files a bug']!.outputs.priority).toBe('fix-it-now');
      expect(byTitle['A feature request']!.outputs.priority).toBe('low');
      expect(byTitle['A second person asks for it']!.outputs).toMatchObject({ priority: 'high', 'previous-priority': 'low', changed: 'true' });
      expect(byTitle['A feature PR without docs']!.exitCode).toBe(1);
      expect(byTitle['A feature PR without docs']!.outputs.missing).toBe('docs,how-to-use');
      expect(byTitle['The same PR with docs and a usage snippet']!.outputs.passed).toBe('true');
      expect(byTitle['The draft release notes']!.outputs['tag-name']).toBe('v1.4.0');
      expect(byTitle['The draft release notes']!.outputs.body).toContain('lumen export --format pdf "My notebook"');
      const notified = byTitle['Requesters notified']!;
      expect(notified.exitCode).toBe(0);
      expect(Number(notified.outputs['notified-people'])).toBeGreaterThan(1);
      expect(notified.outputs['docs-review-issue']).toMatch(/^\d+$/);
      expect(result.reportIssue).toBeGreaterThan(0);
      expect(result.report).toContain('# KPI report');
      expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe(result.report);
      expect(result.violations).toBe(0);
      expect(lines.at(-1)).toMatch(/^\nDone: 8 action runs, \d+ API requests, \d+ GraphQL points, \d+ writes; 0 API contract violations\.$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
