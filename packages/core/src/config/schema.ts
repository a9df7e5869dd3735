import * as z from 'zod/mini';
import { areasSection } from './sections/areas.ts';
import { botsSection } from './sections/bots.ts';
import { draftReleaseNotesSection } from './sections/draft-release-notes.ts';
import { kpiReportSection } from './sections/kpi-report.ts';
import { notifyRequestersSection } from './sections/notify-requesters.ts';
import { prioritizeSection } from './sections/prioritize.ts';
import { requireDocsSection } from './sections/require-docs.ts';

/**
 * Every section of `.github/userloop.yml`, keyed by its YAML key (kebab-case).
 *
 * A section is a zod schema that accepts `undefined` (give it a default: `.default([])` for a list,
 * `.prefault({})` for an object) and uses strict objects, so unknown keys are reported.
 *
 * Registering an action's section: import its schema above and add ONE line below, e.g.
 * `'require-docs': requireDocsSection,`. A test checks that an empty file still parses.
 */
export const sections = {
  areas: areasSection,
  bots: botsSection,
  // action sections (one line each):
  'draft-release-notes': draftReleaseNotesSection,
  'kpi-report': kpiReportSection,
  'notify-requesters': notifyRequestersSection,
  prioritize: prioritizeSection,
  'require-docs': requireDocsSection,
} satisfies Record<string, z.ZodMiniType>;

/** The whole configuration file: a strict mapping of the registered sections. */
export const configSchema = z.strictObject(sections);

/** A parsed configuration with every default applied. */
export type UserloopConfig = z.output<typeof configSchema>;

/** The configuration as written by a user (before defaults). */
export type UserloopConfigInput = z.input<typeof configSchema>;

/** The section keys of the configuration file. */
export type SectionKey = keyof typeof sections;
