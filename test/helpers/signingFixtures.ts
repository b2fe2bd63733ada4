/**
 * A code signing setup made in the test, touching nothing on the machine: a test root CA and a
 * code signing certificate under it (openssl, in a temporary folder, a password-protected .pfx),
 * and a private view of the .NET SDK whose code signing trust bundle also holds the test root.
 * NuGet trusts only the bundle next to its own assembly (sdk/<version>/trustedroots on Linux), so
 * the view is the SDK folder hard-linked (no copy, no space) with its own trustedroots folder, and
 * its own copy of the small `dotnet` host. Put `dotnet` (the folder) first on PATH to use it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tempDir } from './temp';

export interface SigningFixture {
  /** A folder with a `dotnet` that trusts the test root; prepend it to PATH. */
  readonly dotnetFolder: string;
  readonly pfx: string;
  readonly password: string;
  /** The signing certificate's subject as .NET prints it, and its SHA-256 (uppercase hex). */
  readonly subject: string;
  readonly sha256: string;
  /** A HOME whose .NET CurrentUser\\My certificate store holds the signing certificate (with its key). */
  readonly storeHome: string;
  /** Removes the SDK view and the certificates now (the extension host does not run exit handlers). */
  remove(): void;
}

const EXTENSIONS = `[req]
distinguished_name=dn
[dn]
[ca]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[leaf]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=codeSigning
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
`;

function openssl(cwd: string, ...args: string[]): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The SDK `dotnet` runs here, and the folder that holds the host. */
function activeSdk(): { root: string; sdk: string } {
  const version = execFileSync('dotnet', ['--version'], { cwd: tempDir(), encoding: 'utf8' }).trim();
  const line = execFileSync('dotnet', ['--list-sdks'], { encoding: 'utf8' }).split('\n').find((candidate) => candidate.startsWith(`${version} [`));
  if (!line) {
    throw new Error(`dotnet ${version} is not in dotnet --list-sdks`);
  }
  const sdk = join(line.slice(line.indexOf('[') + 1, line.lastIndexOf(']')), version);
  return { root: dirname(dirname(sdk)), sdk };
}

function privateSdkView(trustedRootPem: string): string {
  const { root, sdk } = activeSdk();
  const view = tempDir();
  for (const entry of readdirSync(root)) {
    if (entry === 'dotnet') {
      copyFileSync(realpathSync(join(root, entry)), join(view, entry));
      execFileSync('chmod', ['755', join(view, entry)]);
    } else if (entry !== 'sdk') {
      symlinkSync(join(root, entry), join(view, entry));
    }
  }
  mkdirSync(join(view, 'sdk'));
  const linked = spawnSync('cp', ['-al', sdk, join(view, 'sdk')], { encoding: 'utf8' });
  if (linked.status !== 0) {
    throw new Error(`cannot hard-link the SDK into a private view (${linked.stderr.trim()}); the test needs ${sdk} and the temp folder on one file system`);
  }
  const trusted = join(view, 'sdk', basename(sdk), 'trustedroots');
  rmSync(trusted, { recursive: true, force: true });
  mkdirSync(trusted);
  writeFileSync(join(trusted, 'codesignctl.pem'), readFileSync(join(sdk, 'trustedroots', 'codesignctl.pem'), 'utf8') + trustedRootPem);
  copyFileSync(join(sdk, 'trustedroots', 'timestampctl.pem'), join(trusted, 'timestampctl.pem'));
  return view;
}

export function makeSigningFixture(): SigningFixture {
  const folder = tempDir();
  writeFileSync(join(folder, 'ext.cnf'), EXTENSIONS);
  const password = 'Test pfx password #1 "quoted"';
  openssl(folder, 'req', '-x509', '-newkey', 'rsa:2048', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-nodes', '-subj', '/CN=Contoso Test Root', '-config', 'ext.cnf', '-extensions', 'ca');
  openssl(folder, 'req', '-newkey', 'rsa:2048', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-nodes', '-subj', '/O=Contoso/CN=Contoso Test Signing', '-config', 'ext.cnf');
  openssl(folder, 'x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '20', '-extfile', 'ext.cnf', '-extensions', 'leaf');
  openssl(folder, 'pkcs12', '-export', '-out', 'leaf.pfx', '-inkey', 'leaf.key', '-in', 'leaf.pem', '-certfile', 'ca.pem', '-passout', `pass:${password}`);
  const sha256 = openssl(folder, 'x509', '-in', 'leaf.pem', '-noout', '-fingerprint', '-sha256').trim().replace(/^.*=/, '').replace(/:/g, '').toUpperCase();
  // .NET on Linux keeps CurrentUser\\My as ~/.dotnet/corefx/cryptography/x509stores/my/<SHA-1>.pfx (no password).
  const storeHome = tempDir();
  const store = join(storeHome, '.dotnet', 'corefx', 'cryptography', 'x509stores', 'my');
  mkdirSync(store, { recursive: true });
  const sha1 = openssl(folder, 'x509', '-in', 'leaf.pem', '-noout', '-fingerprint', '-sha1').trim().replace(/^.*=/, '').replace(/:/g, '').toUpperCase();
  openssl(folder, 'pkcs12', '-export', '-out', join(store, `${sha1}.pfx`), '-inkey', 'leaf.key', '-in', 'leaf.pem', '-passout', 'pass:');
  const dotnetFolder = privateSdkView(readFileSync(join(folder, 'ca.pem'), 'utf8'));
  return {
    dotnetFolder, pfx: join(folder, 'leaf.pfx'), password, subject: 'CN=Contoso Test Signing, O=Contoso', sha256, storeHome,
    // Hard links and copies only: removing them leaves the real SDK untouched.
    remove: () => [dotnetFolder, folder, storeHome].forEach((path) => rmSync(path, { recursive: true, force: true })),
  };
}
