import { Component, Project, TextFile } from 'projen';
import { managedFile } from './managed-file';
import { DomainSettings } from '../domain/domain-settings';

/**
 * The template-managed code of a domain repository, regenerated on every synth: the CDK app entry
 * point `src/main.ts` (a `DomainApp` from the domain settings and the contracts) and the governance
 * tests `test/governance.test.ts` that every domain runs.
 */
export class DomainAppSource extends Component {
  /** `src/main.ts`. */
  public readonly main: TextFile;

  /** `test/governance.test.ts`. */
  public readonly governanceTest: TextFile;

  constructor(project: Project, settings: DomainSettings) {
    super(project);
    this.main = managedFile(project, 'src/main.ts', 'sdlf-domain/managed/main.ts.hbs', settings);
    this.governanceTest = managedFile(project, 'test/governance.test.ts', 'sdlf-domain/managed/governance.test.ts.hbs', settings);
  }
}
