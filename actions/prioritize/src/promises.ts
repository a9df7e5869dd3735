// Keeping promises, pure: which open issue the scheduled sweep reminds before its promised date, which it
// tells that the date slipped, whom a reminder goes to and whom a slip notice tells. Plain data in, no clock
// (the sweep passes `now`), no client.
import { type Area, dueDeadline, isBot, nextBusinessDay, type Priority, readMarker } from '@userloop/core';
import { areaOwners } from './design.ts';

/** The marker kind of the reminder before a promised date (`{"due":…,"owners":[…]}`): one per issue and date. */
export const REMINDER_MARKER_KIND = 'prioritize-reminder';
/** The marker kind of the notice that a promised date passed (`{"due":…,"people":[…]}`): one per issue and date. */
export const SLIP_MARKER_KIND = 'prioritize-slip';

/** What the sweep knows of one open issue's promise: the reply's marker and our reminder and slip notices seen. */
export interface PromiseState {
  number: number;
  priority: Priority;
  /** The promised date (`YYYY-MM-DD`), or `null` (Low promises none). */
  due: string | null;
  /** Dates our reminders name, among the comments read. */
  reminded: readonly string[];
  /** Dates our slip notices name, among the comments read. */
  slipped: readonly string[];
}

/** What one issue's promise needs today: a reminder or a slip notice for `due`. */
export interface PromiseStep {
  kind: 'remind' | 'slip';
  number: number;
  due: string;
}

/** When to remind: business days before the date, and the days that are not business days. */
export interface ReminderRules {
  daysBefore: number;
  holidays: readonly string[];
}

/**
 * The step an open issue's promise needs at `now`: `slip` once its date has passed (the end of that day, UTC)
 * without a slip notice for that date; `remind` from `daysBefore` business days before the date until it
 * passes, without a reminder for that date; otherwise none. A date that passed unreminded gets its slip
 * notice only. A new date (the priority changed) is a new promise: it gets its own reminder and notice.
 */
export function promiseStep(state: PromiseState, now: Date, rules: ReminderRules): PromiseStep | null {
  const due = state.due;
  if (!due) return null;
  if (now.getTime() >= dueDeadline(due)) return state.slipped.includes(due) ? null : { kind: 'slip', number: state.number, due };
  if (state.reminded.includes(due)) return null;
  return due <= nextBusinessDay(now, rules.daysBefore, rules.holidays) ? { kind: 'remind', number: state.number, due } : null;
}

/**
 * Whom a reminder goes to: the assignees (as `@login`); without one, the owners (`areas[].owners`) of every area
 * whose labels the issue carries; else nobody.
 */
export function reminderOwners(assignees: readonly string[], labels: readonly string[], areas: readonly Pick<Area, 'labels' | 'owners'>[]): string[] {
  return assignees.length > 0 ? [...new Set(assignees.map((login) => `@${login}`))] : areaOwners(labels, areas);
}

/** The most people one slip notice mentions (GitHub notifies at most 50 mentions of a comment). */
const SLIP_MENTIONS_MAX = 50;

/**
 * Whom a slip notice tells: the people who were promised, as the reply's marker holds them (the reporter first,
 * then the others who asked), each once, without bots and without the people who asked never to be mentioned.
 * The first {@link SLIP_MENTIONS_MAX} are mentioned; `more` counts the rest.
 */
export function slipPeople(requesters: readonly string[], options: { bots: readonly string[]; optOut: readonly string[] }): { people: string[]; more: number } {
  const out = new Set(options.optOut.map((l) => l.toLowerCase()));
  const seen = new Map<string, string>();
  for (const login of requesters) {
    const key = login.toLowerCase();
    if (seen.has(key) || out.has(key) || isBot(login, options.bots)) continue;
    seen.set(key, login);
  }
  const all = [...seen.values()];
  return { people: all.slice(0, SLIP_MENTIONS_MAX), more: Math.max(0, all.length - SLIP_MENTIONS_MAX) };
}

/** The date a comment body of ours names in its reminder or slip notice marker (`kind`), or `undefined`. */
export function noticeDue(body: string | null | undefined, kind: typeof REMINDER_MARKER_KIND | typeof SLIP_MARKER_KIND): string | undefined {
  return readMarker(body, kind)?.due;
}
