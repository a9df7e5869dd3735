import * as z from 'zod';

/**
 * The `bots` section: extra logins treated as bots everywhere (never counted as requesters,
 * never notified). Accounts whose login ends in `[bot]` are always bots.
 */
export const botsSection = z
  .array(z.string().trim().min(1))
  .default([])
  .describe(
    'Extra logins treated as bots (never counted as requesters, never notified); `name[bot]` accounts and GitHub Apps always are, even where GitHub names an App without `[bot]` (a 👍 reaction reads as user `renovate`). List machine users (ordinary accounts run by scripts) here.',
  );
