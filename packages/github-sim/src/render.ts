/**
 * Store records -> GitHub's REST JSON shapes. `api` is the emulator's base URL (API urls);
 * `html_url`s point at https://github.com like GitHub's do.
 */
import {
  REACTION_CONTENTS,
  type SimComment,
  type SimCommit,
  type SimEvent,
  type SimIssue,
  type SimLabel,
  type SimMilestone,
  type SimReaction,
  type SimRelease,
  type SimRepository,
  type SimUser,
  type Store,
} from './store.ts';

export const HTML = 'https://github.com';

type Obj = Record<string, unknown>;

export class Renderer {
  constructor(
    readonly store: Store,
    readonly api: string,
  ) {}

  user(login: string | null | undefined): Obj | null {
    if (!login) return null;
    const u: SimUser = this.store.user(login);
    const base = `${this.api}/users/${encodeURIComponent(u.login)}`;
    return {
      login: u.login,
      id: u.id,
      node_id: u.node_id,
      avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      gravatar_id: '',
      url: base,
      html_url: u.type === 'Bot' ? `${HTML}/apps/${u.login.replace(/\[bot\]$/, '')}` : `${HTML}/${u.login}`,
      followers_url: `${base}/followers`,
      following_url: `${base}/following{/other_user}`,
      gists_url: `${base}/gists{/gist_id}`,
      starred_url: `${base}/starred{/owner}{/repo}`,
      subscriptions_url: `${base}/subscriptions`,
      organizations_url: `${base}/orgs`,
      repos_url: `${base}/repos`,
      events_url: `${base}/events{/privacy}`,
      received_events_url: `${base}/received_events`,
      type: u.type,
      user_view_type: 'public',
      site_admin: u.site_admin,
    };
  }

  /** `GET /users/{username}` and `GET /user` shape. */
  fullUser(login: string, isSelf: boolean): Obj {
    const u = this.store.user(login);
    const out: Obj = {
      ...this.user(login),
      name: u.name,
      company: null,
      blog: '',
      location: null,
      email: u.email,
      hireable: null,
      bio: null,
      twitter_username: null,
      public_repos: [...this.store.repos.values()].filter((r) => r.owner === u.login && !r.private).length,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: u.created_at,
      updated_at: u.created_at,
    };
    if (isSelf) {
      Object.assign(out, {
        private_gists: 0,
        total_private_repos: 0,
        owned_private_repos: 0,
        disk_usage: 0,
        collaborators: 0,
        two_factor_authentication: true,
      });
    }
    return out;
  }

  repoUrl(repo: SimRepository): string {
    return `${this.api}/repos/${repo.full_name}`;
  }

  repository(repo: SimRepository, full = false): Obj {
    const u = this.repoUrl(repo);
    const open = [...repo.issues.values()].filter((i) => i.state === 'open').length;
    const out: Obj = {
      id: repo.id,
      node_id: repo.node_id,
      name: repo.name,
      full_name: repo.full_name,
      private: repo.private,
      owner: this.user(repo.owner),
      html_url: `${HTML}/${repo.full_name}`,
      description: repo.description,
      fork: repo.fork,
      url: u,
      forks_url: `${u}/forks`,
      keys_url: `${u}/keys{/key_id}`,
      collaborators_url: `${u}/collaborators{/collaborator}`,
      teams_url: `${u}/teams`,
      hooks_url: `${u}/hooks`,
      issue_events_url: `${u}/issues/events{/number}`,
      events_url: `${u}/events`,
      assignees_url: `${u}/assignees{/user}`,
      branches_url: `${u}/branches{/branch}`,
      tags_url: `${u}/tags`,
      blobs_url: `${u}/git/blobs{/sha}`,
      git_tags_url: `${u}/git/tags{/sha}`,
      git_refs_url: `${u}/git/refs{/sha}`,
      trees_url: `${u}/git/trees{/sha}`,
      statuses_url: `${u}/statuses/{sha}`,
      languages_url: `${u}/languages`,
      stargazers_url: `${u}/stargazers`,
      contributors_url: `${u}/contributors`,
      subscribers_url: `${u}/subscribers`,
      subscription_url: `${u}/subscription`,
      commits_url: `${u}/commits{/sha}`,
      git_commits_url: `${u}/git/commits{/sha}`,
      comments_url: `${u}/comments{/number}`,
      issue_comment_url: `${u}/issues/comments{/number}`,
      contents_url: `${u}/contents/{+path}`,
      compare_url: `${u}/compare/{base}...{head}`,
      merges_url: `${u}/merges`,
      archive_url: `${u}/{archive_format}{/ref}`,
      downloads_url: `${u}/downloads`,
      issues_url: `${u}/issues{/number}`,
      pulls_url: `${u}/pulls{/number}`,
      milestones_url: `${u}/milestones{/number}`,
      notifications_url: `${u}/notifications{?since,all,participating}`,
      labels_url: `${u}/labels{/name}`,
      releases_url: `${u}/releases{/id}`,
      deployments_url: `${u}/deployments`,
      created_at: repo.created_at,
      updated_at: repo.updated_at,
      pushed_at: repo.pushed_at,
      git_url: `git://github.com/${repo.full_name}.git`,
      ssh_url: `git@github.com:${repo.full_name}.git`,
      clone_url: `${HTML}/${repo.full_name}.git`,
      svn_url: `${HTML}/${repo.full_name}`,
      homepage: null,
      size: 0,
      stargazers_count: 0,
      watchers_count: 0,
      language: 'TypeScript',
      has_issues: true,
      has_projects: true,
      has_downloads: true,
      has_wiki: true,
      has_pages: false,
      has_discussions: false,
      forks_count: 0,
      mirror_url: null,
      archived: repo.archived,
      disabled: false,
      open_issues_count: open,
      license: null,
      allow_forking: true,
      is_template: false,
      web_commit_signoff_required: false,
      topics: [],
      visibility: repo.private ? 'private' : 'public',
      forks: 0,
      open_issues: open,
      watchers: 0,
      default_branch: repo.default_branch,
    };
    if (full) {
      out.network_count = 0;
      out.subscribers_count = 0;
      const parent = repo.parent ? this.store.repo(repo.parent) : undefined;
      if (parent) {
        out.parent = this.repository(parent);
        out.source = this.repository(parent);
      }
    }
    return out;
  }

  label(repo: SimRepository, l: SimLabel): Obj {
    return {
      id: l.id,
      node_id: l.node_id,
      url: `${this.repoUrl(repo)}/labels/${encodeURIComponent(l.name)}`,
      name: l.name,
      color: l.color,
      default: l.default,
      description: l.description,
    };
  }

  milestone(repo: SimRepository, m: SimMilestone | undefined): Obj | null {
    if (!m) return null;
    const issues = [...repo.issues.values()].filter((i) => i.milestone === m.number);
    return {
      url: `${this.repoUrl(repo)}/milestones/${m.number}`,
      html_url: `${HTML}/${repo.full_name}/milestone/${m.number}`,
      labels_url: `${this.repoUrl(repo)}/milestones/${m.number}/labels`,
      id: m.id,
      node_id: m.node_id,
      number: m.number,
      state: m.state,
      title: m.title,
      description: m.description,
      creator: this.user(m.creator),
      open_issues: issues.filter((i) => i.state === 'open').length,
      closed_issues: issues.filter((i) => i.state === 'closed').length,
      created_at: m.created_at,
      updated_at: m.updated_at,
      closed_at: m.closed_at,
      due_on: m.due_on,
    };
  }

  reactionRollup(url: string, reactions: SimReaction[]): Obj {
    const out: Obj = { url, total_count: reactions.length };
    for (const c of REACTION_CONTENTS) out[c] = reactions.filter((r) => r.content === c).length;
    return out;
  }

  reaction(r: SimReaction): Obj {
    return { id: r.id, node_id: r.node_id, user: this.user(r.user), content: r.content, created_at: r.created_at };
  }

  issue(repo: SimRepository, i: SimIssue): Obj {
    const u = `${this.repoUrl(repo)}/issues/${i.number}`;
    const kind = i.pull_request ? 'pull' : 'issues';
    const out: Obj = {
      url: u,
      repository_url: this.repoUrl(repo),
      labels_url: `${u}/labels{/name}`,
      comments_url: `${u}/comments`,
      events_url: `${u}/events`,
      html_url: `${HTML}/${repo.full_name}/${kind}/${i.number}`,
      id: i.id,
      node_id: i.node_id,
      number: i.number,
      title: i.title,
      user: this.user(i.user),
      labels: this.store.issueLabels(repo, i).map((l) => this.label(repo, l)),
      state: i.state,
      locked: i.locked,
      assignee: this.user(i.assignees[0] ?? null),
      assignees: i.assignees.map((a) => this.user(a)),
      milestone: i.milestone === null ? null : this.milestone(repo, repo.milestones.get(i.milestone)),
      comments: i.comments,
      created_at: i.created_at,
      updated_at: i.updated_at,
      closed_at: i.closed_at,
      author_association: this.store.authorAssociation(repo, i),
      type: null,
      active_lock_reason: i.active_lock_reason,
      sub_issues_summary: { total: 0, completed: 0, percent_completed: 0 },
      body: i.body,
      closed_by: i.state === 'closed' ? this.user(i.closed_by) : null,
      reactions: this.reactionRollup(`${u}/reactions`, i.reactions),
      timeline_url: `${u}/timeline`,
      performed_via_github_app: null,
      state_reason: i.state_reason,
    };
    if (i.pull_request) {
      const p = `${this.repoUrl(repo)}/pulls/${i.number}`;
      out.draft = i.pull_request.draft;
      out.pull_request = {
        url: p,
        html_url: `${HTML}/${repo.full_name}/pull/${i.number}`,
        diff_url: `${HTML}/${repo.full_name}/pull/${i.number}.diff`,
        patch_url: `${HTML}/${repo.full_name}/pull/${i.number}.patch`,
        merged_at: i.pull_request.merged_at,
      };
    }
    return out;
  }

  comment(repo: SimRepository, c: SimComment): Obj {
    const u = `${this.repoUrl(repo)}/issues/comments/${c.id}`;
    const issue = repo.issues.get(c.issue_number);
    return {
      url: u,
      html_url: `${HTML}/${repo.full_name}/${issue?.pull_request ? 'pull' : 'issues'}/${c.issue_number}#issuecomment-${c.id}`,
      issue_url: `${this.repoUrl(repo)}/issues/${c.issue_number}`,
      id: c.id,
      node_id: c.node_id,
      user: this.user(c.user),
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: this.store.authorAssociation(repo, c),
      body: c.body,
      reactions: this.reactionRollup(`${u}/reactions`, c.reactions),
      performed_via_github_app: null,
    };
  }

  /** One timeline item as `GET .../timeline` returns it. */
  timelineEvent(repo: SimRepository, issue: SimIssue, e: SimEvent): Obj | null {
    if (e.event === 'commented') {
      const c = e.comment_id === undefined ? undefined : repo.comments.get(e.comment_id);
      if (!c) return null;
      return { ...this.comment(repo, c), event: 'commented', actor: this.user(c.user) };
    }
    if (e.event === 'cross-referenced') {
      const srcRepo = e.source ? this.store.repo(e.source.repository) : undefined;
      const src = srcRepo && e.source ? srcRepo.issues.get(e.source.number) : undefined;
      return {
        event: 'cross-referenced',
        actor: this.user(e.actor),
        created_at: e.created_at,
        updated_at: e.created_at,
        source: { type: 'issue', ...(src && srcRepo ? { issue: { ...this.issue(srcRepo, src), repository: this.repository(srcRepo) } } : {}) },
      };
    }
    const out: Obj = {
      id: e.id,
      node_id: e.node_id,
      url: `${this.repoUrl(repo)}/issues/events/${e.id}`,
      actor: this.user(e.actor),
      event: e.event,
      commit_id: e.commit_id ?? null,
      commit_url: e.commit_id ? `${this.repoUrl(repo)}/commits/${e.commit_id}` : null,
      created_at: e.created_at,
      performed_via_github_app: null,
    };
    if (e.label) out.label = { name: e.label.name, color: e.label.color };
    if (e.assignee) {
      out.assignee = this.user(e.assignee);
      out.assigner = this.user(e.actor);
    }
    if (e.event === 'closed') out.state_reason = e.state_reason ?? null;
    if (e.rename) out.rename = e.rename;
    if (e.milestone) out.milestone = e.milestone;
    if (e.event === 'locked') out.lock_reason = e.lock_reason ?? null;
    void issue;
    return out;
  }

  private branch(repo: SimRepository, b: { ref: string; sha: string; repo: string }): Obj {
    const r = this.store.repo(b.repo) ?? repo;
    return { label: `${r.owner}:${b.ref}`, ref: b.ref, sha: b.sha, user: this.user(r.owner), repo: this.repository(r) };
  }

  pull(repo: SimRepository, i: SimIssue, full = true): Obj {
    const pr = i.pull_request!;
    const u = `${this.repoUrl(repo)}/pulls/${i.number}`;
    const issueUrl = `${this.repoUrl(repo)}/issues/${i.number}`;
    const html = `${HTML}/${repo.full_name}/pull/${i.number}`;
    const out: Obj = {
      url: u,
      id: pr.id,
      node_id: pr.node_id,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issueUrl,
      number: i.number,
      state: i.state,
      locked: i.locked,
      title: i.title,
      user: this.user(i.user),
      body: i.body,
      created_at: i.created_at,
      updated_at: i.updated_at,
      closed_at: i.closed_at,
      merged_at: pr.merged_at,
      merge_commit_sha: pr.merge_commit_sha,
      assignee: this.user(i.assignees[0] ?? null),
      assignees: i.assignees.map((a) => this.user(a)),
      requested_reviewers: pr.requested_reviewers.map((a) => this.user(a)),
      requested_teams: [],
      labels: this.store.issueLabels(repo, i).map((l) => this.label(repo, l)),
      milestone: i.milestone === null ? null : this.milestone(repo, repo.milestones.get(i.milestone)),
      draft: pr.draft,
      commits_url: `${u}/commits`,
      review_comments_url: `${u}/comments`,
      review_comment_url: `${this.repoUrl(repo)}/pulls/comments{/number}`,
      comments_url: `${issueUrl}/comments`,
      statuses_url: `${this.repoUrl(repo)}/statuses/${pr.head.sha}`,
      head: this.branch(repo, pr.head),
      base: this.branch(repo, pr.base),
      _links: {
        self: { href: u },
        html: { href: html },
        issue: { href: issueUrl },
        comments: { href: `${issueUrl}/comments` },
        review_comments: { href: `${u}/comments` },
        review_comment: { href: `${this.repoUrl(repo)}/pulls/comments{/number}` },
        commits: { href: `${u}/commits` },
        statuses: { href: `${this.repoUrl(repo)}/statuses/${pr.head.sha}` },
      },
      author_association: this.store.authorAssociation(repo, i),
      auto_merge: null,
      active_lock_reason: i.active_lock_reason,
    };
    if (full) {
      Object.assign(out, {
        merged: pr.merged,
        mergeable: i.state === 'open' ? true : null,
        rebaseable: i.state === 'open' ? true : null,
        mergeable_state: i.state === 'open' ? 'clean' : 'unknown',
        merged_by: this.user(pr.merged_by),
        comments: i.comments,
        review_comments: 0,
        maintainer_can_modify: false,
        commits: pr.commits.length,
        additions: pr.files.reduce((n, f) => n + f.additions, 0),
        deletions: pr.files.reduce((n, f) => n + f.deletions, 0),
        changed_files: pr.files.length,
      });
    }
    return out;
  }

  commit(repo: SimRepository, c: SimCommit): Obj {
    const u = `${this.repoUrl(repo)}/commits/${c.sha}`;
    return {
      sha: c.sha,
      node_id: c.node_id,
      commit: {
        author: { name: c.author.name, email: c.author.email, date: c.author.date },
        committer: { name: c.committer.name, email: c.committer.email, date: c.committer.date },
        message: c.message,
        tree: { sha: c.sha, url: `${this.repoUrl(repo)}/git/trees/${c.sha}` },
        url: `${this.repoUrl(repo)}/git/commits/${c.sha}`,
        comment_count: 0,
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
      },
      url: u,
      html_url: `${HTML}/${repo.full_name}/commit/${c.sha}`,
      comments_url: `${u}/comments`,
      author: c.author.login ? this.user(c.author.login) : null,
      committer: c.committer.login ? this.user(c.committer.login) : null,
      parents: c.parents.map((p) => ({ sha: p, url: `${this.repoUrl(repo)}/commits/${p}`, html_url: `${HTML}/${repo.full_name}/commit/${p}` })),
    };
  }

  release(repo: SimRepository, r: SimRelease): Obj {
    const u = `${this.repoUrl(repo)}/releases/${r.id}`;
    return {
      url: u,
      html_url: `${HTML}/${repo.full_name}/releases/${r.draft ? `tag/untagged-${r.id}` : `tag/${r.tag_name}`}`,
      assets_url: `${u}/assets`,
      upload_url: `https://uploads.github.com/repos/${repo.full_name}/releases/${r.id}/assets{?name,label}`,
      tarball_url: `${this.repoUrl(repo)}/tarball/${r.tag_name}`,
      zipball_url: `${this.repoUrl(repo)}/zipball/${r.tag_name}`,
      id: r.id,
      node_id: r.node_id,
      tag_name: r.tag_name,
      target_commitish: r.target_commitish,
      name: r.name,
      body: r.body,
      draft: r.draft,
      prerelease: r.prerelease,
      immutable: false,
      created_at: r.created_at,
      updated_at: r.published_at ?? r.created_at,
      published_at: r.published_at,
      author: this.user(r.author),
      assets: [],
    };
  }

  ref(repo: SimRepository, ref: string, sha: string): Obj {
    return {
      ref,
      node_id: `REF_${Buffer.from(`${repo.full_name}:${ref}`).toString('base64url')}`,
      url: `${this.repoUrl(repo)}/git/${ref}`,
      object: { sha, type: 'commit', url: `${this.repoUrl(repo)}/git/commits/${sha}` },
    };
  }
}
