/**
 * "NuGet: Set Up Publishing from GitHub Actions…": which packages (projects or .nuspec files of the
 * workspace), the nuget.org user, trusted publishing (default) or a repository secret; writes
 * .github/workflows/publish-nuget.yml, shows it, and shows the exact values nuget.org's trusted
 * publishing policy needs (with a link to that page, where only the website can act).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { markDone } from '../walkthrough';
import { dotnetVersionFor, gitHubRepository, NUGET_ORG_TRUSTED_PUBLISHING_PAGE, originUrl, otherTrustedWorkflows, publishWorkflow, trustedPublishingPolicy, WORKFLOW_FILE, type TrustedPublishingPolicy, type WorkflowOptions } from '../../core/ci/workflow';
import { notify } from '../log';
import { confirmModal } from '../dialogs';
import { openExternalSafely } from '../openExternal';
import { requireTrust } from '../pack/packCommon';
import type { Services } from '../services';

/** For scripted use; anything missing is asked for. Replacing a workflow is always confirmed by the user. */
export interface CiSetupArgs {
  readonly packages?: readonly vscode.Uri[];
  readonly user?: string;
  readonly mode?: 'trusted' | 'secret';
  readonly environment?: string;
}

export interface CiSetupResult {
  readonly workflow: vscode.Uri;
  readonly policy?: TrustedPublishingPolicy;
  readonly warnings: readonly string[];
}

const USER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

async function askPackages(folder: vscode.WorkspaceFolder): Promise<vscode.Uri[] | undefined> {
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.{csproj,fsproj,vbproj,nuspec}'), '{**/node_modules/**,**/bin/**,**/obj/**}', 200);
  if (found.length === 0) {
    void vscode.window.showWarningMessage('There is no project or .nuspec in the workspace to publish.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, false), picked: found.length === 1, uri })), {
    title: 'Set Up Publishing from GitHub Actions (1/3): which packages?', canPickMany: true, ignoreFocusOut: true,
  });
  return picked && picked.length > 0 ? picked.map((item) => item.uri) : undefined;
}

async function readWorkflows(folder: vscode.Uri): Promise<{ name: string; text: string }[]> {
  const entries = await vscode.workspace.fs.readDirectory(folder).then((list) => list, () => [] as [string, vscode.FileType][]);
  const files = entries.filter(([name, type]) => type === vscode.FileType.File && /\.ya?ml$/i.test(name));
  return Promise.all(files.map(async ([name]) => ({ name, text: Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, name))).toString('utf8') })));
}

export async function setUpCiPublishing(services: Services, args: CiSetupArgs = {}): Promise<CiSetupResult | undefined> {
  if (!requireTrust('write a publishing workflow')) {
    return undefined;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Open the repository\'s folder first: the workflow goes into its .github/workflows.');
    return undefined;
  }
  const packages = args.packages ?? (await askPackages(folder));
  if (!packages) {
    return undefined;
  }
  const user = args.user ?? (await vscode.window.showInputBox({
    title: 'Set Up Publishing from GitHub Actions (2/3): your nuget.org user',
    prompt: 'The nuget.org profile name (not the e-mail address) of the account that creates the trusted publishing policy.',
    ignoreFocusOut: true, validateInput: (value) => (USER_PATTERN.test(value.trim()) ? undefined : 'A nuget.org profile name: letters, digits, ".", "-" or "_".'),
  }))?.trim();
  if (!user || !USER_PATTERN.test(user)) {
    return undefined;
  }
  const mode = args.mode ?? (await vscode.window.showQuickPick([
    { label: 'Trusted publishing (recommended)', detail: 'No stored key: the job exchanges its GitHub OIDC token for a one-hour nuget.org key (NuGet/login).', mode: 'trusted' as const },
    { label: 'Repository secret NUGET_API_KEY', detail: 'A long-lived nuget.org API key stored as a GitHub secret.', mode: 'secret' as const },
  ], { title: 'Set Up Publishing from GitHub Actions (3/3): how does the job authenticate?', ignoreFocusOut: true }))?.mode;
  if (!mode) {
    return undefined;
  }
  // The SDK: global.json when the repository pins one, else the newest .NET the projects target.
  const read = (uri: vscode.Uri): Thenable<string> => vscode.workspace.fs.readFile(uri).then((bytes) => Buffer.from(bytes).toString('utf8'), () => '');
  const globalJson = (await read(vscode.Uri.joinPath(folder.uri, 'global.json'))) !== '';
  const projectTexts = await Promise.all(packages.filter((uri) => !/\.nuspec$/i.test(uri.path)).map(read));
  const options: WorkflowOptions = {
    packages: packages.map((uri) => ({ path: vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/') })),
    nugetUser: user, mode, fileName: WORKFLOW_FILE, environment: args.environment,
    dotnetVersion: dotnetVersionFor(projectTexts), globalJson,
  };
  const workflows = vscode.Uri.joinPath(folder.uri, '.github', 'workflows');
  const target = vscode.Uri.joinPath(workflows, WORKFLOW_FILE);
  const existing = await readWorkflows(workflows);
  if (existing.some((file) => file.name === WORKFLOW_FILE)) {
    const choice = await confirmModal('warning', `.github/workflows/${WORKFLOW_FILE} exists.`, 'Replace it with the generated workflow?', 'Replace');
    if (choice !== 'Replace') {
      return undefined;
    }
  }
  const warnings: string[] = [];
  const others = mode === 'trusted' ? otherTrustedWorkflows(existing, WORKFLOW_FILE) : [];
  if (others.length > 0) {
    // nuget.org's policy names one workflow file: a policy made for another file does not match this one.
    warnings.push(`${others.join(', ')} already log${others.length === 1 ? 's' : ''} in with NuGet/login: a trusted publishing policy made for ${others.length === 1 ? 'that file' : 'those files'} does not match ${WORKFLOW_FILE}. Add a policy for ${WORKFLOW_FILE} (or keep publishing from the old file).`);
  }
  await vscode.workspace.fs.createDirectory(workflows);
  await vscode.workspace.fs.writeFile(target, Buffer.from(publishWorkflow(options), 'utf8'));
  services.log.info('ci', `wrote ${target.fsPath} (${mode}, ${options.packages.map((pkg) => pkg.path).join(', ')})`);
  markDone('ciSetUp'); // the walkthrough's "Publish from GitHub Actions" step (an onCommand event never ticked it)
  await vscode.window.showTextDocument(target, { preview: false });
  const repository = gitHubRepository(originUrl(await readFile(join(folder.uri.fsPath, '.git', 'config'), 'utf8').catch(() => '')) ?? '');
  if (mode === 'trusted' && !repository) {
    warnings.push('The workspace has no GitHub "origin" remote, so the repository owner and name below are placeholders.');
  }
  warnings.forEach((warning) => void notify(services.log, 'warning', warning));
  if (mode === 'secret') {
    void notify(services.log, 'info', `Wrote .github/workflows/${WORKFLOW_FILE}. Add the repository secret NUGET_API_KEY (Settings → Secrets and variables → Actions) with a nuget.org key whose glob covers the packages.`);
    return { workflow: target, warnings };
  }
  const policy = trustedPublishingPolicy(options, repository);
  const values = `Package owner: ${policy.packageOwner} · Repository owner: ${policy.repositoryOwner} · Repository: ${policy.repository} · Workflow file: ${policy.workflowFile} · Environment: ${policy.environment}`;
  services.log.info('ci', `trusted publishing policy to create on nuget.org: ${values}`);
  // Not awaited: the command is done; the notification waits for the user.
  void notify(services.log, 'info', `Wrote .github/workflows/${WORKFLOW_FILE}. On nuget.org → Trusted Publishing, create a policy with: ${values}`, 'Open nuget.org', 'Copy Values').then(async (choice) => {
    if (choice === 'Copy Values') {
      await vscode.env.clipboard.writeText(values);
    } else if (choice === 'Open nuget.org') {
      await openExternalSafely(NUGET_ORG_TRUSTED_PUBLISHING_PAGE);
    }
  });
  return { workflow: target, policy, warnings };
}
