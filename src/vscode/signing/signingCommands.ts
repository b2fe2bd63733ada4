/**
 * Verify Signature and Sign Package…: `dotnet nuget verify --all` and `dotnet nuget sign` as VS
 * Code tasks (their output in the terminal panel), their NU findings in the Problems panel on the
 * package, the result in the package's inspector. The certificate password is asked in a password
 * box and reaches dotnet through a response file (core/signing), never a command line or a log.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { nugetFindings, runDotnet, signArgs, verifyArgs, withPassword, type DotnetRun, type SignRequest } from '../../core/signing/dotnetSigning';
import { packageTarget, reloadInspectors, verifications } from '../inspector/inspectorEditor';
import { requireTrust } from '../pack/packCommon';
import { TASK_TYPE } from '../pack/packProject';
import { DOTNET_DOWNLOAD_URL } from '../../core/pack/dotnetPack';
import { notify } from '../log';
import { askSecret } from '../dialogs';
import type { Services } from '../services';
import type { InspectorVerification } from '../../shared/protocol';

let findingsCollection: vscode.DiagnosticCollection | undefined;

/** The Problems panel collection for dotnet's NU findings on packages. */
export function registerSigning(): vscode.Disposable {
  findingsCollection = vscode.languages.createDiagnosticCollection('nuget-signing');
  return findingsCollection;
}

/** Runs dotnet as a task whose terminal shows its output; resolves with the exit code and output. */
async function dotnetTask(title: string, args: readonly string[], folder: vscode.WorkspaceFolder | undefined): Promise<DotnetRun> {
  let finished: (run: DotnetRun) => void = () => undefined;
  const done = new Promise<DotnetRun>((resolve) => {
    finished = resolve;
  });
  const task = new vscode.Task({ type: TASK_TYPE, task: title }, folder ?? vscode.TaskScope.Workspace, title, 'NuGet', new vscode.CustomExecution(async () => {
    const write = new vscode.EventEmitter<string>();
    const close = new vscode.EventEmitter<number>();
    const controller = new AbortController();
    const terminal: vscode.Pseudoterminal = {
      onDidWrite: write.event,
      onDidClose: close.event,
      open: () => {
        write.fire(`dotnet ${args.join(' ')}\r\n`);
        void runDotnet(args, { signal: controller.signal, onOutput: (text) => write.fire(text.replace(/\r?\n/g, '\r\n')) }).then((run) => {
          finished(run);
          close.fire(run.code ?? 1);
        });
      },
      close: () => controller.abort(),
    };
    return terminal;
  }));
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, clear: true };
  await vscode.tasks.executeTask(task);
  return done;
}

function showFindings(uri: vscode.Uri, run: DotnetRun): void {
  findingsCollection?.set(uri, nugetFindings(run.output).map((finding) => {
    const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), finding.message, finding.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
    diagnostic.code = finding.code;
    diagnostic.source = 'dotnet nuget';
    return diagnostic;
  }));
}

/** Verify Signature: NuGet's own verification of every signature of a package on disk. */
export async function verifySignature(services: Services, arg?: unknown): Promise<InspectorVerification | undefined> {
  const uri = await packageTarget(arg, 'Verify', ['nupkg']);
  if (!uri) {
    return undefined;
  }
  if (uri.scheme !== 'file') {
    void notify(services.log, 'info', 'Verify Signature works on a package file on disk; use Download and Inspect first.');
    return undefined;
  }
  if (!requireTrust('run dotnet nuget verify')) {
    return undefined;
  }
  const name = basename(uri.fsPath);
  services.log.info('signing', `dotnet nuget verify --all ${name}`);
  const run = await dotnetTask(`verify ${name}`, verifyArgs(uri.fsPath), vscode.workspace.getWorkspaceFolder(uri));
  const findings = nugetFindings(run.output);
  const lines = run.code === null
    ? [`The .NET SDK (dotnet) is needed to verify signatures: install it from ${DOTNET_DOWNLOAD_URL} and make sure dotnet is on PATH.`]
    : findings.length > 0 ? findings.map((finding) => `${finding.severity} ${finding.code}: ${finding.message}`) : [run.code === 0 ? 'All signatures are valid.' : 'dotnet nuget verify failed; its output is in the terminal.'];
  const verification: InspectorVerification = { ok: run.code === 0, lines, at: new Date().toISOString() };
  showFindings(uri, run);
  verifications.set(uri.toString(), verification);
  services.log.info('signing', `verify ${name}: ${verification.ok ? 'verified' : 'failed'} (${findings.length} finding(s))`);
  await reloadInspectors(uri);
  void notify(services.log, verification.ok ? 'info' : 'warning', `${name}: ${verification.ok ? 'the signatures are valid' : 'signature verification failed'}${findings.length ? ` (${findings.length} finding(s) in the Problems panel)` : ''}.`);
  return verification;
}

/**
 * What a script may pass instead of answering the questions. Never a password: a secret is only
 * ever typed by the user into a password box (dialogs.ts).
 */
interface SignArgs {
  readonly certificatePath?: string;
  readonly certificateFingerprint?: string;
  readonly timestamper?: string;
}

/** The password of a certificate file, typed by the user (empty if it has none). */
function askCertificatePassword(certificatePath: string): Promise<string | undefined> {
  return askSecret({ title: 'Sign Package: 2/3 — certificate password', prompt: `The password of ${basename(certificatePath)} (empty if it has none). It is handed to dotnet privately, never on a command line or in a log.` });
}

async function askSignRequest(packagePath: string, given: SignArgs): Promise<(SignRequest & { password?: string }) | undefined> {
  if (given.certificateFingerprint) {
    return { packagePath, certificateFingerprint: given.certificateFingerprint, ...(given.timestamper ? { timestamper: given.timestamper } : {}) };
  }
  if (given.certificatePath) {
    const password = await askCertificatePassword(given.certificatePath);
    return password === undefined ? undefined : { packagePath, certificatePath: given.certificatePath, password, ...(given.timestamper ? { timestamper: given.timestamper } : {}) };
  }
  const source = await vscode.window.showQuickPick([
    { label: 'Certificate file (.pfx, .p12)…', value: 'file' as const },
    { label: 'Certificate in the certificate store (SHA-256 fingerprint)', value: 'store' as const },
  ], { title: 'Sign Package: 1/3 — which certificate?' });
  if (!source) {
    return undefined;
  }
  let request: SignRequest & { password?: string };
  if (source.value === 'file') {
    const file = (await vscode.window.showOpenDialog({ filters: { Certificates: ['pfx', 'p12'] }, openLabel: 'Sign with this certificate' }))?.[0];
    if (!file) {
      return undefined;
    }
    const password = await askCertificatePassword(file.fsPath);
    if (password === undefined) {
      return undefined;
    }
    request = { packagePath, certificatePath: file.fsPath, password };
  } else {
    const fingerprint = await vscode.window.showInputBox({ title: 'Sign Package: 2/3 — certificate fingerprint', prompt: 'The SHA-256 fingerprint of a code signing certificate in your CurrentUser\\My store', ignoreFocusOut: true, validateInput: (value) => (/^[0-9a-f:\s]{64,95}$/i.test(value.trim()) ? undefined : 'A SHA-256 fingerprint: 64 hexadecimal digits') });
    if (!fingerprint) {
      return undefined;
    }
    request = { packagePath, certificateFingerprint: fingerprint.trim() };
  }
  const timestamper = await vscode.window.showInputBox({ title: 'Sign Package: 3/3 — timestamp server (optional)', prompt: 'An RFC 3161 timestamp server, e.g. http://timestamp.digicert.com. Without one the signature is valid only while the certificate is.', ignoreFocusOut: true, validateInput: (value) => (!value.trim() || /^https?:\/\/\S+$/i.test(value.trim()) ? undefined : 'An http(s) URL, or empty') });
  if (timestamper === undefined) {
    return undefined;
  }
  return { ...request, ...(timestamper.trim() ? { timestamper: timestamper.trim() } : {}) };
}

/** Sign Package…: `dotnet nuget sign` in place; the inspector then shows the new signature. */
export async function signPackage(services: Services, arg?: unknown, given: SignArgs = {}): Promise<boolean> {
  const uri = await packageTarget(arg, 'Sign', ['nupkg']);
  if (!uri || uri.scheme !== 'file' || !requireTrust('run dotnet nuget sign')) {
    return false;
  }
  const request = await askSignRequest(uri.fsPath, given);
  if (!request) {
    return false;
  }
  if (request.password) {
    services.log.protect(request.password);
  }
  if (request.password?.includes('\n')) {
    void notify(services.log, 'error', 'A certificate password with a line break cannot be handed to dotnet; change the certificate\'s password.');
    return false;
  }
  const name = basename(uri.fsPath);
  services.log.info('signing', `dotnet nuget sign ${name} (${request.certificatePath ? `certificate file ${basename(request.certificatePath)}` : 'certificate from the store'}${request.timestamper ? `, timestamper ${request.timestamper}` : ', no timestamp'})`);
  const run = await withPassword(request.password, (extra) => dotnetTask(`sign ${name}`, [...signArgs(request), ...extra], vscode.workspace.getWorkspaceFolder(uri)));
  showFindings(uri, run);
  verifications.delete(uri.toString());
  await reloadInspectors(uri);
  if (run.code !== 0) {
    const errors = nugetFindings(run.output).filter((finding) => finding.severity === 'error');
    void notify(services.log, 'error', `Signing ${name} failed: ${errors.length ? errors.map((finding) => `${finding.code}: ${finding.message}`).join(' ') : run.output.trim().split('\n').pop() ?? 'see the terminal'}`);
    return false;
  }
  services.log.info('signing', `signed ${name}`);
  void notify(services.log, 'info', `Signed ${name}.${request.timestamper ? '' : ' It has no timestamp: the signature is valid only while the certificate is.'}`);
  return true;
}
