import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readUntrustedFile, UntrustedFileError, writeUntrustedFile } from '../../src/util/untrusted-file';

// A platform tool reads and writes files of a domain repository with more rights than the
// repository's author: a link must never make it read or write anything else.
let repo: string;
let secret: string;

beforeEach(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'untrusted-'));
  repo = path.join(dir, 'repo');
  secret = path.join(dir, 'platform-secret');
  fs.mkdirSync(path.join(repo, '.projen'), { recursive: true });
  fs.writeFileSync(secret, 'ghp_secret');
});

test('a regular file is read and written; a missing one reads as undefined', () => {
  fs.writeFileSync(path.join(repo, '.projenrc.ts'), 'old');
  writeUntrustedFile(repo, '.projenrc.ts', 'new');
  expect(readUntrustedFile(repo, '.projenrc.ts')).toBe('new');
  expect(readUntrustedFile(repo, 'missing.json')).toBeUndefined();
});

test('a link to a file, a linked folder on the way, a device and a file outside are refused, and the target is untouched', () => {
  fs.symlinkSync(secret, path.join(repo, '.projenrc.ts'));
  fs.symlinkSync(path.dirname(secret), path.join(repo, 'linked'));
  fs.symlinkSync('/dev/zero', path.join(repo, 'zero'));

  expect(() => readUntrustedFile(repo, '.projenrc.ts')).toThrow(new UntrustedFileError('.projenrc.ts', 'is a symbolic link, which is not followed: commit the file itself'));
  expect(() => writeUntrustedFile(repo, '.projenrc.ts', 'planted')).toThrow(UntrustedFileError);
  expect(() => readUntrustedFile(repo, 'linked/platform-secret')).toThrow('linked/platform-secret: linked is a symbolic link; it is not followed');
  expect(() => readUntrustedFile(repo, 'zero')).toThrow(/symbolic link/);
  expect(() => readUntrustedFile('/dev', 'zero')).toThrow('zero: is a device, not a regular file, so it is not read');
  expect(() => readUntrustedFile(repo, '../platform-secret')).toThrow(/outside the repository/);
  expect(fs.readFileSync(secret, 'utf8')).toBe('ghp_secret');
});

test('a file over the limit is refused without being read', () => {
  fs.writeFileSync(path.join(repo, 'big.json'), Buffer.alloc(2 * 1024 * 1024, 'x'));
  expect(() => readUntrustedFile(repo, 'big.json', 1024 * 1024)).toThrow('big.json: is 2 MiB; the limit is 1 MiB');
});
