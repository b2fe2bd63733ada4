/**
 * Messages between the extension and the inspector webview. No `vscode`, no DOM: both sides
 * import these types. Never put a secret in any of these messages.
 */
import type { FileRole } from '../core/nupkg/files';
import type { NuspecMetadata } from '../core/nuspec/types';
import type { Severity } from '../core/validate/diagnostic';
import type { AssemblyHealth } from '../core/nupkg/healthTypes';
import type { SignatureInfo, SignedContent } from '../core/nupkg/signatureTypes';

/** The last `dotnet nuget verify --all` of this package (Verify Signature). */
export interface InspectorVerification {
  readonly ok: boolean;
  /** Its findings (NU3xxx), or what is needed to run it. */
  readonly lines: readonly string[];
  readonly at: string;
}

export interface InspectorFile {
  readonly path: string;
  readonly size: number;
  readonly compressedSize: number;
  readonly role: FileRole;
  readonly framework?: string;
  readonly frameworkDisplay?: string;
}

/** Files summarized by role and target framework (lib/net8.0: 3 files, 120 kB). */
export interface InspectorFileGroup {
  readonly role: FileRole;
  readonly framework: string;
  readonly frameworkDisplay: string;
  readonly count: number;
  readonly size: number;
}

export interface InspectorDiagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly line?: number;
}

export interface InspectorModel {
  readonly fileName: string;
  readonly kind: 'nupkg' | 'snupkg';
  readonly fileSize: number;
  readonly normalizedVersion: string | null;
  readonly semVer2: boolean;
  readonly metadata: NuspecMetadata;
  readonly nuspecNamespace: string;
  readonly files: readonly InspectorFile[];
  readonly fileGroups: readonly InspectorFileGroup[];
  readonly diagnostics: readonly InspectorDiagnostic[];
  /** data: URI of the icon, when the package has a displayable one. */
  readonly iconDataUri?: string;
  readonly readmeMarkdown?: string;
  readonly licenseText?: string;
  /** Why the readme/license/icon could not be shown, if so. */
  readonly previewProblems: readonly string[];
  /** Primary signature first, then a repository countersignature; [] when unsigned. */
  readonly signatures: readonly SignatureInfo[];
  readonly signedContent: SignedContent;
  readonly verification?: InspectorVerification;
  /** What each .dll in lib/, ref/ and runtimes/ says about itself. */
  readonly assemblies?: readonly InspectorAssembly[];
  /** Symbols, Source Link, deterministic build and compiler flags per assembly (core/nupkg/packageHealth.ts). */
  readonly health?: readonly InspectorHealth[];
}

/** Symbols, Source Link, deterministic build and compiler flags of one assembly, as the core reads them. */
export type InspectorHealth = AssemblyHealth;

export interface InspectorAssembly {
  readonly path: string;
  readonly name: string;
  readonly version: string;
  readonly targetFramework?: string;
  readonly referenceAssembly: boolean;
}

/** Extension -> webview. */
export type ToWebview =
  | { readonly type: 'inspection'; readonly model: InspectorModel }
  | { readonly type: 'error'; readonly code: string; readonly message: string; readonly fileName: string }
  | { readonly type: 'loading'; readonly fileName: string };

/** Webview -> extension. */
export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'copy'; readonly text: string }
  | { readonly type: 'showNuspec' }
  /** Open one entry of the package in an editor tab (read-only). */
  | { readonly type: 'openEntry'; readonly path: string }
  | { readonly type: 'reload' }
  /** Verify Signature (dotnet nuget verify --all) and Sign Package… */
  | { readonly type: 'verify' }
  | { readonly type: 'sign' };

const FROM_WEBVIEW_TYPES = new Set(['ready', 'copy', 'showNuspec', 'openEntry', 'reload', 'verify', 'sign']);

export function isFromWebview(value: unknown): value is FromWebview {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const message = value as { type?: unknown; text?: unknown; path?: unknown };
  if (typeof message.type !== 'string' || !FROM_WEBVIEW_TYPES.has(message.type)) {
    return false;
  }
  if (message.type === 'openEntry') {
    return typeof message.path === 'string' && message.path.length > 0 && message.path.length < 4096;
  }
  return message.type !== 'copy' || typeof message.text === 'string';
}

export function isToWebview(value: unknown): value is ToWebview {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const type = (value as { type?: unknown }).type;
  return type === 'inspection' || type === 'error' || type === 'loading';
}
