import * as z from 'zod/mini';
import { described } from '../../zod.ts';
import { globProblem } from '../../glob.ts';

/** A path glob in the config, checked with {@link globProblem} so a bad one is an error on its line. */
export const globPattern = described(
  z.string().check(z.superRefine((value, ctx) => {
    const problem = globProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `invalid glob ${JSON.stringify(value)}: ${problem}` });
  })),
  'A path glob relative to the repository root (`*`, `**`, `{a,b}`, `[abc]`); a leading `!` excludes.',
);
