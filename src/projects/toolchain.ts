import { Component, DependencyType, javascript } from 'projen';
import * as semver from 'semver';
import { TESTED_VERSIONS } from './tested-toolchain';

/** The kinds of dependency whose version the template decides; peer ranges stay ranges. */
const PINNED_TYPES = new Set([DependencyType.RUNTIME, DependencyType.BUILD, DependencyType.DEVENV, DependencyType.TEST]);

/**
 * The packages of the toolchain whose install scripts the repository runs: esbuild's fetches its
 * platform binary, jest's file watcher builds its native module where no prebuilt one fits. npm
 * asks for each to be allowed, on every install, until it is.
 */
const INSTALL_SCRIPTS = ['esbuild', '@parcel/watcher'];

/** Options of {@link Toolchain}. */
export interface ToolchainOptions {
  /** The project's `cdkVersion`. */
  readonly cdkVersion: string;
  /** Pin the tested versions (else they float within the template's ranges). */
  readonly pinTestedVersions: boolean;
}

/**
 * The toolchain of a generated repository: aws-cdk-lib, the CDK CLI, constructs, cdk-nag, projen,
 * tsx, esbuild, the AWS SDK clients, Parquet writer and CSV parser of the stages and their test helpers.
 *
 * Pinned (the default), each is the exact version this release of the template was tested with,
 * so that a repository builds today as it did in the template's tests, and its lock file holds that
 * set. A newer set reaches it through a template upgrade (the fleet's pull request), never at the
 * next fresh install. A `cdkVersion` newer than the tested aws-cdk-lib is the team's own choice and
 * is kept.
 *
 * Either way the toolchain's own install scripts are allowed (npm's `allowScripts`), so that an
 * install prints only what a user should act on.
 */
export class Toolchain extends Component {
  private readonly options: ToolchainOptions;

  constructor(project: javascript.NodeProject, options: ToolchainOptions) {
    super(project);
    this.options = options;
    project.package.addField('allowScripts', Object.fromEntries(INSTALL_SCRIPTS.map((name) => [name, true])));
  }

  /** The exact version the repository builds `name` with, or `undefined` when it floats or is not the template's to decide. */
  public versionOf(name: string): string | undefined {
    const tested = this.options.pinTestedVersions ? TESTED_VERSIONS[name] : undefined;
    if (tested === undefined || name !== 'aws-cdk-lib') {
      return tested;
    }
    const asked = semver.minVersion(this.options.cdkVersion);
    return asked && semver.gt(asked, tested) ? asked.version : tested;
  }

  // Before package.json is rendered: by then every component has added its dependencies.
  public preSynthesize(): void {
    for (const dependency of this.project.deps.all) {
      const version = PINNED_TYPES.has(dependency.type) ? this.versionOf(dependency.name) : undefined;
      if (version !== undefined && dependency.version !== version) {
        this.project.deps.removeDependency(dependency.name, dependency.type);
        this.project.deps.addDependency(`${dependency.name}@${version}`, dependency.type);
      }
    }
  }
}
