/**
 * Builds the catalog of a mesh of 200 domains with 10 data products each (working-tree folders
 * of the sample contract under other names, each granted to two other domains) and prints the
 * time and the peak memory: what a platform team's nightly catalog build costs.
 *
 * Run: npx projen bench
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildCatalog, localSources } from '../src/catalog';
import { renderSampleContract } from '../src/projects/domain-samples';

const DOMAINS = 200;
const PRODUCTS = 10;
const LIMIT_MS = 10_000;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-catalog-'));
const domain = (i: number) => `domain-${String(i).padStart(3, '0')}`;
const dirs = Array.from({ length: DOMAINS }, (_, d) => {
  const dir = path.join(root, domain(d));
  fs.mkdirSync(path.join(dir, 'dataproducts'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.projenrc.ts'), `new SdlfDomainProject({ domain: '${domain(d)}' });\n`);
  for (let p = 0; p < PRODUCTS; p++) {
    const consumers = [domain((d + 1) % DOMAINS), domain((d + 7 + p) % DOMAINS)]
      .map((consumer) => `      - domain: ${consumer}\n        access: select\n`)
      .join('');
    const text = renderSampleContract(domain(d), `@acme/team-${d}`, `product_${p}`).replace('    value: []', `    value:\n${consumers}`);
    fs.writeFileSync(path.join(dir, 'dataproducts', `product_${p}.yaml`), text);
  }
  return dir;
});

(async () => {
  const out = path.join(root, 'site');
  const start = process.hrtime.bigint();
  const { catalog, files } = await buildCatalog({ sources: localSources(dirs), out });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  const siteMiB = files.reduce((sum, file) => sum + fs.statSync(path.join(out, file)).size, 0) / 1024 / 1024;
  fs.rmSync(root, { recursive: true, force: true });

  if (catalog.products.length !== DOMAINS * PRODUCTS || catalog.problems.length > 0) {
    throw new Error(`expected ${DOMAINS * PRODUCTS} data products and no problems, got ${catalog.products.length} and ${catalog.problems.length}`);
  }
  console.log(`sdlf-mesh bench: catalog of ${DOMAINS} domains x ${PRODUCTS} data products`);
  console.log(`build (read, lint, render, write)   ${ms.toFixed(0).padStart(6)} ms   (limit ${LIMIT_MS} ms)`);
  console.log(`peak RSS                            ${peakMiB.toFixed(0).padStart(6)} MiB`);
  console.log(`site                                ${String(files.length).padStart(6)} files, ${siteMiB.toFixed(1)} MiB, ${catalog.edges.length} grant edges`);
  if (ms > LIMIT_MS) {
    console.error(`the build took longer than ${LIMIT_MS} ms`);
    process.exitCode = 1;
  }
})();
