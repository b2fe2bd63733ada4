/**
 * Package signatures read by us and by NuGet's own `dotnet nuget verify --all -v n`, field by
 * field, on every package of the real-package corpus (all of them carry nuget.org's repository
 * signature, about half an author signature too): type, signer subject and issuer, certificate
 * SHA-256, validity, timestamp time and authority, service index and owners. Unsigned packages
 * give []; a package changed after signing is caught by us (NP0092) as by NuGet (NU3008).
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import JSZip from 'jszip';
import { inspectPackageFile } from '../../src/core/inspect';
import type { SignatureInfo } from '../../src/core/nupkg/signatures';
import { runCliAsync } from '../helpers/cli';
import { corpusPackages, type CorpusPackage } from '../helpers/corpus';
import { makePackage } from '../helpers/makePackage';
import { tempDir } from '../helpers/temp';

const execFileAsync = promisify(execFile);

interface VerifiedSignature {
  type: string;
  subject?: string;
  sha256?: string;
  issuer?: string;
  validFrom?: string;
  validTo?: string;
  timestamp?: string;
  timestampAuthority?: string;
  serviceIndex?: string;
  owners?: string[];
}

/** `dotnet nuget verify --all -v n` for many packages at once, in UTC; output and exit code. */
async function verify(paths: readonly string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('dotnet', ['nuget', 'verify', '--all', '-v', 'n', ...paths], { env: { ...process.env, TZ: 'UTC', DOTNET_NOLOGO: '1' }, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: unknown; killed?: boolean; signal?: string | null; message?: string; stdout: string; stderr: string };
    // dotnet is the reference: not running it to its own end fails the test, never compares.
    if (typeof failed.code !== 'number' || failed.killed || failed.signal) {
      throw new Error(`the reference tool did not run to its own end (dotnet nuget verify): ${failed.message ?? String(error)}; install the .NET SDK (see README)`);
    }
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** NuGet's report, per package path: the signatures in the order it prints them. */
function parseVerify(output: string, paths: readonly string[]): Map<string, VerifiedSignature[]> {
  const reports = new Map<string, VerifiedSignature[]>();
  let current: VerifiedSignature[] | undefined;
  let signature: VerifiedSignature | undefined;
  let certificateFor: 'signer' | 'timestamp' = 'signer';
  for (const raw of output.split('\n')) {
    const line = raw.trimEnd();
    if (paths.includes(line.trim())) {
      current = [];
      reports.set(line.trim(), current);
      continue;
    }
    const field = /^\s*([A-Za-z0-9 ]+): (.*)$/.exec(line);
    if (!current || !field) {
      continue;
    }
    const [, name, value] = field;
    if (name === 'Signature type') {
      signature = { type: value.toLowerCase() };
      current.push(signature);
      certificateFor = 'signer';
    } else if (!signature) {
      continue;
    } else if (name === 'Service index') {
      signature.serviceIndex = value;
    } else if (name === 'Owners') {
      signature.owners = value.split(', ');
    } else if (name === 'Timestamp') {
      signature.timestamp = value;
      certificateFor = 'timestamp';
    } else if (name === 'Subject Name') {
      if (certificateFor === 'signer') {
        signature.subject = value;
      } else {
        signature.timestampAuthority = value;
      }
    } else if (certificateFor === 'signer' && name === 'SHA256 hash') {
      signature.sha256 = value;
    } else if (certificateFor === 'signer' && name === 'Issued by') {
      signature.issuer = value;
    } else if (certificateFor === 'signer' && name === 'Valid from') {
      [signature.validFrom, signature.validTo] = value.split(' to ');
    }
  }
  return reports;
}

/** .NET's invariant "MM/dd/yyyy HH:mm:ss" in UTC, as dotnet prints dates with TZ=UTC. */
function dotnetDate(iso: string | undefined): string | undefined {
  if (!iso) {
    return undefined;
  }
  const date = new Date(iso);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())}/${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
}

function asVerified(signature: SignatureInfo): VerifiedSignature {
  return {
    type: signature.type,
    subject: signature.subject,
    sha256: signature.sha256,
    issuer: signature.issuer,
    validFrom: dotnetDate(signature.validFrom),
    validTo: dotnetDate(signature.validTo),
    timestamp: dotnetDate(signature.timestamp),
    timestampAuthority: signature.timestampAuthority,
    ...(signature.serviceIndex ? { serviceIndex: signature.serviceIndex } : {}),
    ...(signature.owners ? { owners: [...signature.owners] } : {}),
  };
}

describe('signatures: ours against dotnet nuget verify', () => {
  let corpus: CorpusPackage[];
  before(() => {
    corpus = corpusPackages();
  });

  it('every signature of every corpus package, field by field, and the content still matches what was signed', async () => {
    const paths = corpus.map((entry) => entry.path);
    const { code, output } = await verify(paths);
    assert.equal(code, 0, output.slice(-2000));
    const nuget = parseVerify(output, paths);
    assert.equal(nuget.size, paths.length, 'dotnet reported every package');
    let signatures = 0;
    let authors = 0;
    for (const path of paths) {
      const inspection = await inspectPackageFile(path);
      await inspection.pkg.close();
      const expected = nuget.get(path)!;
      assert.deepEqual(inspection.signature.signatures.map(asVerified), expected, path);
      assert.equal(inspection.signature.content, 'matches', path);
      assert.ok(!inspection.diagnostics.some((diagnostic) => diagnostic.code.startsWith('NP009')), path);
      signatures += expected.length;
      authors += expected.filter((signature) => signature.type === 'author').length;
    }
    assert.ok(paths.length >= 10 && authors >= 10, `${paths.length} packages, ${authors} author signatures`);
    assert.ok(signatures >= paths.length + authors, 'a repository signature or countersignature on each');
  });

  it('inspect --json: the signatures field as the issue gives it, [] for an unsigned package', async () => {
    const signed = corpus.find((entry) => entry.id.toLowerCase() === 'newtonsoft.json') ?? corpus[0];
    const json = JSON.parse((await runCliAsync(['inspect', signed.path, '--json'])).stdout) as { signatures: Record<string, unknown>[]; signedContent: string };
    assert.ok(json.signatures.length >= 1);
    for (const signature of json.signatures) {
      for (const key of ['type', 'subject', 'issuer', 'sha256', 'validFrom', 'validTo', 'timestamp']) {
        assert.equal(typeof signature[key], 'string', `${key} in ${JSON.stringify(signature)}`);
      }
      assert.match(String(signature.sha256), /^[0-9A-F]{64}$/);
    }
    assert.equal(json.signedContent, 'matches');
    const unsigned = makePackage(tempDir(), 'Contoso.Unsigned', '1.0.0');
    const plain = JSON.parse((await runCliAsync(['inspect', unsigned, '--json'])).stdout) as { signatures: unknown[]; signedContent: string };
    assert.deepEqual(plain.signatures, []);
    assert.equal(plain.signedContent, 'unsigned');
    const nuget = await verify([unsigned]);
    assert.match(nuget.output, /NU3004: The package is not signed/, 'NuGet agrees it is unsigned');
  });

  it('a file changed after signing: NP0092 from us, NU3008 from NuGet', async () => {
    const original = corpus.find((entry) => entry.id.toLowerCase() === 'newtonsoft.json') ?? corpus[0];
    const tampered = join(tempDir(), 'tampered.nupkg');
    copyFileSync(original.path, tampered);
    const zip = await JSZip.loadAsync(readFileSync(tampered));
    const nuspec = Object.keys(zip.files).find((name) => name.endsWith('.nuspec'))!;
    zip.file(nuspec, (await zip.file(nuspec)!.async('string')).replace('</description>', ' (changed)</description>'));
    // The signature file stays stored (uncompressed) and last, as NuGet requires; only the nuspec changed.
    zip.file('.signature.p7s', await zip.file('.signature.p7s')!.async('nodebuffer'), { compression: 'STORE' });
    writeFileSync(tampered, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const inspection = await inspectPackageFile(tampered);
    await inspection.pkg.close();
    assert.equal(inspection.signature.content, 'changed');
    assert.ok(inspection.diagnostics.some((diagnostic) => diagnostic.code === 'NP0092' && diagnostic.severity === 'error'));
    const nuget = await verify([tampered]);
    assert.notEqual(nuget.code, 0);
    assert.match(nuget.output, /NU3008/);
  });

  it('a hostile .signature.p7s (garbage, truncated, nested 100,000 deep, not SignedData) is error NP0090, never a crash', async () => {
    const real = await JSZip.loadAsync(readFileSync((corpus.find((entry) => entry.id.toLowerCase() === 'newtonsoft.json') ?? corpus[0]).path));
    const signature = await real.file('.signature.p7s')!.async('nodebuffer');
    const nested = Buffer.concat([Buffer.alloc(200_000, Buffer.from([0x30, 0x80])), Buffer.alloc(200_000, 0)]);
    const cases: [string, Buffer][] = [
      ['garbage', Buffer.from('not a signature at all')],
      ['truncated', signature.subarray(0, signature.length >> 1)],
      ['nested', nested],
      ['a certificate, not SignedData', Buffer.from([0x30, 0x03, 0x06, 0x01, 0x00])],
    ];
    for (const [name, bytes] of cases) {
      const zip = new JSZip();
      const base = await JSZip.loadAsync(readFileSync(makePackage(tempDir(), 'Contoso.Hostile', '1.0.0')));
      for (const entry of Object.values(base.files)) {
        zip.file(entry.name, await entry.async('nodebuffer'));
      }
      zip.file('.signature.p7s', bytes, { compression: 'STORE' });
      const path = join(tempDir(), `hostile-${name.replace(/\W+/g, '-')}.nupkg`);
      writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
      const inspection = await inspectPackageFile(path);
      await inspection.pkg.close();
      const finding = inspection.diagnostics.find((diagnostic) => diagnostic.code === 'NP0090');
      assert.ok(finding && /is not a readable NuGet signature/.test(finding.message), `${name}: ${JSON.stringify(inspection.diagnostics)}`);
      assert.deepEqual(inspection.signature.signatures, [], name);
    }
  });
});
