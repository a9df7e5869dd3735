// Needs design: an issue with a `signal-labels.needs-design` label gets one comment of its own with the
// design checklist; when it is Fix it now, the owners of its areas are called in so the decision does not hold
// it up. Pure: which owners, and what to write.
import type { Area, Priority } from '@userloop/core';

/** The marker kind of the design checklist comment: `<!-- userloop:prioritize-design {"owners":[…]} -->`. */
export const DESIGN_MARKER_KIND = 'prioritize-design';

/** The owners (`@login`, `@org/team`) of the areas whose labels the issue carries, each once, in config order. */
export function areaOwners(labels: readonly string[], areas: readonly Pick<Area, 'labels' | 'owners'>[]): string[] {
  const on = new Set(labels.map((l) => l.toLowerCase()));
  const owners: string[] = [];
  for (const area of areas) {
    if (!area.labels.some((l) => on.has(l.toLowerCase()))) continue;
    for (const owner of area.owners) if (!owners.some((o) => o.toLowerCase() === owner.toLowerCase())) owners.push(owner);
  }
  return owners;
}

/** What to write for the design checklist. */
export interface DesignPlan {
  /** `create`: post the checklist; `call-owners`: add the owners to the checklist already there; `none`. */
  write: 'none' | 'create' | 'call-owners';
  /** Whether the issue is Fix it now (the checklist then says who decides). */
  urgent: boolean;
  /** The owners named in the checklist (all of them, with those named before). */
  owners: string[];
  /** The owners named by this write (all of `owners` on `create`). */
  added: string[];
  /**
   * Users among the owners named for the first time on a checklist already posted: GitHub notifies nobody
   * of a mention added by an edit, so they are assigned (an assignee is notified). Logins without `@`.
   */
  assign: string[];
}

/**
 * The design checklist's write: posted once the issue carries a needs-design label (naming the owners when it
 * is Fix it now); when it becomes Fix it now after the checklist was posted, the owners not named yet are
 * added to it and the users among them assigned. Nothing else changes a checklist once posted.
 */
export function planDesign(input: {
  needsDesign: string | null;
  enabled: boolean;
  priority: Priority;
  /** The owners of the areas ({@link areaOwners}). */
  owners: readonly string[];
  /** Our checklist on the issue, with the owners its marker names, or `null`. */
  existing: { owners: readonly string[] } | null;
}): DesignPlan {
  const urgent = input.priority === 'fix-it-now';
  const none: DesignPlan = { write: 'none', urgent, owners: [...(input.existing?.owners ?? [])], added: [], assign: [] };
  if (!input.enabled || input.needsDesign === null) return none;
  const wanted = urgent ? [...input.owners] : [];
  if (!input.existing) return { write: 'create', urgent, owners: wanted, added: wanted, assign: [] };
  const named = new Set(input.existing.owners.map((o) => o.toLowerCase()));
  const added = wanted.filter((o) => !named.has(o.toLowerCase()));
  if (added.length === 0) return none;
  return {
    write: 'call-owners',
    urgent,
    owners: [...input.existing.owners, ...added],
    added,
    assign: added.filter((o) => !o.includes('/')).map((o) => o.replace(/^@/, '')),
  };
}
