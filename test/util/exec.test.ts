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

test('onOutput gets both streams as they come, whole characters across chunks, and the output is captured all the same', async () => {
  const seen: string[] = [];
  // A two-byte character split over two writes, and the second stream written after a pause.
  const script = "process.stdout.write(Buffer.from([0xc3])); setTimeout(() => { process.stdout.write(Buffer.from([0xa9, 0x0a])); process.stderr.write('two\\n'); }, 50);";
  const result = await exec(process.execPath, ['-e', script], { cwd: process.cwd(), onOutput: (text) => seen.push(text) });
  expect(seen.join('')).toBe('é\ntwo\n');
  expect(result).toEqual({ stdout: 'é\n', stderr: 'two\n' });
});
