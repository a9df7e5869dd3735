import * as z from 'zod';
import { OWNER_HANDLE_PATTERN } from '../../markers.ts';
import { globPattern } from './glob-pattern.ts';

/** A GitHub user (`@login`) or team (`@org/team`) handle. */
export const ownerHandle = z.string().regex(OWNER_HANDLE_PATTERN, 'expected a user "@login" or a team "@org/team"');

/** One product area of the shared ownership map. */
export const areaSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'an area needs a name').describe('Display name of the area, unique within `areas`.'),
    description: z.string().optional().describe('Free text shown in reports.'),
    labels: z
      .array(z.string().min(1))
      .default([])
      .describe('Issues and pull requests carrying any of these labels belong to the area.'),
    paths: z
      .array(globPattern)
      .default([])
      .describe('Pull requests touching a file matching any of these globs (`src/cli/**`) belong to the area.'),
    owners: z
      .array(ownerHandle)
      .default([])
      .describe('Engineers owning the area: users `@login` or teams `@org/team`.'),
  })
  .describe('A product area: what belongs to it and who owns it.');

/** An area after defaults are applied. */
export type Area = z.output<typeof areaSchema>;

/**
 * The `areas` section: the ownership map every action shares (which labels and paths make up a
 * product area, and who owns it). Area names must be unique (case-insensitively).
 */
export const areasSection = z
  .array(areaSchema)
  .superRefine((areas, ctx) => {
    const seen = new Set<string>();
    areas.forEach((area, index) => {
      const key = area.name.toLowerCase();
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate area name '${area.name}'` });
      }
      seen.add(key);
    });
  })
  .default([])
  .describe('The ownership map shared by every action: product areas, their labels and paths, and their owners.');
