import { spawn } from 'child_process';
import * as path from 'path';
import { CommandFailedError, CommandOutputTooLargeError, exec, OUTPUT_TAIL_BYTES, STDOUT_DATA_LIMIT_BYTES } from '../../src/util/exec';
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

/** A node script that writes `mebibytes` MiB of `x` lines to `stream`, then `last` on a line of its own, then exits with `code`. */
const printer = (stream: 'stdout' | 'stderr', mebibytes: number, last: string, code = 0) =>
  `const line = Buffer.alloc(1024 * 1024, 'x'); line[line.length - 1] = 10; let left = ${mebibytes};` +
  `const write = () => { while (left > 0) { left--; if (!process.${stream}.write(line)) { process.${stream}.once('drain', write); return; } }` +
  ` process.${stream}.write(${JSON.stringify(last + '\n')}, () => process.exit(${code})); }; write();`;

test('a command that prints 200 MiB to its log keeps the last MiB of it, and says how much it dropped', async () => {
  const result = await exec(process.execPath, ['-e', printer('stdout', 200, 'the last line')], { cwd: '/', stdout: 'log' });

  const dropped = 200 * 1024 * 1024 + 'the last line\n'.length - OUTPUT_TAIL_BYTES;
  expect(result.droppedBytes).toBe(dropped);
  expect(result.stdout.split('\n')[0]).toBe('… 199 MiB of output dropped');
  expect(result.stdout.endsWith('xxx\nthe last line\n')).toBe(true);
  expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(OUTPUT_TAIL_BYTES + 100);
});

test('a failed command\'s error has the last lines of its log and what was dropped of it', async () => {
  const error = await exec(process.execPath, ['-e', printer('stderr', 20, 'npm error: the reason', 3)], { cwd: '/' }).catch((e) => e);

  expect(error).toBeInstanceOf(CommandFailedError);
  expect(error.droppedBytes).toBe(20 * 1024 * 1024 + 'npm error: the reason\n'.length - OUTPUT_TAIL_BYTES);
  expect(error.message).toMatch(/failed \(exit code 3\):\n… 19 MiB of output dropped\n(x+\n)+npm error: the reason$/);
  expect(error.output.length).toBeLessThanOrEqual(OUTPUT_TAIL_BYTES + 100);
});

test('standard output read as data is never cut: a command that prints more than the limit is stopped and fails', async () => {
  const mebibytes = STDOUT_DATA_LIMIT_BYTES / 1024 / 1024 + 1;
  const error = await exec(process.execPath, ['-e', printer('stdout', mebibytes, 'end')], { cwd: '/' }).catch((e) => e);

  expect(error).toBeInstanceOf(CommandOutputTooLargeError);
  expect(error.message).toMatch(/was stopped: it printed more than 64 MiB/);
});
