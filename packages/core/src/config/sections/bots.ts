import * as z from 'zod/mini';
import { described } from '../../zod.ts';

/**
 * The `bots` section: extra logins treated as bots everywhere (never counted as requesters,
 * never notified). Accounts whose login ends in `[bot]` are always bots.
 */
export const botsSection = described(
  z._default(z.array(z.string().check(z.trim(), z.minLength(1))), []),
  'Extra logins treated as bots (never counted as requesters, never notified); `name[bot]` accounts and GitHub Apps always are, even where GitHub names an App without `[bot]` (a 👍 reaction reads as user `renovate`). List machine users (ordinary accounts run by scripts) here.',
);
