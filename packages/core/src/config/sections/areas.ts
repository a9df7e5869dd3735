import * as z from 'zod/mini';
import { described } from '../../zod.ts';
import { OWNER_HANDLE_PATTERN } from '../../markers.ts';
import { globPattern } from './glob-pattern.ts';

/** A GitHub user (`@login`) or team (`@org/team`) handle. */
export const ownerHandle = z.string().check(z.regex(OWNER_HANDLE_PATTERN, 'expected a user "@login" or a team "@org/team"'));

/** One product area of the shared ownership map. */
export const areaSchema = described(
  z.strictObject({
    name: described(z.string().check(z.trim(), z.minLength(1, 'an area needs a name')), 'Display name of the area, unique within `areas`.'),
    description: described(z.optional(z.string()), 'Free text shown in reports.'),
    labels: described(
      z._default(z.array(z.string().check(z.minLength(1))), []),
      'Issues and pull requests carrying any of these labels belong to the area.',
    ),
    paths: described(
      z._default(z.array(globPattern), []),
      'Pull requests touching a file matching any of these globs (`src/cli/**`) belong to the area.',
    ),
    owners: described(z._default(z.array(ownerHandle), []), 'Engineers owning the area: users `@login` or teams `@org/team`.'),
  }),
  'A product area: what belongs to it and who owns it.',
);

/** An area after defaults are applied. */
export type Area = z.output<typeof areaSchema>;

/**
 * The `areas` section: the ownership map every action shares (which labels and paths make up a
 * product area, and who owns it). Area names must be unique (case-insensitively).
 */
export const areasSection = described(
  z._default(
    z.array(areaSchema).check(z.superRefine((areas, ctx) => {
      const seen = new Set<string>();
      areas.forEach((area, index) => {
        const key = area.name.toLowerCase();
        if (seen.has(key)) {
          ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate area name '${area.name}'` });
        }
        seen.add(key);
      });
    })),
    [],
  ),
  'The ownership map shared by every action: product areas, their labels and paths, and their owners.',
);
