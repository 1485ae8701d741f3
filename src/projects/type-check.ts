import { awscdk, Component, typescript } from 'projen';

/**
 * The type check of a generated repository, in its `compile` task and so in every
 * `npx projen build` (the pull-request workflow's and the template upgrade's `--verify`):
 * `tsc --noEmit` of `.projenrc.ts` and of the CDK app, stage handlers included.
 *
 * `npx projen` and `cdk synth` run TypeScript with tsx, which does not check types, so that they
 * stay fast; the build is where a `.projenrc.ts` that sets an option the template no longer has
 * fails, with TypeScript's error naming the option.
 */
export class TypeCheck extends Component {
  /** The `tsconfig` files checked, in order: `.projenrc.ts`'s first, then the app's. */
  public readonly tsconfigs: string[];

  constructor(project: awscdk.AwsCdkTypeScriptApp) {
    super(project);
    const projenrc = project.components.find((component): component is typescript.Projenrc => component instanceof typescript.Projenrc);
    this.tsconfigs = [projenrc?.tsconfig.fileName, project.tsconfig?.fileName].filter((file): file is string => file !== undefined);
    for (const tsconfig of this.tsconfigs) {
      project.compileTask.exec(`tsc --noEmit -p ${tsconfig}`, {
        name: tsconfig === projenrc?.tsconfig.fileName ? `type-check ${projenrc.filePath}` : 'type-check the CDK app',
      });
    }
  }
}
