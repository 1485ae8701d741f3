/**
 * The platform's peak memory while a child it runs prints a gigabyte, as a domain's
 * `postinstall` may: with the child's output read as a log (a repository's install, synth and
 * build), only its last MiB is kept. Prints the child's output size, what was kept and dropped,
 * the time, and the platform's peak resident memory before and after.
 *
 * Run: npx ts-node --project test/tsconfig.json bench/child-output.ts [--mebibytes 1024]
 */
import { parseArgs } from 'util';
import { byteSize, exec } from '../src/util/exec';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mebibytes: { type: 'string', default: '1024' } } });
  const mebibytes = Number(values.mebibytes);
  // Written as fast as the pipe takes it, in 1 MiB lines.
  const printer = `const line = Buffer.alloc(1024 * 1024, 'x'); line[line.length - 1] = 10; let left = ${mebibytes};` +
    "const write = () => { while (left-- > 0) { if (!process.stdout.write(line)) { process.stdout.once('drain', write); return; } } }; write();";
  const before = process.resourceUsage().maxRSS * 1024;
  const started = Date.now();
  const result = await exec(process.execPath, ['-e', printer], { cwd: process.cwd(), stdout: 'log' });
  const seconds = (Date.now() - started) / 1000;
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(`sdlf-mesh bench: a child printing ${byteSize(mebibytes * 1024 * 1024)} (node ${process.version})`);
  console.log(`kept ${byteSize(Buffer.byteLength(result.stdout))}, dropped ${byteSize(result.droppedBytes ?? 0)}, in ${seconds.toFixed(1)} s`);
  console.log(`platform peak resident memory: ${byteSize(before)} before, ${byteSize(peak)} after (+${byteSize(peak - before)})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
