/**
 * Who wrote something: a person, a bot, or the token's own account. The one place that decides
 * "is this a bot?" and "is this mine?" for every action, from REST (`user: { login, type }`), GraphQL
 * (`author { __typename login id }`) and ledger authors alike.
 *
 * GitHub spells a bot two ways: REST and GraphQL's `viewer` say `my-app[bot]`, while GraphQL's actor
 * fields say `my-app`, and a field the schema types `User` (`Reaction.user`) answers an App as a `User`
 * whose node id still says Bot.
 */

/** An author as REST (`user: { login, type }`), GraphQL (`author { __typename login id }`) or a ledger gives it. */
export interface AuthorRef {
  login: string;
  /** REST's `type` (`User`, `Bot`, `Organization`). */
  type?: string | null;
  /** GraphQL's `__typename` (`User`, `Bot`, ...). */
  __typename?: string | null;
  /** GraphQL's global node id, which says Bot even where the type says `User` (REST's numeric `id` says nothing). */
  id?: string | number | null;
}

const BOT_SUFFIX = /\[bot\]$/i;

/** A login compared without case and without the `[bot]` suffix (`My-App[bot]` -> `my-app`). */
export const bareLogin = (login: string): string => login.trim().toLowerCase().replace(BOT_SUFFIX, '');

/**
 * Whether a GraphQL global node id is a bot's: `BOT_…` (current format) or the legacy base64 of
 * `<n>:Bot<id>` (`MDM6Qm90…`).
 *
 * @param id - a node id as GraphQL returns it (`id` of an actor), or nothing
 */
export function isBotNodeId(id: string | null | undefined): boolean {
  if (!id) return false;
  if (id.startsWith('BOT_')) return true;
  if (!/^[A-Za-z0-9+/]+=*$/.test(id)) return false;
  return /^\d+:Bot\d+$/.test(Buffer.from(id, 'base64').toString('latin1'));
}

/** Whether GitHub itself says the author is a bot: typed `Bot`, a `Bot` node id, or a login ending in `[bot]`. */
function typedBot(ref: AuthorRef): boolean {
  return ref.type === 'Bot' || ref.__typename === 'Bot' || (typeof ref.id === 'string' && isBotNodeId(ref.id)) || BOT_SUFFIX.test(ref.login);
}

/**
 * Whether an author is a bot: GitHub says so ({@link AuthorRef}'s type, node id or `[bot]` login), or the
 * login is in `listed` (the config's `bots`: machine users and Apps GitHub names without `[bot]`), compared
 * without case and with or without `[bot]`. No author is not a bot.
 *
 * @example isBot({ login: 'renovate', type: 'Bot' }) // true
 * @example isBot('Helper-Bot', ['helper-bot[bot]']) // true
 */
export function isBot(author: AuthorRef | string | null | undefined, listed: readonly string[] = []): boolean {
  if (!author) return false;
  if (typeof author === 'string' ? BOT_SUFFIX.test(author) : typedBot(author)) return true;
  const login = bareLogin(typeof author === 'string' ? author : author.login);
  return login !== '' && listed.some((l) => bareLogin(l) === login);
}

/**
 * `true` when `author` is the account `identity` (a login as `resolveIdentity` or the `bot-login` input
 * gives it: `my-app[bot]` for a bot). Case-insensitive; a bot matches with or without `[bot]` (GraphQL
 * drops it), but only when the author is a bot (typed `Bot` or spelled with `[bot]`): the user `my-app`
 * never passes for `my-app[bot]`, nor a bot for a user. A plain string is an author without type, so a
 * bot identity needs its `[bot]` spelling there.
 */
export function isAuthoredBy(author: AuthorRef | string | null | undefined, identity: string): boolean {
  if (!author || identity.trim() === '') return false;
  const ref: AuthorRef = typeof author === 'string' ? { login: author } : author;
  if (bareLogin(ref.login) !== bareLogin(identity)) return false;
  return typedBot(ref) === BOT_SUFFIX.test(identity.trim());
}
