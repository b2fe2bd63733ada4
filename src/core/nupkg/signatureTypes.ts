/** What a package signature says, as plain data (no Node imports: the inspector webview uses these types). */
export interface SignatureInfo {
  readonly type: 'author' | 'repository' | 'unknown';
  readonly subject: string;
  readonly issuer: string;
  /** Uppercase hex SHA-256 of the signing certificate. */
  readonly sha256: string;
  readonly validFrom: string;
  readonly validTo: string;
  /** The RFC 3161 timestamp's time (ISO), when the signature has one. */
  readonly timestamp?: string;
  /** The timestamp authority (its certificate's subject). */
  readonly timestampAuthority?: string;
  readonly serviceIndex?: string;
  readonly owners?: readonly string[];
}

/** Whether the package is still what was signed: "changed" when a file changed after signing. */
export type SignedContent = 'unsigned' | 'matches' | 'changed' | 'not checked';
