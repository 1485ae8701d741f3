import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { publishToLocalRemote } from '../../src/github/local-remote';
import { git, repositoryWith } from '../support/git';

const remotesDir = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'remotes-')), 'remotes');

test('creates the bare repository, pushes main, and a second run changes nothing', async () => {
  const repo = await repositoryWith({ 'README.md': '# sales\n' });
  const remotes = remotesDir();
  const first = await publishToLocalRemote(repo, { remotesDir: remotes, name: 'sales' });
  const head = await git(repo, 'rev-parse', 'HEAD');
  expect(first).toEqual({ url: path.join(remotes, 'sales.git'), created: true, pushed: true, commit: head });
  expect(await git(first.url, 'rev-parse', 'refs/heads/main')).toBe(head);
  expect(await git(first.url, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
  expect(await git(repo, 'remote', 'get-url', 'origin')).toBe(first.url);

  expect(await publishToLocalRemote(repo, { remotesDir: remotes, name: 'sales' })).toEqual({ ...first, created: false, pushed: false });
});

test('new commits are pushed on the next run', async () => {
  const repo = await repositoryWith({ 'README.md': '# sales\n' });
  const remotes = remotesDir();
  await publishToLocalRemote(repo, { remotesDir: remotes, name: 'sales' });
  fs.writeFileSync(path.join(repo, 'notes.md'), 'more\n');
  await git(repo, 'add', 'notes.md');
  await git(repo, 'commit', '-q', '-m', 'notes');
  const second = await publishToLocalRemote(repo, { remotesDir: remotes, name: 'sales' });
  expect(second).toMatchObject({ created: false, pushed: true });
  expect(await git(second.url, 'rev-parse', 'refs/heads/main')).toBe(await git(repo, 'rev-parse', 'HEAD'));
});

test('a run stopped after adding the remote is completed by the next one', async () => {
  const repo = await repositoryWith({ 'README.md': '# sales\n' });
  const remotes = remotesDir();
  const bare = path.join(remotes, 'sales.git');
  fs.mkdirSync(remotes, { recursive: true });
  await git(remotes, 'init', '-q', '--bare', '--initial-branch=main', bare);
  await git(repo, 'remote', 'add', 'origin', bare);
  expect(await publishToLocalRemote(repo, { remotesDir: remotes, name: 'sales' })).toMatchObject({ created: false, pushed: true });
});

test('a remote with unrelated history is refused and left as it was', async () => {
  const remotes = remotesDir();
  const other = await repositoryWith({ 'other.md': 'someone else\n' });
  await publishToLocalRemote(other, { remotesDir: remotes, name: 'sales' });
  const before = await git(path.join(remotes, 'sales.git'), 'rev-parse', 'refs/heads/main');

  const repo = await repositoryWith({ 'README.md': '# sales\n' });
  await expect(publishToLocalRemote(repo, { remotesDir: remotes, name: 'sales' })).rejects.toThrow(
    /Invalid option "remote": .*sales\.git holds a main branch with unrelated history; choose another name or remove that repository/,
  );
  expect(await git(path.join(remotes, 'sales.git'), 'rev-parse', 'refs/heads/main')).toBe(before);
});

test('an origin that points elsewhere is refused', async () => {
  const repo = await repositoryWith({ 'README.md': '# sales\n' });
  await git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/sales.git');
  await expect(publishToLocalRemote(repo, { remotesDir: remotesDir(), name: 'sales' })).rejects.toThrow(
    /already has origin https:\/\/github\.com\/acme\/sales\.git; remove it/,
  );
});
