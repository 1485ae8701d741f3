import * as fs from 'fs';
import * as path from 'path';
import { Component, InitProject, typescript } from 'projen';
import { ProjenrcError, ProjenrcFile } from './projenrc-file';
import { TEMPLATE_PACKAGE } from '../domain/domain-settings';

/**
 * The package's entry point of the project types alone. It reaches no aws-cdk-lib, neither when
 * projen runs `.projenrc.ts` nor when the build type-checks it (about a quarter of the memory).
 */
export const PROJECT_TYPES_ENTRY_POINT = `${TEMPLATE_PACKAGE}/projects`;

/** What a `.projenrc.ts` imports from the template: the project types and their options. */
export const PROJECT_TYPE_NAMES: ReadonlySet<string> = new Set([
  'SdlfDomainProject',
  'SdlfDomainProjectOptions',
  'SdlfPlatformProject',
  'SdlfPlatformProjectOptions',
]);

/**
 * `.projenrc.ts` with the import of the project types from {@link PROJECT_TYPES_ENTRY_POINT}
 * instead of the package root, which also loads the CDK constructs and with them the types of
 * aws-cdk-lib. An import that names anything else (a construct, a governance type) stays as it
 * is, and so does the rest of the file: it is the team's.
 */
export function importProjectTypesEntryPoint(projenrc: string): string {
  try {
    return ProjenrcFile.parse(projenrc).withImportsMoved(TEMPLATE_PACKAGE, PROJECT_TYPES_ENTRY_POINT, PROJECT_TYPE_NAMES);
  } catch (error) {
    // A file it cannot read is left to the TypeScript compiler, which says what is wrong with it.
    if (error instanceof ProjenrcError) {
      return projenrc;
    }
    throw error;
  }
}

/**
 * Keeps `.projenrc.ts` importing the project types from {@link PROJECT_TYPES_ENTRY_POINT}: the
 * file `projen new` writes, and the file of an existing repository on its first synth with this
 * template version (so a fleet upgrade commits the change with the rest). Both import lines
 * work; the new one makes the build's type check of `.projenrc.ts` cheaper.
 */
export class ProjenrcImport extends Component {
  /** Writes the new import line on every synth of an existing repository. */
  public synthesize(): void {
    this.update();
  }

  /** `projen new` writes `.projenrc.ts` after the synth of the files: the import changes then. */
  public projectCreation(_initProject: InitProject): void {
    this.update();
  }

  private update(): void {
    const projenrc = this.project.components.find((component): component is typescript.Projenrc => component instanceof typescript.Projenrc);
    const file = projenrc && path.join(this.project.outdir, projenrc.filePath);
    if (!file || !fs.existsSync(file)) {
      return;
    }
    const before = fs.readFileSync(file, 'utf8');
    const after = importProjectTypesEntryPoint(before);
    if (after !== before) {
      fs.writeFileSync(file, after);
      this.project.logger.info(`${projenrc.filePath}: the project types are imported from ${PROJECT_TYPES_ENTRY_POINT}`);
    }
  }
}
