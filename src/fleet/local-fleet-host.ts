import * as fs from 'fs';
import * as path from 'path';
import { upgradeBranch } from './apply-proposal';
import { FleetHost, FleetRepository, OpenUpgradeRequest, UpgradeRequest, UpgradeRequestContent } from './fleet-host';
import { configValue, fileAt, gitText, remoteBranches } from '../util/git';
import { InvalidOptionError } from '../util/invalid-option-error';

/** Where an upgrade request of a local repository is kept, inside the bare repository. */
const REQUESTS_DIR = 'sdlf-mesh-upgrade-requests';

/**
 * Bare git repositories on this machine as the fleet (the default without a GitHub token, and
 * what `sdlf-mesh new domain` pushes to): every `<name>.git` of a folder, or the ones a list names.
 * A repository whose config says `sdlf-mesh.archived = true` counts as archived. Git has no pull
 * requests: an upgrade request is the branch plus its description, kept as a Markdown file in the
 * bare repository (`sdlf-mesh-upgrade-requests/<branch>.md`), where a reviewer reads it before
 * merging the branch.
 */
export class LocalFleetHost implements FleetHost {
  public readonly description: string;

  /**
   * @param remotes bare repositories (`*.git`) and folders of them
   */
  constructor(private readonly remotes: string[]) {
    if (remotes.length === 0) {
      throw new InvalidOptionError('--remotes-dir', 'name the folder of the domain repositories (e.g. --remotes-dir ~/.sdlf-mesh/remotes) or list them with --repos');
    }
    for (const remote of remotes) {
      if (!fs.existsSync(remote)) {
        throw new InvalidOptionError('--remotes-dir', `${remote} does not exist; give a folder of bare git repositories or a repository ending in .git`);
      }
    }
    this.description = remotes.join(', ');
  }

  public async listRepositories(): Promise<FleetRepository[]> {
    const bare = this.remotes.flatMap((remote) =>
      remote.endsWith('.git')
        ? [path.resolve(remote)]
        : fs.readdirSync(remote).filter((entry) => entry.endsWith('.git')).sort().map((entry) => path.resolve(remote, entry)),
    );
    return Promise.all(
      bare.map(async (dir) => ({
        name: path.basename(dir, '.git'),
        cloneUrl: dir,
        archived: (await configValue(dir, 'sdlf-mesh.archived')) === 'true',
        defaultBranch: await gitText(dir, 'symbolic-ref', '--short', 'HEAD').catch(() => 'main'),
      })),
    );
  }

  public gitEnvironment(): Record<string, string> {
    return {};
  }

  public async findUpgradeRequest(repository: FleetRepository, branch: string): Promise<OpenUpgradeRequest | undefined> {
    const file = requestFile(repository, branch);
    return fs.existsSync(file) ? { url: file, branch, state: 'open' } : undefined;
  }

  public async listUpgradeRequests(repository: FleetRepository): Promise<OpenUpgradeRequest[]> {
    const branches = [...(await remoteBranches(repository.cloneUrl, repository.cloneUrl, upgradeBranch('*'))).keys()];
    const requests = await Promise.all(branches.map((branch) => this.findUpgradeRequest(repository, branch)));
    return requests.filter((request): request is OpenUpgradeRequest => request !== undefined);
  }

  public async readFile(repository: FleetRepository, branch: string, file: string): Promise<string | undefined> {
    return fileAt({ cwd: repository.cloneUrl, gitDir: repository.cloneUrl }, branch, file);
  }

  public async openOrUpdateUpgradeRequest(repository: FleetRepository, content: UpgradeRequestContent): Promise<UpgradeRequest> {
    const file = requestFile(repository, content.branch);
    const created = !fs.existsSync(file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `# ${content.title}\n\n${content.body}`);
    return { url: file, created };
  }
}

function requestFile(repository: FleetRepository, branch: string): string {
  return path.join(repository.cloneUrl, REQUESTS_DIR, `${branch.replace(/\//g, '--')}.md`);
}
