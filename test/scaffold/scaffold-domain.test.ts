import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scaffoldDomain, templateSpecFrom } from '../../src/scaffold/scaffold-domain';

const base = { domain: 'sales', owner: 'sales-data@example.com', from: 'sdlf-mesh@1.0.0' };

test('a bad domain is refused before the folder is created', async () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scaffold-')), 'Sales_EU');
  await expect(scaffoldDomain({ ...base, domain: 'Sales_EU', dir })).rejects.toThrow(/Invalid option "domain": "Sales_EU"/);
  expect(fs.existsSync(dir)).toBe(false);
});

test('a folder that holds anything is refused and left as it was', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaffold-'));
  fs.writeFileSync(path.join(dir, 'notes.md'), 'ours\n');
  await expect(scaffoldDomain({ ...base, dir })).rejects.toThrow(/Invalid option "dir": .* exists and is not empty; give a new or empty folder/);
  expect(fs.readdirSync(dir)).toEqual(['notes.md']);
});

test('a tarball path becomes the file: spec projen new needs; an npm spec stays as it is', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaffold-'));
  const tarball = path.join(dir, 'sdlf-mesh-1.0.0.tgz');
  fs.writeFileSync(tarball, '');
  expect(templateSpecFrom(tarball)).toBe(`sdlf-mesh@file:${tarball}`);
  expect(templateSpecFrom(path.relative(process.cwd(), tarball))).toBe(`sdlf-mesh@file:${tarball}`);
  expect(templateSpecFrom('sdlf-mesh@^1.2.0')).toBe('sdlf-mesh@^1.2.0');
});

test('a tarball that does not exist is refused with the forms that work', () => {
  expect(() => templateSpecFrom('/nowhere/sdlf-mesh-1.0.0.tgz')).toThrow(
    /Invalid option "from": \/nowhere\/sdlf-mesh-1\.0\.0\.tgz does not exist; give an npm spec such as sdlf-mesh@1\.0\.0 or the path of a tarball/,
  );
});
