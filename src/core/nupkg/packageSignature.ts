/**
 * A package's signature as the inspector and `inspect --json` show it: the signatures (primary
 * first, then a repository countersignature), whether the content still matches what was signed,
 * and findings for what is wrong (an unreadable signature, a file changed after signing).
 * The ASN.1 libraries load only for packages that carry a signature.
 */
import { describeError } from '../errors';
import type { Diagnostic } from '../validate/diagnostic';
import type { OpenedPackage } from './package';
import type { SignatureInfo, SignedContent } from './signatureTypes';
import { SIGNATURE_FILE } from './files';

/** A real signature is a few kB (certificate chains included); anything larger is not one. */
const MAX_SIGNATURE_BYTES = 1024 * 1024;

export interface SignatureReport {
  readonly signatures: readonly SignatureInfo[];
  readonly content: SignedContent;
  readonly diagnostics: readonly Diagnostic[];
}

export async function readPackageSignature(pkg: OpenedPackage): Promise<SignatureReport> {
  if (!pkg.hasFile(SIGNATURE_FILE)) {
    return { signatures: [], content: 'unsigned', diagnostics: [] };
  }
  try {
    const [{ readSignature }, { unsignedContentHash }] = await Promise.all([import('./signatures'), import('./signedContent')]);
    const signature = readSignature(await pkg.readFile(SIGNATURE_FILE, MAX_SIGNATURE_BYTES));
    const actual = signature.signedContent ? await unsignedContentHash(pkg.archive, signature.signedContent.algorithm) : undefined;
    const content = actual === undefined ? 'not checked' : actual === signature.signedContent?.hash ? 'matches' : 'changed';
    const diagnostics: Diagnostic[] = content === 'changed'
      ? [{ code: 'NP0092', severity: 'error', message: 'The package changed after it was signed: its content no longer matches the signature, so NuGet will refuse to install it. Pack and sign it again (a signed package cannot be edited).' }]
      : [];
    return { signatures: signature.signatures, content, diagnostics };
  } catch (error) {
    return { signatures: [], content: 'not checked', diagnostics: [{ code: 'NP0090', severity: 'error', message: describeError(error) }] };
  }
}
