#!/usr/bin/env node
// Feed explorer benchmark (part of `npm run bench`): a feed with 2,000 packages, one of them with
// 10,000 versions, on a loopback V3 server in another process. Lists every package page (search,
// 100 a page) and all versions of the big package (registration: 157 pages of 64, parsed and
// sorted newest first), while a 1 ms timer measures the longest time the event loop was blocked.
// Target: no synchronous step over 50 ms.
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(process.execPath, [join(root, 'scripts', 'bench-explorer-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
const index = await new Promise((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
const { ConditionalFetcher } = await import(join(root, 'out', 'src', 'core', 'http', 'conditionalFetch.js'));
const { discover } = await import(join(root, 'out', 'src', 'core', 'feeds', 'serviceIndex.js'));
const { feedPackages, packageVersions } = await import(join(root, 'out', 'src', 'core', 'feeds', 'explorerModel.js'));

let last = performance.now();
let worst = 0;
const timer = setInterval(() => {
  const now = performance.now();
  worst = Math.max(worst, now - last);
  last = now;
}, 1);

async function measure(label, work) {
  await new Promise((resolve) => setTimeout(resolve, 50));
  last = performance.now();
  worst = 0;
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms total   longest blocked step ${worst.toFixed(1).padStart(5)} ms   ${result}`);
  return worst;
}

const fetcher = new ConditionalFetcher();
const feedIndex = await discover(index);
console.log('\nexplorer: 2,000 packages, one with 10,000 versions, loopback V3 server in another process');
const steps = [];
steps.push(await measure('packages: every page of 100 (20 pages)', async () => {
  let count = 0;
  for (let skip = 0; skip !== undefined; ) {
    const page = await feedPackages(fetcher, feedIndex, '', skip);
    count += page.items.length;
    skip = page.next;
  }
  return `${count} packages`;
}));
steps.push(await measure('versions of Bench.Huge (registration, sorted)', async () => {
  const versions = await packageVersions(fetcher, feedIndex, 'Bench.Huge');
  return `${versions.length} versions, newest ${versions[0].version}, ${versions.filter((v) => !v.listed).length} unlisted`;
}));
steps.push(await measure('versions again (ETag: 304s)', async () => {
  const versions = await packageVersions(fetcher, feedIndex, 'Bench.Huge');
  return `${versions.length} versions, ${fetcher.notModified} answers were 304`;
}));
clearInterval(timer);
child.kill();
const longest = Math.max(...steps);
console.log(`longest synchronous step: ${longest.toFixed(1)} ms (target ≤ 50 ms): ${longest <= 50 ? 'met' : 'NOT met'}`);
process.exitCode = longest <= 50 ? 0 : 1;
