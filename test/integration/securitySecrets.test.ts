/**
 * Security: no secret in any output. A hostile server echoes the key it received (reason phrase,
 * body, X-NuGet-Warning) and a source URL carries credentials; the CLI's stdout and stderr and the
 * core's errors must hold neither the key, nor the password, nor the Basic header built from them.
 */
import { strict as assert } from 'node:assert';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pushPackage } from '../../src/core/publish/push';
import { runCliMeasured } from '../helpers/cli';
import { makePackage } from '../helpers/makePackage';
import { startHostileServer, type HostileServer } from '../servers/hostileServer';
import { tempDir } from '../helpers/temp';

const KEY = 'oy2-secret-key-value-0123456789';
const PASSWORD = 'p@ss-w0rd-secret';

function assertNoSecret(text: string, ...secrets: string[]): void {
  for (const secret of [KEY, PASSWORD, ...secrets]) {
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) {
      assert.ok(!text.includes(form), `output holds a secret (${form.slice(0, 6)}…):\n${text}`);
    }
  }
}

describe('secrets never printed', () => {
  let server: HostileServer;
  let created: HostileServer;
  let pkg: string;
  before(async () => {
    server = await startHostileServer('echo-key');
    created = await startHostileServer('echo-key', { status: 201 });
    pkg = makePackage(tempDir(), 'Contoso.Secret', '1.0.0');
  });
  after(async () => {
    await server.close();
    await created.close();
  });

  it('push refused with the key echoed in reason, body and warning: the CLI prints none of it', async () => {
    const result = await runCliMeasured(['push', pkg, '--source', server.index], { env: { NUGET_API_KEY: KEY } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /NP2403/);
    assert.match(result.stderr, /\*\*\*/, 'the echoed key is shown masked');
    assertNoSecret(result.stdout + result.stderr);
  });

  it('push accepted with the key echoed in a warning header: masked', async () => {
    const result = await runCliMeasured(['push', pkg, '--source', created.index], { env: { NUGET_API_KEY: KEY } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warning from the server: The key \*\*\* expires soon/);
    assertNoSecret(result.stdout + result.stderr);
  });

  it('unlist refused with the key echoed: masked', async () => {
    const result = await runCliMeasured(['unlist', 'Contoso.Secret', '1.0.0', '--source', server.index], { env: { NUGET_API_KEY: KEY } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /NP2403/);
    assertNoSecret(result.stdout + result.stderr);
  });

  it('Basic credentials echoed back (password and the base64 header): masked', async () => {
    const result = await runCliMeasured(['push', pkg, '--source', server.index, '--user', 'alice'], { env: { NUGET_API_KEY: PASSWORD } });
    assert.equal(result.code, 2);
    assertNoSecret(result.stdout + result.stderr, `alice:${PASSWORD}`);
  });

  it('the core error itself holds no key, whoever prints it', async () => {
    await assert.rejects(pushPackage({ packagePath: pkg, url: `${server.base}/api/v2/package`, apiKey: KEY, id: 'Contoso.Secret', version: '1.0.0', feedName: 'hostile' }), (error: Error) => {
      assertNoSecret(`${error.message} ${error.stack ?? ''}`);
      return true;
    });
  });

  it('a source URL with user-info is never printed with its password (push, publish-plan)', async () => {
    const source = `http://alice:${PASSWORD}@127.0.0.1:9/v3/index.json`;
    const push = await runCliMeasured(['push', pkg, '--source', source]);
    assert.equal(push.code, 2);
    assert.match(push.stderr, /^NP3010: The source URL http:\/\/127\.0\.0\.1:9\/v3\/index\.json has credentials written into it/m);
    const plan = await runCliMeasured(['publish-plan', dirname(pkg), '--source', source, '--dry-run']);
    assert.equal(plan.code, 2, plan.stdout + plan.stderr);
    assert.match(plan.stderr, /^NP3010: /m);
    assertNoSecret(push.stdout + push.stderr + plan.stdout + plan.stderr);
  });
});
