/** A rule-check finding. Codes are stable (NP0001...); severity "error" blocks a nuget.org push. */
export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  /** 0-based offsets into the nuspec text. */
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface QuickFix {
  readonly title: string;
  readonly edit: TextEdit;
}

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  /** Names the cause and the fix. */
  readonly message: string;
  /** Element path in the nuspec ("metadata/licenseUrl"), when the finding belongs to one. */
  readonly element?: string;
  /** 1-based, in the nuspec text, when known. */
  readonly line?: number;
  readonly column?: number;
  /** 0-based offsets of the range to underline, when known. */
  readonly start?: number;
  readonly end?: number;
  readonly fix?: QuickFix;
}

export function hasBlockingErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.code.localeCompare(b.code));
}
