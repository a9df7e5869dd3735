// The config -> LedgerOptions helper every ledger builder uses, and which requests the transport sends once.
import { describe, expect, it } from 'vitest';
import { buildLedger, isNonIdempotentRequest, ledgerOptionsFromConfig, parseConfig } from '../src/index.ts';

describe('ledgerOptionsFromConfig', () => {
  it('carries the want phrases, community hosts and bots of the loaded config (plus extra logins)', () => {
    const { config, errors } = parseConfig(
      'bots: [ci-helper]\nprioritize:\n  phrases:\n    want: [ditto]\n  community-hosts: [forum.example.com]\n',
      '.github/userloop.yml',
    );
    expect(errors).toEqual([]);
    const options = ledgerOptionsFromConfig(config!, ['me[bot]']);
    expect(options).toEqual({ wantPhrases: ['ditto'], communityHosts: ['forum.example.com'], excludeLogins: ['me[bot]', 'ci-helper'] });
    const ledger = buildLedger(
      {
        issue: { number: 1, url: 'https://github.com/o/r/issues/1', author: { login: 'alice' }, body: 'See https://forum.example.com/t/42' },
        comments: [
          { url: 'u1', author: { login: 'bob' }, body: 'ditto', createdAt: '2024-01-01T00:00:00Z' },
          { url: 'u2', author: { login: 'ci-helper' }, body: 'ditto', createdAt: '2024-01-01T00:00:00Z' },
        ],
      },
      options,
    );
    expect(ledger.requesters.map((r) => r.login)).toEqual(['alice', 'bob']);
    expect(ledger.places.map((p) => p.kind)).toContain('community');
  });
});

describe('isNonIdempotentRequest', () => {
  it('is every POST but a GraphQL query; GET, PATCH, PUT and DELETE are safe to repeat', () => {
    expect(isNonIdempotentRequest({ method: 'POST', url: '/repos/{owner}/{repo}/issues/{issue_number}/comments' })).toBe(true);
    expect(isNonIdempotentRequest({ method: 'POST', url: '/repos/{owner}/{repo}/releases' })).toBe(true);
    expect(isNonIdempotentRequest({ method: 'POST', url: 'https://api.github.com/graphql', query: 'query { viewer { login } }' })).toBe(false);
    expect(isNonIdempotentRequest({ method: 'POST', url: 'https://api.github.com/graphql', query: '# add\n  mutation M { addComment }' })).toBe(true);
    for (const method of ['GET', 'PATCH', 'PUT', 'DELETE']) expect(isNonIdempotentRequest({ method, url: '/repos/{owner}/{repo}/issues/{issue_number}' })).toBe(false);
  });
});
