import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPrioritizeMarker } from '@userloop/core';
import type { Snapshot } from '@userloop/github-sim';
import { DEMO_SNAPSHOT_PATH, demoSnapshotText } from '../src/demo/generate.ts';

describe('demo snapshot', () => {
  const committed = readFileSync(DEMO_SNAPSHOT_PATH, 'utf8');

  it('is committed exactly as the generator writes it (deterministic; run `pnpm --filter userloop gen:demo`)', () => {
    expect(committed === demoSnapshotText()).toBe(true);
  });

  it('is a realistic product repository: ~400 issues over six months, ~150 PRs, releases, duplicates, +1s', () => {
    const snap = JSON.parse(committed) as Snapshot;
    const repo = snap.repositories![0]!;
    const issues = repo.issues!.filter((i) => !i.pull_request);
    const prs = repo.issues!.filter((i) => i.pull_request);
    expect(issues.length).toBeGreaterThanOrEqual(400);
    expect(prs.length).toBe(150);
    expect(repo.releases!.map((r) => r.tag_name)).toEqual(['v1.0.0', 'v1.1.0', 'v1.1.1', 'v1.2.0', 'v1.3.0']);
    const created = issues.map((i) => Date.parse(i.created_at!));
    expect((Math.max(...created) - Math.min(...created)) / 86_400_000).toBeGreaterThan(170);
    expect(issues.filter((i) => i.state_reason === 'duplicate').length).toBeGreaterThan(10);
    expect(issues.some((i) => i.comments?.some((c) => c.body === '+1'))).toBe(true);
    // every original issue carries the bot's prioritize marker, readable by kpi-report
    const markers = issues.filter((i) => i.state_reason !== 'duplicate').map((i) => readPrioritizeMarker(i.comments?.[0]?.body));
    expect(markers.every((m) => m !== null)).toBe(true);
  });
});
