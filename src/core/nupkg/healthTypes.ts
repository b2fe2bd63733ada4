/** What package health says of one assembly, as plain data (no Node imports: the inspector webview uses these types). */
export type PdbLocation = 'embedded' | 'package' | 'snupkg' | 'none';

export interface AssemblyHealth {
  readonly file: string;
  readonly pdb: PdbLocation;
  /** null: no PDB, or a Windows PDB (not matched here). */
  readonly pdbMatches: boolean | null;
  /** null: no PDB. */
  readonly portable: boolean | null;
  readonly sourceLink: boolean;
  readonly deterministic: boolean;
  readonly compilerFlags: boolean;
  readonly embeddedSources: number;
  /** Why each ✗, in words, with its fix. */
  readonly notes: readonly string[];
}
