import { spawn } from 'child_process';
import * as path from 'path';
import { exec } from '../../src/util/exec';
import { PACKAGE_ROOT } from '../support/packed-template';

// A command with a time limit runs in a process group of its own (so the limit stops what it
// started); when the process that started it is stopped, so is the group.
test('stopping the process that ran a limited command stops everything the command started', async () => {
  const marker = `sdlf-mesh-orphan-${process.pid}`;
  const script = [
    `const { exec } = require(${JSON.stringify(path.join(PACKAGE_ROOT, 'lib', 'util', 'exec.js'))});`,
    `exec('sh', ['-c', '"${process.execPath}" -e "setTimeout(() => {}, 60000)" ${marker} & wait'], { cwd: '/', timeoutMs: 60000 });`,
    "setTimeout(() => console.log('started'), 300);",
  ].join('\n');
  const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => parent.stdout.once('data', resolve));
  const running = async () => exec('pgrep', ['-f', marker], { cwd: '/' }).then((r) => r.stdout.trim() !== '', () => false);
  expect(await running()).toBe(true);

  parent.kill('SIGTERM');
  const code = await new Promise((resolve) => parent.once('exit', resolve));

  expect(code).toBe(143);
  expect(await running()).toBe(false);
});
