// A private repository `acme/notes` in the emulator, with a checkout holding this repository's issue forms,
// and the payloads GitHub sends when people open, edit, label and comment on its issues: for the required
// information and needs-design tests (main against the emulator and the bundled action).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Renderer, type Sim } from '@userloop/github-sim';
import { repoTemplate } from './forms.ts';

export const REPO = 'acme/notes';

/** The repository (maintainer and ana may write) and a checkout with the bug and feature forms and `config`. */
export function acmeRepo(sim: Sim, workspace: string, config = ''): void {
  sim.store.createRepo({ owner: 'acme', name: 'notes', private: true, collaborators: { maintainer: 'write', ana: 'write' } });
  mkdirSync(join(workspace, '.github', 'ISSUE_TEMPLATE'), { recursive: true });
  for (const name of ['bug', 'feature'] as const) {
    const t = repoTemplate(name);
    writeFileSync(join(workspace, t.path), t.text);
  }
  if (config) writeFileSync(join(workspace, '.github', 'userloop.yml'), config);
}

/** The payloads of people's acts on `acme/notes`, each made in the store first, as GitHub does. */
export function acts(sim: Sim) {
  const repo = () => sim.store.mustRepo(REPO);
  const render = () => new Renderer(sim.store, sim.url);
  const payload = (action: string, n: number, sender: string, more: Record<string, unknown> = {}): Record<string, unknown> => {
    const r = render();
    return { action, issue: r.issue(repo(), sim.store.mustIssue(REPO, n)), repository: r.repository(repo()), sender: r.user(sender), ...more };
  };
  return {
    /** `login` opens an issue with `body` and the form's labels: the `issues.opened` payload. */
    open(login: string, body: string, labels: string[] = ['bug']) {
      const issue = sim.store.createIssue(REPO, { title: 'Export drops the last row', body, user: login, labels });
      return { n: issue.number, payload: payload('opened', issue.number, login) };
    },
    /** `login` edits the body of issue `n`: `issues.edited`. */
    edit(login: string, n: number, body: string) {
      const before = sim.store.mustIssue(REPO, n).body;
      sim.store.updateIssue(REPO, n, { body }, login);
      return payload('edited', n, login, { changes: { body: { from: before ?? '' } } });
    },
    /** `login` adds `label` to issue `n`: `issues.labeled`. */
    label(login: string, n: number, label: string) {
      sim.store.addLabels(REPO, n, [label], login);
      return payload('labeled', n, login, { label: { name: label, color: 'ededed' } });
    },
    /** `login` comments on issue `n`: `issue_comment.created`. */
    comment(login: string, n: number, body: string) {
      const c = sim.store.createComment(REPO, n, { body, user: login });
      return payload('created', n, login, { comment: render().comment(repo(), c) });
    },
  };
}

/** The bot's comments on issue `n`. */
export function botComments(sim: Sim, n: number) {
  return sim.store.commentsOf(REPO, n).filter((c) => c.user === 'github-actions[bot]');
}

/** The labels of issue `n`, sorted. */
export function labelsOf(sim: Sim, n: number): string[] {
  return sim.store.issueLabels(REPO, sim.store.mustIssue(REPO, n)).map((l) => l.name).sort();
}
