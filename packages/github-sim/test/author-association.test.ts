// author_association is computed when an issue or comment is read, as GitHub does: a person made a
// collaborator after commenting shows as COLLABORATOR on the old comment, in REST and in GraphQL. A value
// given explicitly (a snapshot, a recorded payload) is kept as it was given.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../src/index.ts';
import { api } from './helpers.ts';

const R = '/repos/octo-org/octo-repo';
let sim: Sim;

beforeEach(async () => {
  sim = await startSim({
    snapshot: {
      repositories: [
        {
          owner: { login: 'octo-org', type: 'Organization' },
          name: 'octo-repo',
          issues: [
            {
              number: 1,
              title: 'Export drops a row',
              user: 'carol',
              comments: [
                { id: 11, body: 'Same here.', user: 'carol' },
                { id: 12, body: 'Recorded as a member.', user: 'dave', author_association: 'MEMBER' },
              ],
            },
          ],
        },
      ],
    },
  });
});
afterEach(async () => {
  await sim.stop();
});

const makeCollaborator = (login: string) => {
  sim.store.mustRepo('octo-org/octo-repo').collaborators[login] = 'write';
};

async function graphqlAssociations(): Promise<{ issue: string; comments: string[] }> {
  const res = await fetch(sim.graphqlUrl, {
    method: 'POST',
    headers: { authorization: 'bearer test-token', 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `query { repository(owner: "octo-org", name: "octo-repo") { issue(number: 1) { authorAssociation comments(first: 10) { nodes { authorAssociation } } } } }`,
    }),
  });
  const body = (await res.json()) as { data: { repository: { issue: { authorAssociation: string; comments: { nodes: { authorAssociation: string }[] } } } } };
  const issue = body.data.repository.issue;
  return { issue: issue.authorAssociation, comments: issue.comments.nodes.map((n) => n.authorAssociation) };
}

describe('author_association', () => {
  it('REST: old issues and comments show the author as a collaborator once they are one', async () => {
    expect((await api(sim, 'GET', `${R}/issues/1`)).json.author_association).toBe('NONE');
    expect((await api(sim, 'GET', `${R}/issues/comments/11`)).json.author_association).toBe('NONE');
    makeCollaborator('carol');
    expect((await api(sim, 'GET', `${R}/issues/1`)).json.author_association).toBe('COLLABORATOR');
    expect((await api(sim, 'GET', `${R}/issues/comments/11`)).json.author_association).toBe('COLLABORATOR');
    const list = (await api(sim, 'GET', `${R}/issues/1/comments`)).json as { id: number; author_association: string }[];
    expect(list.map((c) => [c.id, c.author_association])).toEqual([
      [11, 'COLLABORATOR'],
      [12, 'MEMBER'],
    ]);
  });

  it('GraphQL: the same, computed when read', async () => {
    expect(await graphqlAssociations()).toEqual({ issue: 'NONE', comments: ['NONE', 'MEMBER'] });
    makeCollaborator('carol');
    expect(await graphqlAssociations()).toEqual({ issue: 'COLLABORATOR', comments: ['COLLABORATOR', 'MEMBER'] });
  });

  it('a comment written through the API before the author became a collaborator', async () => {
    sim.store.addToken('erin-token', 'erin', { issues: 'write' });
    const made = await api(sim, 'POST', `${R}/issues/1/comments`, { body: 'I can help.' }, 'erin-token');
    expect(made.json.author_association).toBe('NONE');
    makeCollaborator('erin');
    expect((await api(sim, 'GET', `${R}/issues/comments/${made.json.id}`)).json.author_association).toBe('COLLABORATOR');
    expect((await graphqlAssociations()).comments[2]).toBe('COLLABORATOR');
  });

  it('an author whose pull request was merged is a CONTRIBUTOR on their old comments, from the merge on', async () => {
    expect((await api(sim, 'GET', `${R}/issues/comments/11`)).json.author_association).toBe('NONE');
    const pull = sim.store.createPull('octo-org/octo-repo', { title: 'Keep the last row', user: 'carol' });
    expect((await api(sim, 'GET', `${R}/issues/comments/11`)).json.author_association).toBe('NONE');
    sim.store.mergePull('octo-org/octo-repo', pull.number);
    expect((await api(sim, 'GET', `${R}/issues/comments/11`)).json.author_association).toBe('CONTRIBUTOR');
    expect((await graphqlAssociations()).comments[0]).toBe('CONTRIBUTOR');
    sim.store.deleteIssue('octo-org/octo-repo', pull.number);
    expect((await api(sim, 'GET', `${R}/issues/comments/11`)).json.author_association).toBe('NONE');
  });

  it('an explicit value from a snapshot is kept', async () => {
    makeCollaborator('dave');
    expect((await api(sim, 'GET', `${R}/issues/comments/12`)).json.author_association).toBe('MEMBER');
    expect(sim.store.authorAssociation('octo-org/octo-repo', { user: 'dave' })).toBe('COLLABORATOR');
  });
});
