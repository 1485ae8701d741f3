import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Component, JsonFile, Project } from 'projen';

/** Where the fingerprints of the template's samples are kept in a repository (managed). */
export const SAMPLE_FINGERPRINTS_FILE = '.projen/sdlf-samples.json';

/**
 * When set, a synth also writes the template's rendering of every sample file under this folder
 * (never into the repository), so that an upgrade can show what the new template would have
 * written where the domain team's file stays.
 */
export const SAMPLES_OUT_ENV = 'SDLF_MESH_SAMPLES_OUT';

/**
 * What the template renders for each sample file of a repository. Sample files are the domain
 * team's once written, so a template upgrade never changes them; this component keeps a managed
 * fingerprint (sha256) of each rendering in `.projen/sdlf-samples.json`, from which an upgrade
 * tells the samples a new template version changed, and writes the renderings themselves
 * somewhere else when asked (see {@link SAMPLES_OUT_ENV}).
 */
export class SampleRenderings extends Component {
  /**
   * @param renderings the template's contents of each sample file, by path in the repository
   */
  constructor(project: Project, private readonly renderings: Record<string, string>) {
    super(project);
    const fingerprints = Object.fromEntries(
      Object.entries(renderings)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([file, contents]) => [file, createHash('sha256').update(contents).digest('hex')]),
    );
    new JsonFile(project, SAMPLE_FINGERPRINTS_FILE, { obj: fingerprints });
  }

  public synthesize(): void {
    const out = process.env[SAMPLES_OUT_ENV];
    if (!out) {
      return;
    }
    for (const [file, contents] of Object.entries(this.renderings)) {
      const target = path.join(out, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, contents);
    }
  }
}
