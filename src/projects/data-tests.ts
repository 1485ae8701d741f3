import * as fs from 'fs';
import * as path from 'path';
import { Component, javascript, SampleDir, Task } from 'projen';
import type { DomainContracts } from './domain-contracts';
import { DATA_TEST_DIR, sampleCsv } from '../contract/sample-rows';

/** The task that runs each data product's pipeline on its samples and tests the tables. */
export const DATA_TEST_TASK = 'test:data';

/**
 * The data test of a domain repository: `npx projen test` (and so the build and the pull-request
 * workflow) ends with `sdlf-mesh pipeline test`, which delivers each sample under
 * `test/data/<data product>/` to the data product's pipeline, offline, and tests what lands in
 * the tables against the contract. A transform that breaks the contract fails the build with the
 * check's name and counts.
 *
 * A new data product (one whose stage code `npx projen` is about to write) gets a sample made from
 * its contract, `test/data/<data product>/<table>.csv` (see `sampleCsv`): the team's file once
 * written, to replace with real deliveries. A data product whose stage code is already there gets
 * none: its transform was written for its real deliveries, which a sample made from the contract
 * is not. The folder is written only when it does not exist, so a team that removes it keeps it
 * removed.
 */
export class DataTests extends Component {
  /** The task, spawned by the test task. */
  public readonly task: Task;

  /** The sample folders this synth writes, by path in the project (new data products only). */
  public readonly sampleDirs: string[] = [];

  constructor(project: javascript.NodeProject, contracts: DomainContracts) {
    super(project);
    for (const contract of contracts._contracts) {
      const table = contract.objects[0];
      const stageCode = path.join(project.outdir, 'src', 'stages', contract.dataProduct);
      if (!table?.name || contract.stages.length === 0 || fs.existsSync(stageCode)) {
        continue;
      }
      const dir = `${DATA_TEST_DIR}/${contract.dataProduct}`;
      new SampleDir(project, dir, { files: { [`${table.name}.csv`]: sampleCsv(table) } });
      this.sampleDirs.push(dir);
    }
    this.task = project.addTask(DATA_TEST_TASK, {
      description: `Run each data product's pipeline on its samples (${DATA_TEST_DIR}/<data product>/), offline, and test the tables against the contract`,
      exec: 'sdlf-mesh pipeline test',
      receiveArgs: true,
    });
    project.testTask.spawn(this.task);
    // What the runs write (see `sdlf-mesh pipeline test --out`).
    project.gitignore.exclude('/.sdlf/pipeline-test/');
  }
}
