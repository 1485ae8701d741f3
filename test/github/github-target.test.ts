import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveDomainSettings } from '../../src/domain/domain-settings';
import { resolveGitHubTarget } from '../../src/github/github-target';
import { findGitHubToken } from '../../src/github/github-token';

const settings = (owner = '@acme/sales', more: { githubOrg?: string; platformTeam?: string } = {}) => resolveDomainSettings({ domain: 'sales', owner, ...more });

test('--github, --team and --reviewers become the target, with private visibility by default', () => {
  expect(resolveGitHubTarget({ repository: 'acme/sales-data', teams: ['sales:push', 'platform:read'], reviewers: ['@alice', 'acme/platform'] }, settings())).toEqual({
    owner: 'acme',
    name: 'sales-data',
    visibility: 'private',
    teams: [
      { team: 'sales', permission: 'push' },
      { team: 'platform', permission: 'pull' },
    ],
    reviewers: [
      { type: 'User', name: 'alice' },
      { type: 'Team', name: 'platform' },
    ],
    adopt: false,
  });
});

test('an owner alone names the repository after the domain; the reviewers default to a GitHub owner, else the platform team', () => {
  expect(resolveGitHubTarget({ repository: 'acme' }, settings())).toMatchObject({ name: 'sales', reviewers: [{ type: 'Team', name: 'sales' }] });
  expect(resolveGitHubTarget({ repository: 'acme' }, settings('@alice'))).toMatchObject({ reviewers: [{ type: 'User', name: 'alice' }] });
  expect(resolveGitHubTarget({ repository: 'acme' }, settings('sales@example.com', { githubOrg: 'acme', platformTeam: 'platform' }))).toMatchObject({
    reviewers: [{ type: 'Team', name: 'platform' }],
  });
});

test.each([
  [{ repository: 'acme/sales/data' }, /Invalid option "github": "acme\/sales\/data" is not <owner>\/<repository>; give e\.g\. --github acme\/sales-data/],
  [{ repository: '-acme/x' }, /Invalid option "github"/],
  [{ repository: 'acme/x', visibility: 'hidden' }, /Invalid option "visibility": "hidden" is not a visibility; give one of private, internal, public/],
  [{ repository: 'acme/x', teams: ['sales:owner'] }, /Invalid option "team": "sales:owner" is not <team-slug>:<permission>; give e\.g\. --team sales:push/],
  [{ repository: 'acme/x', reviewers: ['@other/platform'] }, /Invalid option "reviewers": team "@other\/platform" is not in acme, which owns the repository/],
  [{ repository: 'acme/x', reviewers: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, /Invalid option "reviewers": GitHub allows at most 6 required reviewers/],
])('%j is refused with the flag and the fix', (values, message) => {
  expect(() => resolveGitHubTarget(values, settings())).toThrow(message);
});

test('a mailbox owner without --reviewers is refused: the last environment needs reviewers', () => {
  expect(() => resolveGitHubTarget({ repository: 'acme/x' }, settings('sales@example.com'))).toThrow(
    /Invalid option "reviewers": deployments to prod need required reviewers: give --reviewers @login or --reviewers @acme\/<team>/,
  );
});

test('the token comes from --token-file, else GITHUB_TOKEN, else GH_TOKEN', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'token-')), 'token');
  fs.writeFileSync(file, 'ghp_fromFile\n', { mode: 0o600 });
  expect(findGitHubToken(file, { GITHUB_TOKEN: 'ghp_env' })).toBe('ghp_fromFile');
  expect(findGitHubToken(undefined, { GITHUB_TOKEN: 'ghp_env', GH_TOKEN: 'ghp_gh' })).toBe('ghp_env');
  expect(findGitHubToken(undefined, { GH_TOKEN: 'ghp_gh' })).toBe('ghp_gh');
  expect(findGitHubToken(undefined, {})).toBeUndefined();
  expect(() => findGitHubToken(`${file}.missing`, {})).toThrow(/Invalid option "token-file": .*token\.missing cannot be read \(ENOENT\)/);
});

test('a token file that the group or other users may read is refused, naming the file and the chmod', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'token-')), 'token');
  fs.writeFileSync(file, 'ghp_fromFile\n');
  for (const [mode, who] of [[0o644, 'its group and other users'], [0o640, 'its group'], [0o604, 'other users']] as const) {
    fs.chmodSync(file, mode);
    expect(() => findGitHubToken(file, {})).toThrow(`Invalid option "token-file": ${file} is readable by ${who} (mode ${mode.toString(8)}), so the token is theirs too; make it yours alone: chmod 600 ${file}`);
  }
  // Only the owner may read it: the token is used, read-only or not.
  for (const mode of [0o600, 0o400]) {
    fs.chmodSync(file, mode);
    expect(findGitHubToken(file, {})).toBe('ghp_fromFile');
  }
});
