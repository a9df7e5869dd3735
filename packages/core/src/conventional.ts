// Conventional-commit titles and footers (https://www.conventionalcommits.org): the one reading every action
// shares, so require-docs, draft-release-notes and kpi-report agree on what a `feat:` is.
import { withoutCode } from './markdown.ts';

/** A conventional-commit title (`feat(cli)!: add export`). */
export interface ConventionalTitle {
  /** The type, lower-cased (`feat`). */
  type: string;
  /** The scope (`cli`), or `null` when there is none or it is empty. */
  scope: string | null;
  /** Whether a `!` marks a breaking change. */
  breaking: boolean;
  /** What follows `: `, trimmed. */
  subject: string;
}

// type, optional (scope) without nested parentheses, optional `!`, `:`, a space, a subject.
const CONVENTIONAL = /^\s*(([A-Za-z][A-Za-z0-9-]*)(?:\(([^()\r\n]*)\))?(!)?:)\s+(\S.*?)\s*$/;

/** Parses a conventional-commit title; `null` when the title is not one (`feat:no space`, `feat add`). */
export function parseConventionalTitle(title: string): ConventionalTitle | null {
  const m = CONVENTIONAL.exec(title);
  if (!m) return null;
  return { type: m[2]!.toLowerCase(), scope: m[3]?.trim() || null, breaking: m[4] === '!', subject: m[5]! };
}

/** The prefix of a conventional-commit title as written (`Feat(api)!:` of "Feat(api)!: add search"), or `null`. */
export function conventionalPrefix(title: string): string | null {
  return CONVENTIONAL.exec(title)?.[1] ?? null;
}

/** A `BREAKING CHANGE:` / `BREAKING-CHANGE:` footer line (outside code and HTML comments) in a body. */
export function hasBreakingFooter(body: string): boolean {
  return /^BREAKING[ -]CHANGE:\s*\S/m.test(withoutCode(body));
}
