import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fallbackIdentity, FALLBACK_IDENTITY, git, GIT_LIMITER, GIT_PROCESSES, gitText, ProcessLimiter } from '../../src/util/git';
import { git as plainGit, GIT_ENV, repositoryWith } from '../support/git';

const ROOT = process.getuid?.() === 0;
const IDENTITY_VARIABLES = ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL'];

/**
 * A repository that plants a program everywhere git could run one: hooks in `.git/hooks` and in a
 * `core.hooksPath` its own config names, and a file-system monitor. Each leaves a mark in `marks`.
 */
async function hostileRepository(): Promise<{ repo: string; marks: string }> {
  const repo = await repositoryWith({ 'README.md': '# sales\n' });
  const marks = fs.mkdtempSync(path.join(os.tmpdir(), 'git-marks-'));
  const planted = path.join(repo, 'planted-hooks');
  fs.mkdirSync(planted);
  for (const dir of [path.join(repo, '.git', 'hooks'), planted]) {
    for (const hook of ['pre-commit', 'commit-msg', 'post-commit', 'post-checkout', 'pre-push', 'reference-transaction']) {
      fs.writeFileSync(path.join(dir, hook), `#!/bin/sh\ntouch "${marks}/${hook}"\nexit 0\n`, { mode: 0o755 });
    }
  }
  const monitor = path.join(repo, 'monitor.sh');
  fs.writeFileSync(monitor, `#!/bin/sh\ntouch "${marks}/fsmonitor"\nexit 1\n`, { mode: 0o755 });
  await plainGit(repo, 'config', 'core.fsmonitor', monitor);
  return { repo, marks };
}

describe('the git gateway runs nothing a hostile repository planted', () => {
  test('no hook and no file-system monitor runs on commit, checkout, status or push', async () => {
    const { repo, marks } = await hostileRepository();
    const remote = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'git-remote-')), 'sales.git');
    await git(os.tmpdir(), 'init', '--quiet', '--bare', remote);
    const place = { cwd: repo, env: GIT_ENV };

    fs.writeFileSync(path.join(repo, 'notes.md'), 'more\n');
    await git(place, 'add', 'notes.md');
    await git(place, 'status', '--porcelain');
    await git(place, 'commit', '--quiet', '-m', 'notes');
    await git(place, 'checkout', '--quiet', '-b', 'feature');
    await git(place, 'checkout', '--quiet', 'main');
    await git(place, 'push', '--quiet', remote, 'main');
    expect(fs.readdirSync(marks)).toEqual([]);
    expect(await gitText(remote, 'rev-parse', 'refs/heads/main')).toBe(await gitText(repo, 'rev-parse', 'HEAD'));

    // The same repository with git alone: what it planted runs (the test plants what it claims).
    await plainGit(repo, 'status', '--porcelain');
    await plainGit(repo, 'commit', '--quiet', '--allow-empty', '-m', 'plain');
    expect(fs.readdirSync(marks)).toEqual(expect.arrayContaining(['fsmonitor', 'pre-commit', 'commit-msg', 'post-commit']));
  });

  test('its configuration beats the repository\'s, and configuration the caller gives through the environment is kept', async () => {
    const { repo } = await hostileRepository();
    await plainGit(repo, 'config', 'core.hooksPath', path.join(repo, 'planted-hooks'));
    const place = { cwd: repo, env: { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'sdlf-mesh.given', GIT_CONFIG_VALUE_0: 'kept' } };
    expect(await gitText(place, 'config', '--get', 'core.hooksPath')).toBe(os.devNull);
    expect(await gitText(place, 'config', '--get', 'core.fsmonitor')).toBe('false');
    expect(await gitText(place, 'config', '--get', 'protocol.ext.allow')).toBe('never');
    expect(await gitText(place, 'config', '--get', 'sdlf-mesh.given')).toBe('kept');
  });

  test('a failure names the git command as the caller gave it', async () => {
    const repo = await repositoryWith({});
    await expect(git(repo, 'rev-parse', '--verify', 'no-such-branch')).rejects.toThrow(/^git rev-parse --verify no-such-branch failed \(exit code 128\)/);
  });

  (ROOT ? test : test.skip)('a working tree another user owns is worked in only when the caller trusts it', async () => {
    const repo = await repositoryWith({ 'README.md': '# sales\n' });
    fs.chownSync(repo, 65534, 65534);
    await expect(git(repo, 'status')).rejects.toThrow(/dubious ownership/);
    expect(await gitText({ cwd: repo, safeDirectory: repo }, 'rev-parse', '--show-toplevel')).toBe(fs.realpathSync(repo));
  });
});

describe('the fallback identity', () => {
  const saved: Record<string, string | undefined> = {};
  let home: string;
  beforeEach(() => {
    // A machine where git has no identity: no global configuration, none in the environment.
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'git-home-'));
    for (const name of [...IDENTITY_VARIABLES, 'HOME', 'XDG_CONFIG_HOME', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM']) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    Object.assign(process.env, { HOME: home, GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'), GIT_CONFIG_NOSYSTEM: '1' });
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  });

  test('is sdlf-mesh\'s when git has none, and a commit made with it works', async () => {
    const repo = await repositoryWith({});
    const identity = await fallbackIdentity(repo);
    expect(identity).toEqual({
      GIT_AUTHOR_NAME: FALLBACK_IDENTITY.name,
      GIT_AUTHOR_EMAIL: FALLBACK_IDENTITY.email,
      GIT_COMMITTER_NAME: FALLBACK_IDENTITY.name,
      GIT_COMMITTER_EMAIL: FALLBACK_IDENTITY.email,
    });
    await git({ cwd: repo, env: identity }, 'commit', '--quiet', '--allow-empty', '-m', 'first');
    expect(await gitText(repo, 'log', '-1', '--format=%an <%ae>')).toBe('sdlf-mesh <sdlf-mesh@users.noreply.github.com>');
  });

  test('is not used when git has an identity: in the repository\'s or the user\'s configuration', async () => {
    const repo = await repositoryWith({});
    await git(repo, 'config', 'user.email', 'sales-data@example.com');
    expect(await fallbackIdentity(repo)).toEqual({});
    const other = await repositoryWith({});
    fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Platform\n\temail = platform@example.com\n');
    expect(await fallbackIdentity(other)).toEqual({});
  });

  test('keeps an identity this process\'s environment gives', async () => {
    process.env.GIT_AUTHOR_EMAIL = 'ci@example.com';
    expect(await fallbackIdentity(await repositoryWith({}))).toMatchObject({ GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_EMAIL: FALLBACK_IDENTITY.email });
  });
});

describe('the limit on git processes', () => {
  test('a limiter runs at most its limit at once, the others in the order they came', async () => {
    const limiter = new ProcessLimiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const work = (index: number) => limiter.run(async () => {
      started.push(index);
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return index;
    });
    const all = Promise.all([0, 1, 2, 3, 4, 5].map(work));
    expect([limiter.active, limiter.queued]).toEqual([2, 4]);
    expect(await all).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect([limiter.active, limiter.queued]).toEqual([0, 0]);
    // A failure frees its slot too.
    await expect(limiter.run(() => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    expect(limiter.active).toBe(0);
    expect(() => new ProcessLimiter(0)).toThrow(/lets none run/);
  });

  test('every git command of the process shares one limit', async () => {
    // A git that records how many of its kind run as it starts, then takes a while.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'git-bin-'));
    const running = path.join(bin, 'running');
    fs.mkdirSync(running);
    fs.writeFileSync(
      path.join(bin, 'git'),
      `#!/bin/sh\ntouch "${running}/$$"\nls "${running}" | wc -l >> "${bin}/counts"\nsleep 0.3\nrm "${running}/$$"\n`,
      { mode: 0o755 },
    );
    const place = { cwd: bin, env: { PATH: `${bin}${path.delimiter}${process.env.PATH}` } };
    const calls = Array.from({ length: GIT_PROCESSES * 2 + 3 }, () => git(place, 'status'));
    expect(GIT_LIMITER.active).toBe(GIT_PROCESSES);
    expect(GIT_LIMITER.queued).toBe(GIT_PROCESSES + 3);
    await Promise.all(calls);
    const counts = fs.readFileSync(path.join(bin, 'counts'), 'utf8').trim().split('\n').map(Number);
    expect(counts).toHaveLength(GIT_PROCESSES * 2 + 3);
    expect(Math.max(...counts)).toBeLessThanOrEqual(GIT_PROCESSES);
    expect(GIT_LIMITER.active).toBe(0);
  });
});
