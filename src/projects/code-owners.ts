import { Component, Project, TextFile } from 'projen';
import { managedFile } from './managed-file';
import { DomainSettings } from '../domain/domain-settings';

/** The files the template generates, which a platform team co-owns. */
const TEMPLATE_OWNED = ['/.github/', '/.projen/', '/src/main.ts', '/test/governance.test.ts'];

/**
 * `.github/CODEOWNERS`: the domain owner reviews every change; with a platform team, that team
 * also owns the files the template manages (workflows, projen's own files, the app entry point).
 */
export class CodeOwners extends Component {
  /** The CODEOWNERS file. */
  public readonly file: TextFile;

  constructor(project: Project, settings: DomainSettings) {
    super(project);
    const platformTeam = settings.githubOrg && settings.platformTeam ? `@${settings.githubOrg}/${settings.platformTeam}` : undefined;
    this.file = managedFile(project, '.github/CODEOWNERS', 'sdlf-domain/managed/CODEOWNERS.hbs', {
      owner: settings.owner,
      platformTeam,
      templateOwned: TEMPLATE_OWNED,
    });
  }
}
