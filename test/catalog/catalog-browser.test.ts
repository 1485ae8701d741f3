// The catalog site in a real browser: the system's Chromium driven by playwright-core, against
// `sdlf-mesh catalog serve` run from the compiled command, as a user runs it.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import { createMesh, MeshFixture } from './mesh-fixture';
import { exec } from '../../src/util/exec';
import { PACKAGE_ROOT } from '../support/packed-template';

const CHROMIUM = '/usr/bin/chromium';
const CLI = path.join(PACKAGE_ROOT, 'lib', 'cli', 'main.js');
/** Screenshots, kept as test artifacts. */
const ARTIFACTS = path.join(PACKAGE_ROOT, 'test-reports', 'catalog');

if (!fs.existsSync(CHROMIUM)) {
  test.skip(`catalog in Chromium: skipped because ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`, () => undefined);
} else {
  describe('the catalog site in headless Chromium', () => {
    let mesh: MeshFixture;
    let server: ChildProcess;
    let url: string;
    let browser: Browser;
    let page: Page;

    const visibleCards = () => page.locator('#products > .card:visible');

    beforeAll(async () => {
      assertCompiled();
      mesh = await createMesh(fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-browser-')));
      const site = path.join(mesh.root, 'site');
      await exec(process.execPath, [CLI, 'catalog', 'build', ...mesh.sources, '--out', site], { cwd: mesh.root });
      ({ server, url } = await startServe(site));
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      fs.mkdirSync(ARTIFACTS, { recursive: true });
    });

    afterAll(async () => {
      await browser?.close();
      server?.kill();
      if (mesh) fs.rmSync(mesh.root, { recursive: true, force: true });
    });

    test('the index lists every data product, and search and filters narrow the list', async () => {
      await page.goto(`${url}index.html`);
      await expect(visibleCards().count()).resolves.toBe(mesh.products.length);
      const names = await page.locator('#products > .card h2').allTextContents();
      expect(names.map((name) => name.trim()).sort()).toEqual(mesh.products.map((id) => id.split('/')[1]).sort());
      await expect(page.locator('#shown').textContent()).resolves.toBe('7 of 7 data products');

      await page.fill('#search', 'invoice');
      await expect(visibleCards().locator('h2').allTextContents()).resolves.toEqual(['invoices']);
      await page.fill('#search', 'gold');
      await expect(visibleCards().locator('h2').allTextContents()).resolves.toEqual(['customers']);
      await page.fill('#search', 'nothing-is-called-this');
      await expect(visibleCards().count()).resolves.toBe(0);
      await expect(page.locator('#no-match').isVisible()).resolves.toBe(true);
      await page.fill('#search', '');

      await page.selectOption('select[name="domain"]', 'sales');
      await expect(visibleCards().locator('h2').allTextContents()).resolves.toEqual(['customers', 'orders']);
      await expect(page.locator('#shown').textContent()).resolves.toBe('2 of 7 data products');
      expect(new URL(page.url()).search).toBe('?domain=sales');
      await page.selectOption('select[name="domain"]', '');
      await page.selectOption('select[name="classification"]', 'internal');
      await expect(visibleCards().locator('h2').allTextContents()).resolves.toEqual(['ledger', 'campaigns']);
      await page.selectOption('select[name="status"]', 'retired');
      await expect(visibleCards().locator('h2').allTextContents()).resolves.toEqual(['ledger']);
      await page.screenshot({ path: path.join(ARTIFACTS, 'index-filtered.png'), fullPage: true });

      // A filtered address opens filtered.
      await page.goto(`${url}index.html?tag=accounting`);
      await expect(visibleCards().locator('h2').allTextContents()).resolves.toEqual(['ledger']);
    });

    test('without JavaScript the index shows every product and no dead filters', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const plain = await context.newPage();
      await plain.goto(`${url}index.html`);
      await expect(plain.locator('#products > .card:visible').count()).resolves.toBe(mesh.products.length);
      await expect(plain.locator('#filters').isVisible()).resolves.toBe(false);
      await context.close();
    });

    test('a product page marks the PII columns and gives the SQL and whom to ask', async () => {
      await page.goto(`${url}index.html`);
      await page.click('#products a:text-is("orders")');
      await page.waitForURL(/products\/sales\.orders\.html$/);
      const email = page.locator('tr[data-column="customer_email"]');
      await expect(email.locator('.pii-marker').isVisible()).resolves.toBe(true);
      await expect(email.locator('.pii-marker').textContent()).resolves.toBe('PII');
      await expect(page.locator('tr[data-column="order_total"] .pii-marker').count()).resolves.toBe(0);
      await expect(page.locator('tr[data-column="order_id"] abbr.pk').isVisible()).resolves.toBe(true);
      await expect(page.locator('pre.sql').textContent()).resolves.toBe('SELECT * FROM "sales_prod_orders"."orders" LIMIT 10;');
      await expect(page.locator('.contact').textContent()).resolves.toBe('@acme/sales-data');
      await page.screenshot({ path: path.join(ARTIFACTS, 'product-sales-orders.png'), fullPage: true });
    });

    test('the graph shows the domains and the grants between them', async () => {
      await page.goto(`${url}graph.html`);
      const svg = page.locator('svg.mesh');
      await expect(svg.isVisible()).resolves.toBe(true);
      await expect(svg.locator('path.edge').count()).resolves.toBe(6);
      for (const [from, to] of [
        ['sales', 'finance'],
        ['sales', 'marketing'],
        ['marketing', 'sales'],
        ['hr', 'payroll'],
      ]) {
        await expect(svg.locator(`path.edge[data-from="${from}"][data-to="${to}"]`).count()).resolves.toBe(1);
      }
      const labels = await svg.locator('.node text').allTextContents();
      expect(labels).toEqual(expect.arrayContaining(['finance', 'hr', 'logistics', 'marketing', 'sales', 'payroll', 'account 222222222222']));
      const box = await svg.boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      await page.screenshot({ path: path.join(ARTIFACTS, 'graph.png'), fullPage: true });
      expect(fs.statSync(path.join(ARTIFACTS, 'graph.png')).size).toBeGreaterThan(1000);
    });

    test('the problems page lists the broken contract and repositories', async () => {
      await page.goto(`${url}problems.html`);
      const rows = await page.locator('table.problems tbody tr').allTextContents();
      expect(rows).toHaveLength(4);
      expect(rows.join('\n')).toMatch(/broken\.yaml:10:9[\s\S]*"actve" is not a status of the lifecycle/);
      expect(rows.join('\n')).toContain('no branch main');
    });
  });
}

/** Starts `sdlf-mesh catalog serve` on a free port and resolves with the URL it prints. */
function startServe(dir: string): Promise<{ server: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const server = spawn(process.execPath, [CLI, 'catalog', 'serve', '--dir', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`catalog serve printed no URL:\n${output}`)), 15_000);
    const listen = (chunk: Buffer) => {
      output += chunk;
      const url = /(http:\/\/\S+\/)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ server, url });
      }
    };
    server.stdout!.on('data', listen);
    server.stderr!.on('data', (chunk) => (output += chunk));
    server.on('exit', (code) => reject(new Error(`catalog serve exited (${code}):\n${output}`)));
  });
}

/** The command under test is the compiled one: it must not be older than its sources. */
function assertCompiled(): void {
  const sources = ['cli/main.ts', 'cli/catalog-command.ts', ...fs.readdirSync(path.join(PACKAGE_ROOT, 'src', 'catalog')).map((file) => `catalog/${file}`)];
  for (const file of sources) {
    const compiled = path.join(PACKAGE_ROOT, 'lib', file.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(compiled) || fs.statSync(compiled).mtimeMs < fs.statSync(path.join(PACKAGE_ROOT, 'src', file)).mtimeMs) {
      throw new Error(`lib/${file.replace(/\.ts$/, '.js')} is older than its source: run \`npx projen compile\` before these tests`);
    }
  }
}
