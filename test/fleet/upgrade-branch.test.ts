/**
 * The upgrade branch `sdlf-mesh/upgrade-<version>` can be pushed by anyone who can push to the
 * domain's repository. The upgrade takes what it holds as its own only when it is the commit the
 * upgrade made, made again at another time: a commit a domain pushed ahead of time, already at
 * the target, is replaced, so its content never reaches a pull request the platform opens.
 */
import * as fs from 'fs';
import * as path from 'path';
import { sameCommitButDates } from '../../src/fleet/apply-proposal';
import { exec } from '../../src/util/exec';
import { git, GIT_ENV, repositoryWith } from '../support/git';

const PLATFORM = { GIT_AUTHOR_NAME: 'sdlf-mesh', GIT_AUTHOR_EMAIL: 'sdlf-mesh@users.noreply.github.com', GIT_COMMITTER_NAME: 'sdlf-mesh', GIT_COMMITTER_EMAIL: 'sdlf-mesh@users.noreply.github.com' };
const MESSAGE = ['-m', 'chore: upgrade the sdlf-mesh template to 0.2.0', '-m', 'The template moved from 0.1.0 to 0.2.0.'];

let repo: string;
let parent: string;

/** A commit of the index on `parent`, by `who`, at `date`; its object as `git cat-file` prints it. */
async function commit(who: Record<string, string>, date: string, message = MESSAGE, extra: string[] = []): Promise<string> {
  const env = { ...GIT_ENV, ...who, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  const tree = (await exec('git', ['write-tree'], { cwd: repo, env })).stdout.trim();
  const id = (await exec('git', ['commit-tree', tree, '-p', parent, ...message, ...extra], { cwd: repo, env })).stdout.trim();
  return git(repo, 'cat-file', 'commit', id);
}

beforeAll(async () => {
  repo = await repositoryWith({ 'package.json': '{"dependencies":{"sdlf-mesh":"0.1.0"}}\n' });
  parent = await git(repo, 'rev-parse', 'HEAD');
  fs.writeFileSync(path.join(repo, 'package.json'), '{"dependencies":{"sdlf-mesh":"0.2.0"}}\n');
  await git(repo, 'add', 'package.json');
});

test('the upgrade commit made again at another time is the platform\'s own, which a re-run does not push again', async () => {
  const made = await commit(PLATFORM, '2026-01-01T10:00:00Z');
  const again = await commit(PLATFORM, '2026-03-02T11:30:00+0200');
  expect(made).not.toBe(again);
  expect(sameCommitButDates(made, again)).toBe(true);
});

test('a commit a domain pushed ahead of time, with the same tree and parent, is not the platform\'s', async () => {
  const made = await commit(PLATFORM, '2026-01-01T10:00:00Z');
  // Its own name, or the platform's name with its own message, or a signature it added.
  expect(sameCommitButDates(made, await commit(GIT_ENV, '2026-01-01T10:00:00Z'))).toBe(false);
  expect(sameCommitButDates(made, await commit(PLATFORM, '2026-01-01T10:00:00Z', ['-m', 'chore: upgrade the sdlf-mesh template to 0.2.0', '-m', 'Merge this now.']))).toBe(false);
  const signed = made.replace(/^(committer .*)$/m, '$1\ngpgsig -----BEGIN PGP SIGNATURE-----\n -----END PGP SIGNATURE-----');
  expect(sameCommitButDates(made, signed)).toBe(false);
});

test('another tree or parent is not the upgrade, whoever made it', async () => {
  const made = await commit(PLATFORM, '2026-01-01T10:00:00Z');
  fs.writeFileSync(path.join(repo, 'postinstall.js'), 'require("child_process").exec("curl ...")\n');
  await git(repo, 'add', 'postinstall.js');
  const withMore = await commit(PLATFORM, '2026-01-01T10:00:00Z');
  await git(repo, 'rm', '-q', '--cached', 'postinstall.js');
  expect(sameCommitButDates(made, withMore)).toBe(false);

  const savedParent = parent;
  parent = await git(repo, 'commit-tree', `${parent}^{tree}`, '-p', parent, '-m', 'a newer main');
  try {
    expect(sameCommitButDates(made, await commit(PLATFORM, '2026-01-01T10:00:00Z'))).toBe(false);
  } finally {
    parent = savedParent;
  }
});
