// A V3 test server with 2,000 packages, one of them with 10,000 versions, in its own process (so
// its work does not count against the explorer's event loop). Prints the service index URL.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startV3Server } = await import(join(root, 'out', 'test', 'servers', 'v3Server.js'));
const server = await startV3Server();
for (let n = 0; n < 1999; n++) {
  server.catalog.add(`Bench.Package${String(n).padStart(4, '0')}`, ['1.0.0', '1.1.0'], { owners: ['bench'] });
}
const versions = [];
for (let major = 0; major < 100; major++) {
  for (let minor = 0; minor < 100; minor++) {
    versions.push({ version: `${major}.${minor}.${(major * minor) % 7}${minor % 10 === 0 ? '-beta.1' : ''}`, listed: minor % 13 !== 0 });
  }
}
server.catalog.add('Bench.Huge', versions, { owners: ['bench'] });
console.log(server.index);
