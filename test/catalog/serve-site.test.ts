import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { serveSite, SiteServer } from '../../src/catalog';

let root: string;
let site: SiteServer;

/** A raw request, so paths such as `/../x` reach the server as they are written. */
function request(pathname: string, method = 'GET'): Promise<{ status: number; type?: string; body: string }> {
  const url = new URL(site.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: pathname, method }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-'));
  const dir = path.join(root, 'site');
  fs.mkdirSync(path.join(dir, 'products'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<h1>index</h1>');
  fs.writeFileSync(path.join(dir, 'catalog.css'), 'body{}');
  fs.writeFileSync(path.join(dir, 'catalog.js'), '1');
  fs.writeFileSync(path.join(dir, 'catalog.json'), '{}');
  fs.writeFileSync(path.join(dir, 'products', 'sales orders.html'), 'orders');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'secret');
  fs.symlinkSync(path.join(root, 'secret.txt'), path.join(dir, 'link.txt'));
  site = await serveSite({ dir, port: 0 });
});

afterAll(async () => {
  await site.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('serves the site with content types, and a folder as its index.html', async () => {
  expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  expect(await request('/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: '<h1>index</h1>' });
  expect(await request('/catalog.css')).toMatchObject({ status: 200, type: 'text/css; charset=utf-8' });
  expect(await request('/catalog.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
  expect(await request('/catalog.json?x=1')).toMatchObject({ status: 200, type: 'application/json; charset=utf-8' });
  expect(await request('/products/sales%20orders.html')).toMatchObject({ status: 200, body: 'orders' });
  expect(await request('/index.html', 'HEAD')).toMatchObject({ status: 200, body: '' });
});

test('answers 404 for what is missing or outside the folder, and 405 for writes', async () => {
  expect((await request('/nope.html')).status).toBe(404);
  expect((await request('/products/')).status).toBe(404);
  for (const escape of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/products/..%2F..%2Fsecret.txt', '/link.txt', '/%00']) {
    const response = await request(escape);
    expect([escape, response.status]).toEqual([escape, 404]);
    expect(response.body).not.toContain('secret');
  }
  expect((await request('/index.html', 'POST')).status).toBe(405);
});
