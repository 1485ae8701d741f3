import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';

/** Reads a file of a synthesized project as text. */
export type FileReader = (file: string) => string;

/**
 * Synthesizes a project into its (temporary) outdir without the post-synthesis install, like
 * projen's `Testing.synth`, but keeps the files on disk so a test can edit them and synthesize again.
 */
export function synthesize(project: Project): FileReader {
  const disablePost = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    project.synth();
  } finally {
    if (disablePost === undefined) {
      delete process.env.PROJEN_DISABLE_POST;
    } else {
      process.env.PROJEN_DISABLE_POST = disablePost;
    }
  }
  return (file) => fs.readFileSync(path.join(project.outdir, file), 'utf8');
}
