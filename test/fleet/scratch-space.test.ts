import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalFleetHost } from '../../src/fleet/local-fleet-host';
import { upgradeFleet } from '../../src/fleet/upgrade-fleet';
import { processIdentity } from '../../src/util/process-identity';

// Each fleet run keeps its clones and packages in a scratch space named for its process; a run
// removes the scratch spaces that killed runs left, and never the one of a run that is alive.
test('a run removes what killed runs left, never the scratch space of a live run, even when a process ID was reused', async () => {
  const remotes = fs.mkdtempSync(path.join(os.tmpdir(), 'no-remotes-'));
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  try {
    const live = processIdentity(sleeper.pid!)!;
    const [pid, start] = live.split('.');
    const scratch = (owner: string) => fs.mkdtempSync(path.join(os.tmpdir(), `sdlf-mesh-upgrade-${owner}-`));
    const ofLiveRun = scratch(live);
    const ofReusedId = scratch(`${pid}.${Number(start) - 1}`);
    const exited = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => exited.once('exit', resolve));
    const ofKilledRun = scratch(`${exited.pid}.1`);
    const notOurs = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-mesh-upgrade-requests-'));

    const report = await upgradeFleet({ host: new LocalFleetHost([remotes]), target: { version: '1.0.0', templateVersion: '1.0.0', installSpec: 'sdlf-mesh@1.0.0' } });

    expect(report.repositories).toEqual([]);
    expect([ofLiveRun, ofReusedId, ofKilledRun, notOurs].map((dir) => fs.existsSync(dir))).toEqual([true, false, false, true]);
  } finally {
    sleeper.kill();
  }
});
