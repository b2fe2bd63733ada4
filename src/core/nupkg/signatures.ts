/**
 * NuGet package signatures (`.signature.p7s`, a CMS SignedData; NuGet's "Package Signature"
 * spec), decoded with a maintained ASN.1 library (asn1js) rather than a DER parser of ours, and
 * walked along the CMS (RFC 5652), X.509 (RFC 5280) and timestamp (RFC 3161) structures. What
 * `dotnet nuget verify --all -v n` shows, field by field: the primary signature (author or
 * repository, from its commitment-type-indication), then a repository countersignature; for each
 * the signing certificate (subject and issuer as .NET prints them, SHA-256 fingerprint, validity),
 * the timestamp (time and the authority's subject) and, for repository signatures, the service
 * index and the owners. Also the signed content: the hash of the package without its signature
 * file, so a package changed after signing is caught without dotnet (see signedContent.ts).
 * (asn1js alone, not a schema library on top: it decodes a signature in ~12 ms where the schema
 * classes needed ~60 ms, which counts in the CLI's start-up.)
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { NuGetPublisherError } from '../errors';
import type { SignatureInfo } from './signatureTypes';

export type { SignatureInfo };

export interface PackageSignature {
  /** Primary signature first, then a repository countersignature. */
  readonly signatures: readonly SignatureInfo[];
  /** What the signature commits to: the package's hash without the signature file. */
  readonly signedContent?: { readonly algorithm: 'sha256' | 'sha384' | 'sha512'; readonly hash: string };
}

const OID = {
  commitmentType: '1.2.840.113549.1.9.16.2.16',
  proofOfOrigin: '1.2.840.113549.1.9.16.6.1',
  proofOfReceipt: '1.2.840.113549.1.9.16.6.2',
  serviceIndex: '1.3.6.1.4.1.311.84.2.1.1.1',
  owners: '1.3.6.1.4.1.311.84.2.1.1.2',
  timestampToken: '1.2.840.113549.1.9.16.2.14',
  counterSignature: '1.2.840.113549.1.9.6',
  signedData: '1.2.840.113549.1.7.2',
} as const;

const HASH_OIDS: Readonly<Record<string, 'sha256' | 'sha384' | 'sha512'>> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/**
 * The names .NET's X500DistinguishedName prints (the short X.500 keys, and on Linux OpenSSL's names
 * for the extended-validation attributes, as `dotnet nuget verify` shows them here); any other
 * attribute prints as OID.x.y.z.
 */
const NAME_KEYS: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN', '2.5.4.4': 'SN', '2.5.4.5': 'SERIALNUMBER', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'S',
  '2.5.4.9': 'STREET', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.12': 'T', '2.5.4.42': 'G', '2.5.4.43': 'I',
  '1.2.840.113549.1.9.1': 'E', '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'UID',
  '2.5.4.15': 'businessCategory', '2.5.4.17': 'PostalCode', '2.5.4.18': 'POBox',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionLocalityName', '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionStateOrProvinceName', '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionCountryName',
};

type Node = asn1js.AsnType;

/** The children of a constructed value (a SEQUENCE, a SET, a context-tagged wrapper). */
function children(node: Node | undefined): Node[] {
  const value = (node as asn1js.Constructed | undefined)?.valueBlock?.value;
  if (!Array.isArray(value)) {
    throw new Error('an element that should be constructed is not');
  }
  return value as Node[];
}

function isContext(node: Node | undefined, tag: number): boolean {
  return node?.idBlock.tagClass === 3 && node.idBlock.tagNumber === tag;
}

function decode(bytes: Uint8Array): Node {
  const parsed = asn1js.fromBER(bytes);
  if (parsed.offset === -1) {
    throw new Error(parsed.result.error || 'not DER');
  }
  return parsed.result;
}

function oid(node: Node | undefined): string {
  if (!(node instanceof asn1js.ObjectIdentifier)) {
    throw new Error('an object identifier was expected');
  }
  return node.valueBlock.toString();
}

/** The bytes of an OCTET STRING, primitive or constructed (BER allows both). */
function octets(node: Node | undefined): Uint8Array {
  if (!(node instanceof asn1js.OctetString)) {
    throw new Error('an octet string was expected');
  }
  return new Uint8Array(node.getValue());
}

function text(node: Node | undefined): string {
  const value = (node as { getValue?: () => unknown } | undefined)?.getValue?.();
  if (typeof value !== 'string') {
    throw new Error('a string was expected');
  }
  return value;
}

function time(node: Node | undefined): string {
  if (node instanceof asn1js.UTCTime || node instanceof asn1js.GeneralizedTime) {
    return node.toDate().toISOString();
  }
  throw new Error('a time was expected');
}

/** .NET quotes a value with separators, quotes or surrounding spaces, doubling inner quotes. */
function quoted(value: string): string {
  return /[,+="\n<>#;]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A distinguished name the way `dotnet nuget verify` prints it: most specific first, ", " between. */
export function formatName(name: Node): string {
  return children(name).reverse().map((rdn) => children(rdn).map((pair) => {
    const [type, value] = children(pair);
    const key = oid(type);
    return `${NAME_KEYS[key] ?? `OID.${key}`}=${quoted(text(value))}`;
  }).join(' + ')).join(', ');
}

interface CertificateView {
  readonly raw: Uint8Array;
  readonly serial: Uint8Array;
  readonly issuerRaw: Uint8Array;
  readonly issuer: Node;
  readonly subject: Node;
  readonly notBefore: Node;
  readonly notAfter: Node;
  readonly subjectKeyId?: Uint8Array;
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }; the fields we show. */
function certificateView(cert: Node): CertificateView {
  const tbs = children(children(cert)[0]);
  const at = isContext(tbs[0], 0) ? 1 : 0; // [0] EXPLICIT version, when not v1
  const [serial, , issuer, validity, subject] = tbs.slice(at);
  const [notBefore, notAfter] = children(validity);
  const extensions = tbs.find((field) => isContext(field, 3));
  const ski = extensions ? children(children(extensions)[0]).map(children).find((extension) => oid(extension[0]) === '2.5.29.14') : undefined;
  return {
    raw: cert.valueBeforeDecodeView,
    serial: (serial as asn1js.Integer).valueBlock.valueHexView,
    issuerRaw: issuer.valueBeforeDecodeView,
    issuer, subject, notBefore, notAfter,
    subjectKeyId: ski ? octets(decode(octets(ski[ski.length - 1]))) : undefined,
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

interface SignedDataView {
  readonly encapsulated: Node;
  readonly certificates: CertificateView[];
  readonly signers: Node[];
}

/** ContentInfo { contentType, [0] EXPLICIT SignedData { version, digestAlgorithms, encapContentInfo, [0] certificates, [1] crls, signerInfos } }. */
function signedData(contentInfo: Node): SignedDataView {
  const [type, content] = children(contentInfo);
  if (oid(type) !== OID.signedData) {
    throw new Error(`content type ${oid(type)} is not SignedData`);
  }
  const fields = children(children(content)[0]);
  const certificates = fields.find((field) => isContext(field, 0));
  return {
    encapsulated: fields[2],
    certificates: certificates ? children(certificates).filter((cert) => cert instanceof asn1js.Sequence).map(certificateView) : [],
    signers: children(fields[fields.length - 1]),
  };
}

interface SignerView {
  readonly sid: Node;
  readonly signed: Map<string, Node[]>;
  readonly unsigned: Map<string, Node[]>;
}

function attributes(node: Node | undefined): Map<string, Node[]> {
  const found = new Map<string, Node[]>();
  for (const attribute of node ? children(node) : []) {
    const [type, values] = children(attribute);
    found.set(oid(type), children(values));
  }
  return found;
}

/** SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1] unsignedAttrs }. */
function signerView(signer: Node): SignerView {
  const fields = children(signer);
  // After version, sid (itself [0] when it is a subject key identifier) and digestAlgorithm.
  const attributeFields = fields.slice(3);
  return { sid: fields[1], signed: attributes(attributeFields.find((field) => isContext(field, 0))), unsigned: attributes(attributeFields.find((field) => isContext(field, 1))) };
}

/** The certificate a signer names: issuer and serial number, or [0] subject key identifier. */
function signerCertificate(signer: SignerView, certificates: readonly CertificateView[]): CertificateView | undefined {
  if (isContext(signer.sid, 0)) {
    const keyId = (signer.sid as asn1js.Primitive).valueBlock.valueHexView;
    return certificates.find((cert) => cert.subjectKeyId && sameBytes(cert.subjectKeyId, keyId));
  }
  const [issuer, serial] = children(signer.sid);
  return certificates.find((cert) => sameBytes(cert.serial, (serial as asn1js.Integer).valueBlock.valueHexView) && sameBytes(cert.issuerRaw, issuer.valueBeforeDecodeView));
}

/** An RFC 3161 timestamp token: TSTInfo's genTime, and the authority that signed it. */
function timestampOf(signer: SignerView): Pick<SignatureInfo, 'timestamp' | 'timestampAuthority'> {
  const token = signer.unsigned.get(OID.timestampToken)?.[0];
  if (!token) {
    return {};
  }
  const data = signedData(token);
  const [, eContent] = children(data.encapsulated);
  // TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime GeneralizedTime, ... }
  const genTime = children(decode(octets(children(eContent)[0]))).find((field) => field instanceof asn1js.GeneralizedTime);
  const authority = data.signers[0] ? signerCertificate(signerView(data.signers[0]), data.certificates) : undefined;
  return { timestamp: genTime ? time(genTime) : undefined, timestampAuthority: authority ? formatName(authority.subject) : undefined };
}

function typeOf(signer: SignerView): SignatureInfo['type'] {
  const indication = signer.signed.get(OID.commitmentType)?.[0];
  // CommitmentTypeIndication ::= SEQUENCE { commitmentTypeId OBJECT IDENTIFIER, ... }
  const id = indication ? oid(children(indication)[0]) : undefined;
  return id === OID.proofOfOrigin ? 'author' : id === OID.proofOfReceipt ? 'repository' : 'unknown';
}

function describeSigner(signer: SignerView, certificates: readonly CertificateView[]): SignatureInfo {
  const cert = signerCertificate(signer, certificates);
  if (!cert) {
    throw new NuGetPublisherError('NP0091', 'The package signature does not contain the certificate that signed it.', 'Sign the package again (dotnet nuget sign).');
  }
  const serviceIndex = signer.signed.get(OID.serviceIndex)?.[0];
  const owners = signer.signed.get(OID.owners)?.[0];
  return {
    type: typeOf(signer),
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    sha256: createHash('sha256').update(cert.raw).digest('hex').toUpperCase(),
    validFrom: time(cert.notBefore),
    validTo: time(cert.notAfter),
    ...timestampOf(signer),
    ...(serviceIndex ? { serviceIndex: text(serviceIndex) } : {}),
    ...(owners ? { owners: children(owners).map(text) } : {}),
  };
}

/** "Version:1\n\n2.16.840.1.101.3.4.2.1-Hash:BASE64\n\n": what NuGet signs. */
function signedContentOf(encapsulated: Node): PackageSignature['signedContent'] {
  const [, eContent] = children(encapsulated);
  const match = eContent ? /^([\d.]+)-Hash:([A-Za-z0-9+/=]+)$/m.exec(Buffer.from(octets(children(eContent)[0])).toString('utf8')) : null;
  const algorithm = match ? HASH_OIDS[match[1]] : undefined;
  return match && algorithm ? { algorithm, hash: match[2] } : undefined;
}

/** Reads a `.signature.p7s`; a file that is not a NuGet signature is an NP0090 error naming why. */
export function readSignature(bytes: Uint8Array): PackageSignature {
  try {
    const data = signedData(decode(bytes));
    const primary = data.signers[0];
    if (!primary) {
      throw new Error('it has no signer');
    }
    const signer = signerView(primary);
    const signatures = [describeSigner(signer, data.certificates)];
    for (const counter of signer.unsigned.get(OID.counterSignature) ?? []) {
      signatures.push(describeSigner(signerView(counter), data.certificates));
    }
    return { signatures, signedContent: signedContentOf(data.encapsulated) };
  } catch (error) {
    if (error instanceof NuGetPublisherError) {
      throw error;
    }
    throw new NuGetPublisherError('NP0090', `The package's .signature.p7s is not a readable NuGet signature (${(error as Error).message}).`, 'Sign the package again, or remove the damaged signature file.');
  }
}
