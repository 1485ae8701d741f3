import * as path from 'path';
import { awscdk, typescript } from 'projen';
import { TESTED_CDK_FEATURE_FLAGS } from './tested-toolchain';
import { atLeastTemplateCdkVersion, isTemplateSpec } from '../domain/domain-settings';

/**
 * The projen options every sdlf-mesh repository (domain or platform) is built with, on top of
 * what the user gave: the template as a runtime dependency, toolchain pins, TypeScript run by tsx,
 * and projen's own workflows off in favour of the template's.
 *
 * @param options the user's options
 * @param templateSpec the template dependency, e.g. `sdlf-mesh@^1.2.0`
 * @param readme the README the repository starts with
 */
export function sdlfAppOptions(options: awscdk.AwsCdkTypeScriptAppOptions, templateSpec: string, readme: string): awscdk.AwsCdkTypeScriptAppOptions {
  const projenCodeDir = options.projenrcTsOptions?.projenCodeDir ?? 'projenrc';
  return {
    ...options,
    cdkVersion: atLeastTemplateCdkVersion(options.cdkVersion),
    // The generated app imports the template when it synthesizes, and checks every synth with
    // cdk-nag's AWS Solutions rules: runtime dependencies.
    deps: [...(options.deps ?? []).filter((spec) => !isTemplateSpec(spec) && !spec.startsWith('cdk-nag')), templateSpec, 'cdk-nag@^3.0.0'],
    // tsx runs `.projenrc.ts` and the app (below): installed, so that its version is the
    // repository's own, not whatever `npx` would fetch.
    devDeps: [...(options.devDeps ?? []).filter((spec) => !isTemplateSpec(spec) && !spec.startsWith('tsx')), 'tsx'],
    // ts-jest and ts-node do not accept the newest TypeScript major yet.
    typescriptVersion: options.typescriptVersion ?? '~5.9.0',
    // Node.js 22 is the oldest release aws-cdk-lib, projen and the AWS SDK support. Without a
    // minimum, projen would also ask for `@types/node@ts5.9`, a dist-tag the registry does not have.
    minNodeVersion: options.minNodeVersion ?? '22.0.0',
    // ts-jest only compiles NodeNext modules file by file.
    tsconfigDev: { ...options.tsconfigDev, compilerOptions: { isolatedModules: true, ...options.tsconfigDev?.compilerOptions } },
    // `npx projen` and `cdk synth` run TypeScript with tsx, which does not type-check: ts-node's
    // check of `.projenrc.ts` and `src/main.ts` against the types of aws-cdk-lib tripled the time
    // and quadrupled the memory of every run. The build type-checks both instead (see TypeCheck).
    runner: options.runner ?? typescript.TypeScriptRunner.tsx(),
    projenrcTsOptions: {
      ...options.projenrcTsOptions,
      runner: options.projenrcTsOptions?.runner ?? typescript.TypeScriptRunner.tsx({ tsconfig: `${projenCodeDir}/tsconfig.json` }),
    },
    app: options.app ?? `npx tsx ${path.posix.join(options.srcdir ?? 'src', options.appEntrypoint ?? 'main.ts')}`,
    // projen refuses both `app` and `appEntrypoint`; the entry point is in `app` now.
    appEntrypoint: undefined,
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
    // The data-product stacks reference their domain stack: CDK warns on every synth until the
    // strength of such references is chosen. Strong (CloudFormation exports) is what it does
    // without the flag, set so that the build's warnings are the domain's own. The other feature
    // flags are stated at the behaviour the template is tested with (see TESTED_CDK_FEATURE_FLAGS).
    context: { ...TESTED_CDK_FEATURE_FLAGS, '@aws-cdk/core:defaultCrossStackReferences': 'strong', ...options.context },
  };
}
