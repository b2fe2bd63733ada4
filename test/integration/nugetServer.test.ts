/** Publishing to and reading from the real nuget-server 1.11.0 on 127.0.0.1. */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NuGetPublisherError } from '../../src/core/errors';
import { discover, hasResource, resourceUrl } from '../../src/core/feeds/serviceIndex';
import { packNuspec } from '../../src/core/pack/packNuspec';
import { publishToNugetServer, type BasicCredentials } from '../../src/core/publish/nugetServerPublish';
import { dotnetFixtures } from '../helpers/dotnetFixtures';
import { tempDir } from '../helpers/temp';
import { startNugetServer, type NugetServer } from '../servers/nugetServer';

const ALICE: BasicCredentials = { username: 'alice', password: 'Publisher-Pass-2026!' };
const BOB: BasicCredentials = { username: 'bob', password: 'Reader-Pass-2026!' };

describe('nuget-server 1.11.0', () => {
  let server: NugetServer;
  before(async () => {
    server = await startNugetServer({ users: [{ ...ALICE, role: 'publish' }, { ...BOB, role: 'read' }] });
  });
  after(async () => server?.stop());

  const publish = (credentials: BasicCredentials | undefined, packagePath = dotnetFixtures().core, base = server.base): ReturnType<typeof publishToNugetServer> =>
    publishToNugetServer({ packagePath, base, credentials, id: 'Contoso.Core', version: '2.0.0', feedName: 'nuget-server' });

  async function refusal(promise: Promise<unknown>): Promise<NuGetPublisherError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof NuGetPublisherError, String(error));
      assert.ok(!error.message.includes(ALICE.password) && !error.message.includes(BOB.password), 'no secret in the message');
      return error;
    }
    assert.fail('expected a refusal');
  }

  it('its service index (array @type) is read; it has no PackagePublish, which is named as read-only', async () => {
    const index = await discover(server.index);
    assert.ok(resourceUrl(index, 'registrations').startsWith(server.base));
    assert.ok(resourceUrl(index, 'packageBase').startsWith(server.base));
    assert.equal(hasResource(index, 'publish'), false);
    assert.throws(() => resourceUrl(index, 'publish'), /read-only/);
  });

  it('publishes, then the package is in the flat container and in search', async () => {
    const result = await publish(ALICE);
    assert.equal(result.outcome, 'created');
    const index = await discover(server.index);
    const versions = await (await fetch(`${resourceUrl(index, 'packageBase')}contoso.core/index.json`)).json() as { versions: string[] };
    assert.deepEqual(versions.versions, ['2.0.0']);
    const search = await (await fetch(`${resourceUrl(index, 'search')}?q=Contoso&prerelease=true&semVerLevel=2.0.0`)).json() as { data: { id: string; version: string }[] };
    assert.ok(search.data.some((item) => item.id === 'Contoso.Core' && item.version === '2.0.0'), JSON.stringify(search));
  });

  it('a duplicate is kept as it was and reported', async () => {
    const again = await publish(ALICE);
    assert.equal(again.outcome, 'skipped-duplicate');
    assert.match(again.notes.join(' '), /already has Contoso\.Core 2\.0\.0/);
  });

  it('wrong credentials, a read-only user and no credentials are clear refusals', async () => {
    assert.equal((await refusal(publish({ username: 'alice', password: 'wrong' }))).code, 'NP2401');
    assert.equal((await refusal(publish(BOB))).code, 'NP2403');
    assert.equal((await refusal(publish(undefined))).code, 'NP2401');
  });

  it('an oversize package is refused with 413', async () => {
    const small = await startNugetServer({ users: [{ ...ALICE, role: 'publish' }], maxUploadMb: 1 });
    try {
      const root = tempDir();
      mkdirSync(join(root, 'bin'));
      writeFileSync(join(root, 'bin', 'big.bin'), randomBytes(2 * 1024 * 1024));
      writeFileSync(join(root, 'Big.nuspec'), '<package><metadata><id>Contoso.Big</id><version>1.0.0</version><authors>a</authors><description>d</description></metadata><files><file src="bin/big.bin" target="tools" /></files></package>');
      const big = await packNuspec({ nuspecPath: join(root, 'Big.nuspec') });
      const error = await refusal(publishToNugetServer({ packagePath: big.packagePath, base: small.base, credentials: ALICE, id: 'Contoso.Big', version: '1.0.0', feedName: 'nuget-server' }));
      assert.equal(error.code, 'NP2413');
    } finally {
      await small.stop();
    }
  });
});
