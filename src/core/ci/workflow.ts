/**
 * A GitHub Actions workflow that packs and publishes to nuget.org, with trusted publishing (OIDC,
 * no stored key: NuGet/login exchanges the job's token for a one-hour key) or a repository secret,
 * and the values nuget.org's trusted publishing policy must hold for it (the policy names the
 * workflow file: a renamed file no longer matches).
 */
import { NuGetPublisherError } from '../errors';

export interface WorkflowPackage {
  /** Workspace-relative path with forward slashes: a project (.csproj/.fsproj/.vbproj) or a .nuspec. */
  readonly path: string;
}

export interface WorkflowOptions {
  readonly packages: readonly WorkflowPackage[];
  /** The nuget.org user (profile name) who creates the trusted publishing policy. */
  readonly nugetUser: string;
  readonly mode: 'trusted' | 'secret';
  /** The file name under .github/workflows/ (nuget.org's policy names it). */
  readonly fileName: string;
  /** A GitHub Actions environment, when the policy should require one. */
  readonly environment?: string;
  readonly dotnetVersion?: string;
  /** The repository pins its SDK in global.json: setup-dotnet reads it (global-json-file) instead of a version. */
  readonly globalJson?: boolean;
}

export interface TrustedPublishingPolicy {
  readonly packageOwner: string;
  readonly repositoryOwner: string;
  readonly repository: string;
  readonly workflowFile: string;
  readonly environment: string;
}

export const WORKFLOW_FILE = 'publish-nuget.yml';
export const NUGET_ORG_TRUSTED_PUBLISHING_PAGE = 'https://www.nuget.org/account/trustedpublishing';

/**
 * Characters no value from the workspace may bring into a workflow: control characters (C0, DEL,
 * C1 with U+0085 NEL, which YAML reads as a line break), U+2028/U+2029 (line breaks to YAML and to
 * the runner's parser), and `${{`, which GitHub Actions evaluates as an expression in any string.
 */
const UNSAFE_IN_WORKFLOW = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|\$\{\{/;

/** Refuses a value that could change the workflow's structure (NP2080), naming the value's role. */
export function checkWorkflowValue(role: string, value: string): string {
  if (UNSAFE_IN_WORKFLOW.test(value)) {
    const found = /\$\{\{/.test(value) ? '"${{"' : `U+${value.codePointAt(value.search(UNSAFE_IN_WORKFLOW))!.toString(16).toUpperCase().padStart(4, '0')}`;
    throw new NuGetPublisherError('NP2080', `The ${role} ${JSON.stringify(value)} contains ${found}, which GitHub Actions or YAML would read as part of the workflow; no workflow was written.`, `Rename it (a line break, a control character or "\${{" has no place in a ${role}).`);
  }
  return value;
}

/**
 * A YAML single-quoted scalar: nothing in it is an escape or an expression start except `'`,
 * written twice. Values are checked first (checkWorkflowValue), so no line break reaches it.
 */
function quoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The environment variable that carries the i-th package path into the Pack step (never spliced into `run:`). */
function packageVariable(index: number): string {
  return `NP_PACKAGE_${index + 1}`;
}

/** The shell command for one package: the path only as "$VARIABLE", so the shell treats it as data. */
function packCommand(pkg: WorkflowPackage, index: number): string {
  const path = `"$${packageVariable(index)}"`;
  if (/\.nuspec$/i.test(pkg.path)) {
    // NuGet.exe is on GitHub's Windows runners; it packs a .nuspec with its symbols.
    return `nuget pack ${path} -OutputDirectory artifacts -Symbols -SymbolPackageFormat snupkg -NonInteractive`;
  }
  return `dotnet pack ${path} -c Release -o artifacts -p:IncludeSymbols=true -p:SymbolPackageFormat=snupkg`;
}

const NUGET_USER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DOTNET_VERSION = /^\d+(\.(\d+|x)){0,2}(-[A-Za-z0-9.]+)?$/;

export function publishWorkflow(options: WorkflowOptions): string {
  if (options.packages.length === 0) {
    throw new Error('publishWorkflow needs at least one package');
  }
  // Every value from the workspace or the user is data: checked here, then passed through env:
  // (paths) or as a single-quoted scalar (user, environment), never as shell or expression text.
  options.packages.forEach((pkg) => checkWorkflowValue('package path', pkg.path));
  if (!NUGET_USER.test(options.nugetUser)) {
    throw new NuGetPublisherError('NP2080', `${JSON.stringify(options.nugetUser)} is not a nuget.org profile name; no workflow was written.`, 'Use the profile name: letters, digits, ".", "-" or "_".');
  }
  if (options.environment !== undefined) {
    checkWorkflowValue('environment name', options.environment);
  }
  if (options.dotnetVersion !== undefined && !DOTNET_VERSION.test(options.dotnetVersion)) {
    throw new NuGetPublisherError('NP2080', `${JSON.stringify(options.dotnetVersion)} is not a .NET SDK version such as 8.0.x; no workflow was written.`, 'Give a version such as 8.0.x.');
  }
  checkWorkflowValue('workflow file name', options.fileName);
  const trusted = options.mode === 'trusted';
  const windows = options.packages.some((pkg) => /\.nuspec$/i.test(pkg.path));
  const apiKey = trusted ? '${{ steps.login.outputs.NUGET_API_KEY }}' : '${{ secrets.NUGET_API_KEY }}';
  const lines = [
    `# Packs and publishes to nuget.org when a version tag (v*) is pushed or a release is published.`,
    `# Written by NuGet Publisher for VS Code ("NuGet: Set Up Publishing from GitHub Actions…").`,
    trusted
      ? `# Trusted publishing: nuget.org's policy names this file (${options.fileName}); renaming it breaks the match.`
      : '# The API key comes from the repository secret NUGET_API_KEY (Settings → Secrets and variables → Actions).',
    'name: Publish NuGet packages',
    '',
    'on:',
    '  push:',
    "    tags: ['v*']",
    '  release:',
    '    types: [published]',
    '',
    'permissions:',
    '  contents: read',
    '',
    'jobs:',
    '  publish:',
    `    runs-on: ${windows ? 'windows-latest' : 'ubuntu-latest'}`,
    ...(options.environment ? [`    environment: ${quoted(options.environment)}`] : []),
    ...(trusted ? ['    permissions:', '      contents: read', '      id-token: write # GitHub issues the OIDC token that nuget.org exchanges for a one-hour key'] : []),
    // bash on every runner (Windows too), so the package paths are quoted the same way everywhere.
    '    defaults:',
    '      run:',
    '        shell: bash',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-dotnet@v4',
    '        with:',
    options.globalJson ? '          global-json-file: global.json' : `          dotnet-version: ${quoted(options.dotnetVersion ?? '8.0.x')}`,
    '      - name: Pack',
    '        env:',
    ...options.packages.map((pkg, index) => `          ${packageVariable(index)}: ${quoted(pkg.path)}`),
    '        run: |',
    ...options.packages.map((pkg, index) => `          ${packCommand(pkg, index)}`),
    ...(trusted ? [
      '      - name: NuGet login (OIDC → short-lived API key)',
      '        uses: NuGet/login@v1',
      '        id: login',
      '        with:',
      `          user: ${quoted(options.nugetUser)}`,
    ] : []),
    '      - name: Push (packages and their .snupkg symbols)',
    `        run: dotnet nuget push "artifacts/*.nupkg" --api-key "${apiKey}" --source https://api.nuget.org/v3/index.json --skip-duplicate`,
    '',
  ];
  return lines.join('\n');
}

/**
 * The SDK a workflow needs for these projects: the newest .NET of their TargetFramework(s)
 * (net10.0 → 10.0.x; .NET Framework, netstandard and netcoreapp ≤ 3.1 build with the 8.0 SDK),
 * so that a net9.0 or net10.0 project does not fail in CI with the 8.0 SDK.
 */
export function dotnetVersionFor(projectTexts: readonly string[]): string {
  let newest = 8;
  for (const text of projectTexts) {
    for (const match of text.matchAll(/<TargetFrameworks?>([^<]*)<\/TargetFrameworks?>/gi)) {
      for (const framework of match[1].split(';')) {
        const net = /^\s*net(\d+)\.(\d+)/i.exec(framework);
        if (net && Number(net[1]) >= 5) {
          newest = Math.max(newest, Number(net[1]));
        }
      }
    }
  }
  return `${newest}.0.x`;
}

/** owner/name of a GitHub remote URL (https, ssh or git@ form), or undefined. */
export function gitHubRepository(remoteUrl: string): { owner: string; name: string } | undefined {
  const match = /github\.com[/:]([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(remoteUrl.trim());
  return match ? { owner: match[1], name: match[2] } : undefined;
}

/** The `origin` remote's URL from a .git/config text. */
export function originUrl(gitConfig: string): string | undefined {
  const section = /\[remote "origin"\]([\s\S]*?)(?=\n\[|$)/.exec(gitConfig)?.[1];
  return section ? /^\s*url\s*=\s*(.+)$/m.exec(section)?.[1]?.trim() : undefined;
}

export function trustedPublishingPolicy(options: WorkflowOptions, repository: { owner: string; name: string } | undefined): TrustedPublishingPolicy {
  return {
    packageOwner: options.nugetUser,
    repositoryOwner: repository?.owner ?? '(your GitHub user or organization)',
    repository: repository?.name ?? '(your repository)',
    workflowFile: options.fileName,
    environment: options.environment ?? '(none)',
  };
}

/** Workflow files that already log in with NuGet/login: a policy made for them names their file. */
export function otherTrustedWorkflows(files: readonly { name: string; text: string }[], fileName: string): string[] {
  return files.filter((file) => file.name !== fileName && /uses:\s*NuGet\/login@/i.test(file.text)).map((file) => file.name);
}
