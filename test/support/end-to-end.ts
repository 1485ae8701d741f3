/**
 * Set by `npx projen test:unit`, which runs every suite but the end-to-end ones: the files named
 * `*.e2e.test.ts`.
 */
export const UNIT_RUN_ENV = 'SDLF_MESH_UNIT_RUN';

/**
 * Stops a unit run that reaches for end-to-end work (packing this package, `projen new`, an
 * install from the registry), so that the fast inner loop stays fast: the suite that needs it is
 * an end-to-end one, and its file is named `*.e2e.test.ts` (`npx projen test` runs it).
 */
export function endToEndWork(work: string): void {
  if (process.env[UNIT_RUN_ENV]) {
    throw new Error(`${work} is end-to-end work, which npx projen test:unit leaves out: name the suite that needs it *.e2e.test.ts (npx projen test runs it)`);
  }
}
