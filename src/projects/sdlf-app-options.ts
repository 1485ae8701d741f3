import { awscdk } from 'projen';
import { isTemplateSpec } from './domain-settings';

/**
 * The projen options every sdlf-mesh repository (domain or platform) is built with, on top of
 * what the user gave: the template as a runtime dependency, toolchain pins, and projen's own
 * workflows off in favour of the template's.
 *
 * @param options the user's options
 * @param templateSpec the template dependency, e.g. `sdlf-mesh@^1.2.0`
 * @param readme the README the repository starts with
 */
export function sdlfAppOptions(options: awscdk.AwsCdkTypeScriptAppOptions, templateSpec: string, readme: string): awscdk.AwsCdkTypeScriptAppOptions {
  return {
    ...options,
    // The generated app imports the template when it synthesizes, and checks every synth with
    // cdk-nag's AWS Solutions rules: runtime dependencies.
    deps: [...(options.deps ?? []).filter((spec) => !isTemplateSpec(spec) && !spec.startsWith('cdk-nag')), templateSpec, 'cdk-nag@^3.0.0'],
    devDeps: (options.devDeps ?? []).filter((spec) => !isTemplateSpec(spec)),
    // ts-jest and ts-node do not accept the newest TypeScript major yet.
    typescriptVersion: options.typescriptVersion ?? '~5.9.0',
    // Without it projen asks for `@types/node@ts5.9`, a dist-tag the registry does not have.
    minNodeVersion: options.minNodeVersion ?? '20.0.0',
    // ts-jest only compiles NodeNext modules file by file.
    tsconfigDev: { ...options.tsconfigDev, compilerOptions: { isolatedModules: true, ...options.tsconfigDev?.compilerOptions } },
    sampleCode: false,
    lambdaAutoDiscover: false,
    // The template brings its own workflows (pinned actions, least privilege); the fleet
    // upgrade moves the template, so projen's release and dependency upgrades stay off.
    buildWorkflow: false,
    release: false,
    depsUpgrade: false,
    pullRequestTemplate: false,
    githubOptions: { mergify: false, pullRequestLint: false, ...options.githubOptions },
    readme: options.readme ?? { contents: readme },
    gitignore: [...(options.gitignore ?? []), '/cdk.out/'],
  };
}
