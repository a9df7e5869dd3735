/**
 * A team's repository on the emulated platform, set up exactly as `userloop init` writes it: the workflows,
 * the config, the issue forms. People act through the platform only (forms, comments, 👍, assignments,
 * merges, releases, the scheduler), and GitHub decides which workflows run, with which token.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { initFiles, type InitFilesOptions } from '../../packages/cli/src/init.ts';
import { createPlatform, startSim, type Platform, type PlatformRun, type Sim } from '../../packages/github-sim/src/index.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO = 'acme/notes';
export const MAINTAINER = 'maria';

export interface Team {
  sim: Sim;
  platform: Platform;
  checkout: string;
  /** Writes a file into the repository's working tree (and so into every later checkout). */
  write(file: string, text: string): void;
  /** The body GitHub writes for an issue form submission: one `### label` section per field. */
  formBody(form: 'bug' | 'feature', answers: Record<string, string>): string;
  /** The labels of an issue form. */
  formLabels(form: 'bug' | 'feature'): string[];
  /** Runs that GitHub started, settled: every run created since `since` (a run id). */
  settle(since?: number): Promise<PlatformRun[]>;
  done(): Promise<void>;
}

interface FormElement {
  type: string;
  id?: string;
  attributes?: { label?: string };
}

/**
 * A private repository on the platform holding exactly what `userloop init` writes, plus `extra` files: every
 * read needs its scope. `init`: what `userloop init` is told (`--product`, `--areas`).
 */
export async function setupTeam(extra: Record<string, string> = {}, init: Pick<InitFilesOptions, 'product' | 'areas'> = {}): Promise<Team> {
  const sim = await startSim();
  const [owner, name] = REPO.split('/') as [string, string];
  sim.store.createRepo({ owner, name, private: true, collaborators: { [MAINTAINER]: 'admin', gus: 'write' } });
  const checkout = mkdtempSync(path.join(os.tmpdir(), 'lifecycle-'));
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
    writeFileSync(path.join(checkout, file), text);
  };
  for (const f of initFiles({ defaultBranch: 'main', ...init })) write(f.path, f.content);
  for (const [file, text] of Object.entries(extra)) write(file, text);
  const platform = createPlatform({ sim, repository: REPO, checkout, actionRepos: { 'userloop/userloop': ROOT } });
  const form = (kind: 'bug' | 'feature'): { labels?: string[]; body: FormElement[] } =>
    parseYaml(readFileSync(path.join(checkout, `.github/ISSUE_TEMPLATE/${kind}.yml`), 'utf8')) as { labels?: string[]; body: FormElement[] };
  return {
    sim,
    platform,
    checkout,
    write,
    formLabels: (kind) => form(kind).labels ?? [],
    formBody(kind, answers) {
      const fields = form(kind).body.filter((e) => e.type !== 'markdown' && e.id);
      const unknown = Object.keys(answers).filter((k) => !fields.some((f) => f.id === k));
      if (unknown.length > 0) throw new Error(`${kind} form has no field ${unknown.join(', ')}`);
      return fields.map((f) => `### ${f.attributes?.label ?? f.id}\n\n${answers[f.id as string] ?? '_No response_'}`).join('\n\n');
    },
    async settle(since = 0) {
      await platform.settle();
      return platform.runs.filter((r) => r.id > since);
    },
    async done() {
      await platform.settle();
      await sim.stop();
      rmSync(checkout, { recursive: true, force: true });
    },
  };
}

/** One line per run, for failure messages: workflow, event, conclusion, errors and failed steps' annotations. */
export function describeRuns(runs: readonly PlatformRun[]): string {
  return runs
    .map((r) => {
      const notes = r.jobs.flatMap((j) => j.annotations.filter((a) => a.level === 'error').map((a) => `    ${j.id}: ${a.message}`));
      return [`#${r.id} ${r.workflow} ${r.event}${r.action ? `.${r.action}` : ''}: ${r.conclusion} ${r.errors.join(' ')}`, ...notes].join('\n');
    })
    .join('\n');
}
