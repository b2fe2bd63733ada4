/**
 * CLI twin of the extension: the same core, no VS Code.
 *   nuget-publisher inspect <file> [--json]
 *   nuget-publisher pack <file.nuspec|project> [--base-path DIR] [--output DIR] [--properties k=v;k=v] [--symbols] [--version V] [--configuration C]
 *   nuget-publisher push <file.nupkg> --source URL|DIR [--kind K] [--user NAME] [--api-key-env NAME] [--no-symbols] [--skip-duplicate]
 *   nuget-publisher unlist|relist <id> <version> --source URL [--api-key-env NAME]
 *   nuget-publisher diff <older.nupkg> <newer.nupkg> [--json]
 *   nuget-publisher publish-plan <folder> --source URL|DIR [--dry-run] [--continue-on-error] [--parallel N] [--state FILE [--resume]] ...
 * Exit codes: 0 success (inspect: a readable package, even with diagnostics), 1 usage error,
 * 2 failure with a one-line cause on stderr.
 */
import { dirname, resolve } from 'node:path';
import { describeError, NuGetPublisherError, toUserError } from '../core/errors';
import { fsFailure } from '../core/fsSafe';
import { displayUrl, escapeControl, SecretScrubber } from '../core/secrets/scrubber';
import { cleanUpOnSignals, forgetTemp, trackTemp } from '../core/tempFiles';
import { FEED_KINDS, folderPath, guessKind, isNugetOrgHost, isUrlSource, type Feed, type FeedKind } from '../core/feeds/feed';
import { authorizationOf, presetFor, providerCredential, type Credential } from '../core/keys/keys';
import { providerUri, type CredentialProviders } from '../core/keys/credentialProviders';
import { inspectVerb } from './inspectVerb';
import { configureNetwork, networkFromEnvironment, onProxySecret, setProductVersion } from '../core/http/network';
import type { PreparedPackage } from '../core/publish/prepare';
// Each verb loads what it needs when it runs (dynamic imports, evaluated lazily in the bundle):
// `inspect` never loads the HTTP stack, the packer or the diff, so the CLI starts quickly.

import { USAGE } from './usage';
import { isLoopback } from '../core/http/keySafety';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package's version (dist/cli-main.js sits beside the package.json's folder, installed or built). */
const CLI_VERSION: string = (() => {
  try {
    return String((JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
})();

/** Trusted publishing from GitHub Actions: the nuget.org user, and where the exchange happens. */
const TRUSTED_PUBLISHING_OPTIONS = ['--trusted-publishing', '--token-service', '--audience'] as const;

class UsageError extends Error {}

/**
 * Every byte the CLI prints goes through here: secrets it was given (the key from the environment,
 * Basic credentials) and any URL user-info are replaced, and control characters from packages or
 * servers are made visible (a package cannot move the cursor or forge lines).
 */
const scrubber = new SecretScrubber();
function out(text: string): void {
  process.stdout.write(escapeControl(scrubber.scrub(text), true));
}
function err(text: string): void {
  process.stderr.write(escapeControl(scrubber.scrub(text), true));
}
/** One untrusted field on one line (an entry name, an id, a description). */
const field = (text: string): string => escapeControl(text);

/** Splits "--name value" options from positional arguments; flags are listed in `flags`. */
function parseArgs(args: string[], valued: readonly string[], flags: readonly string[]): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
    } else if (flags.includes(arg)) {
      options.set(arg, 'true');
    } else if (valued.includes(arg)) {
      const value = args[++i];
      if (value === undefined) {
        throw new UsageError(`${arg} needs a value`);
      }
      options.set(arg, value);
    } else {
      throw new UsageError(`unknown option ${arg}`);
    }
  }
  return { positional, options };
}

async function pack(args: string[]): Promise<number> {
  const { positional, options } = parseArgs(args, ['--base-path', '--output', '--properties', '--version', '--configuration'], ['--symbols']);
  if (positional.length !== 1) {
    throw new UsageError('pack takes one .nuspec or project file');
  }
  const input = resolve(positional[0]);
  const output = resolve(options.get('--output') ?? dirname(input));
  const [{ spawn }, { makeFolder }, { dotnetPackArgs, findDotnet, isProjectFile, producedPackages }, { packNuspec }, { parseProperties }] = await Promise.all([
    import('node:child_process'), import('../core/fsSafe'), import('../core/pack/dotnetPack'), import('../core/pack/packNuspec'), import('../core/pack/tokens'),
  ]);
  if (isProjectFile(input)) {
    await findDotnet();
    await makeFolder(output, 'NP1032', 'the output folder');
    const started = Date.now();
    const code = await new Promise<number>((done) => {
      // MSBuild's output goes to stderr: stdout carries only the package paths, one a line.
      const child = spawn('dotnet', dotnetPackArgs({ project: input, configuration: options.get('--configuration'), outputDir: output, version: options.get('--version'), symbols: options.has('--symbols') }), { stdio: ['ignore', process.stderr, 'inherit'] });
      child.on('error', () => done(127));
      child.on('close', (status) => done(status ?? 1));
    });
    if (code !== 0) {
      err(`NP1052: dotnet pack failed with exit code ${code}; its errors are above.\n`);
      return 2;
    }
    (await producedPackages(output, started)).forEach((path) => out(`${path}\n`));
    return 0;
  }
  await makeFolder(output, 'NP1032', 'the output folder');
  const result = await packNuspec({
    nuspecPath: input,
    basePath: options.get('--base-path'),
    outputDir: output,
    properties: options.has('--properties') ? parseProperties(options.get('--properties') ?? '') : undefined,
    symbols: options.has('--symbols'),
  });
  result.warnings.forEach((warning) => err(`warning: ${warning}\n`));
  result.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning').forEach((diagnostic) => err(`warning ${diagnostic.code}: ${diagnostic.message}\n`));
  out(`${result.packagePath}\n`);
  if (result.symbolsPath) {
    out(`${result.symbolsPath}\n`);
  }
  return 0;
}

async function inspect(args: string[]): Promise<number> {
  return inspectVerb(args, { out, err });
}

/** The key comes from an environment variable, so it never lands in shell history. */
function apiKeyFrom(options: Map<string, string>): string | undefined {
  const name = options.get('--api-key-env') ?? 'NUGET_API_KEY';
  const value = process.env[name];
  scrubber.protect(value);
  if (options.has('--api-key-env') && !value) {
    throw new UsageError(`the environment variable ${name} is empty or not set`);
  }
  return value || undefined;
}

/** The feed a --source (and optional --kind) names. */
function feedFrom(source: string, kind: string | undefined): Feed {
  if (kind !== undefined && !(FEED_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`--kind must be one of ${FEED_KINDS.join(', ')}`);
  }
  const resolvedKind = (kind as FeedKind | undefined) ?? guessKind(source);
  if (resolvedKind === 'folder') {
    return { name: resolve(folderPath(source)), source: resolve(folderPath(source)), kind: 'folder' };
  }
  if (!isUrlSource(source)) {
    throw new UsageError(`--kind ${resolvedKind} needs an http(s) URL as --source`);
  }
  const url = new URL(source);
  // As in the editor: plain HTTP only to this machine (keys and packages are never sent unencrypted).
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new NuGetPublisherError('NP2002', `${url.origin} uses plain HTTP; packages and keys go only over HTTPS (or to this machine).`, 'Use the feed\'s https:// URL.');
  }
  if (url.username || url.password) {
    throw new NuGetPublisherError('NP3010', `The source URL ${displayUrl(source)} has credentials written into it; they are never sent that way (and would end up in logs and shell history).`, 'Remove them from the URL: pass the user name with --user and the password or key in NUGET_API_KEY (or --api-key-env NAME).');
  }
  return { name: new URL(source).host, source, kind: resolvedKind };
}

/** nuget-server wants Basic credentials: the user name comes from --user, the password from the key variable. */
function credentialFrom(feed: Feed, options: Map<string, string>): Credential | undefined {
  const secret = apiKeyFrom(options);
  if (secret === undefined) {
    return undefined;
  }
  if (feed.kind === 'nuget-server' || options.has('--user')) {
    scrubber.protectBasic(options.get('--user') ?? '', secret);
    return { basic: { username: options.get('--user') ?? '', password: secret }, ...(feed.kind === 'nuget-server' ? {} : { apiKey: secret }) };
  }
  return { apiKey: secret };
}

let providers: CredentialProviders | undefined;
/** NuGet's credential provider plugins (CredentialProvider.Microsoft for Azure Artifacts), asked once per feed per run. */
async function credentialProviders(): Promise<CredentialProviders> {
  const { CredentialProviders: Providers } = await import('../core/keys/credentialProviders');
  providers ??= new Providers({
    protect: (credentials) => scrubber.protectBasic(credentials.username, credentials.password),
    onLog: (message) => err(`${message}\n`),
  });
  return providers;
}

/** With no key given for an HTTP feed, as dotnet nuget push does: an installed credential provider's credentials. */
async function providedCredential(feed: Feed): Promise<Credential | undefined> {
  if (!isUrlSource(feed.source) || feed.kind === 'nuget.org') {
    return undefined;
  }
  const answer = await (await credentialProviders()).credentialsFor(providerUri(feed));
  if (!answer.credentials) {
    err(`no key was given (NUGET_API_KEY or --api-key-env), and ${answer.why}\n`);
    return undefined;
  }
  err(`using credentials for ${feed.name} from the credential provider ${answer.plugin}\n`);
  return providerCredential(answer.credentials, presetFor(feed));
}

/**
 * The credential for a push: with --trusted-publishing USER, a short-lived key exchanged for this
 * GitHub Actions run's OIDC token (nothing stored anywhere); otherwise the key variable.
 */
async function pushCredential(feed: Feed, options: Map<string, string>): Promise<Credential | undefined> {
  const user = options.get('--trusted-publishing');
  if (user === undefined) {
    return credentialFrom(feed, options) ?? providedCredential(feed);
  }
  if (options.has('--api-key-env') || options.has('--user')) {
    throw new UsageError('--trusted-publishing gets its key from the OIDC exchange: leave out --api-key-env and --user');
  }
  const { trustedPublishingKey } = await import('../core/publish/trustedPublishing');
  const requestToken = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  scrubber.protect(requestToken);
  const apiKey = await trustedPublishingKey({
    username: user, tokenService: options.get('--token-service'), audience: options.get('--audience'),
    requestUrl: process.env.ACTIONS_ID_TOKEN_REQUEST_URL, requestToken,
    onSecret: (secret) => {
      scrubber.protect(secret);
      // GitHub Actions masks a value in every later log line once told so; unscrubbed on purpose
      // (the scrubber would hide the value from the very command that announces it), escaped as
      // the Actions toolkit escapes command data, so a CR or LF in it cannot end the command early.
      if (process.env.GITHUB_ACTIONS === 'true') {
        process.stdout.write(`::add-mask::${escapeCommandData(secret)}\n`);
      }
    },
  });
  err(`trusted publishing: a short-lived API key for ${user} from ${options.get('--token-service') ?? 'nuget.org'} (valid about an hour)\n`);
  return { apiKey };
}

/** Workflow command data as @actions/core escapes it (toCommandValue + escapeData). */
function escapeCommandData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Prints what the rule gate found; false when nuget.org would refuse the package (and --no-checks was not given). */
async function passesGate(feed: Feed, prepared: PreparedPackage, override: boolean): Promise<boolean> {
  const { mayPublish } = await import('../core/publish/prepare');
  const gate = mayPublish(feed, prepared.findings, { override });
  const name = `${prepared.id} ${prepared.version}`;
  const list = gate.errors.map((error) => `  ${error.code}: ${error.message}\n`).join('');
  if (gate.errors.length === 0) {
    return true;
  }
  if (override) {
    err(`${name}: rule checks overridden (--no-checks): ${gate.summary}\n${list}`);
    return true;
  }
  if (gate.verdict === 'no') {
    err(`error NP2060: ${name} cannot go to ${feed.name}: ${gate.summary}; nuget.org would refuse it and nothing was sent.\n${list}  fix: fix them and pack again, or pass --no-checks to push anyway.\n`);
    return false;
  }
  err(`warning: ${name} does not pass nuget.org's rules: ${gate.summary}; ${feed.name} may accept it.\n${list}`);
  return true;
}

async function push(args: string[]): Promise<number> {
  const { positional, options } = parseArgs(args, ['--source', '--api-key-env', '--kind', '--user', '--symbol-source', ...TRUSTED_PUBLISHING_OPTIONS], ['--symbols', '--no-symbols', '--skip-duplicate', '--no-service-endpoint', '--no-checks']);
  const source = options.get('--source');
  if (positional.length !== 1 || !source) {
    throw new UsageError('push takes one package and --source');
  }
  const feed = feedFrom(source, options.get('--kind'));
  const packagePath = resolve(positional[0]);
  // Opened once: identity, rule findings and symbols; the same rule gate as in VS Code.
  const [{ preparePublish }, { publish }] = await Promise.all([import('../core/publish/prepare'), import('../core/publish/publish')]);
  const prepared = await preparePublish(packagePath);
  if (!(await passesGate(feed, prepared, options.has('--no-checks')))) {
    return 2;
  }
  const report = await publish({
    feed,
    packagePath,
    prepared,
    credential: await pushCredential(feed, options),
    skipDuplicate: options.has('--skip-duplicate'),
    symbols: withSymbols(options),
    symbolSource: options.get('--symbol-source'),
    noServiceEndpoint: options.has('--no-service-endpoint'),
  });
  report.warnings.forEach((warning) => err(`warning from the server: ${warning}\n`));
  report.notes.forEach((note) => err(`${note}\n`));
  const what = `${report.id} ${report.version}`;
  if (report.outcome === 'symbols-only') {
    out(`${what} symbols: ${report.symbols?.outcome}${report.symbols?.status !== undefined ? ` (${report.symbols.status})` : ''}\n`);
  } else if (report.location) {
    out(`${report.outcome === 'created' ? 'pushed' : 'already there (skipped)'}: ${report.location}\n`);
  } else if (report.outcome === 'skipped-duplicate') {
    out(`${what}: skipped (the feed already has it${report.status !== undefined ? `, ${report.status}` : ''})\n`);
  } else {
    out(`${what}: ${report.outcome}${report.status !== undefined ? ` (${report.status})` : ''}\n`);
  }
  if (report.symbols && report.outcome !== 'symbols-only') {
    out(`${what} symbols: ${report.symbols.outcome}${report.symbols.status !== undefined ? ` (${report.symbols.status})` : ''}${report.symbols.reason && report.symbols.outcome !== 'failed' ? ` (${report.symbols.reason})` : ''}\n`);
  }
  if (report.symbols?.outcome === 'failed') {
    // Like dotnet: any part that failed fails the command, with its reason; named as the symbol package.
    err(report.outcome === 'symbols-only'
      ? `${report.symbols.reason}\n`
      : `NP2051: ${what} was published (${report.outcome}), but its symbol package (.snupkg) was not: ${report.symbols.reason}\n`);
    return 2;
  }
  return 0;
}

/** As dotnet nuget push: the .snupkg beside a package goes too, unless --no-symbols. */
function withSymbols(options: ReadonlyMap<string, string>): boolean {
  if (options.has('--no-symbols') && (options.has('--symbols') || options.has('--symbol-source'))) {
    throw new UsageError('--no-symbols cannot go with --symbols or --symbol-source');
  }
  return !options.has('--no-symbols');
}

async function compare(args: string[]): Promise<number> {
  const { positional, options } = parseArgs(args, [], ['--json']);
  if (positional.length !== 2) {
    throw new UsageError('diff takes two packages: the older and the newer');
  }
  const { describeDiff, diffPackages, snapshot, withApi } = await import('../core/diff/packageDiff');
  const { diffApiFiles } = await import('../core/api/apiDiff');
  const [older, newer] = [resolve(positional[0]), resolve(positional[1])];
  const diff = withApi(diffPackages(await snapshot(older), await snapshot(newer)), await diffApiFiles(older, newer));
  if (options.has('--json')) {
    const { api, ...rest } = diff;
    out(`${JSON.stringify({ ...rest, api: { verdict: api!.verdict, breaking: api!.breaking, added: api!.added, unread: api!.unread } }, null, 2)}\n`);
  } else {
    out(`${describeDiff(diff).map(field).join('\n')}\n`);
  }
  return 0;
}

/** publish-plan pushes this many packages at once unless --parallel says otherwise. */
const DEFAULT_PARALLEL = 4;

async function publishPlan(args: string[]): Promise<number> {
  const { positional, options } = parseArgs(args, ['--source', '--api-key-env', '--kind', '--user', '--symbol-source', '--parallel', '--state', ...TRUSTED_PUBLISHING_OPTIONS], ['--dry-run', '--continue-on-error', '--skip-duplicate', '--symbols', '--no-symbols', '--no-service-endpoint', '--no-checks', '--resume']);
  const source = options.get('--source');
  if (positional.length !== 1 || !source) {
    throw new UsageError('publish-plan takes one folder and --source');
  }
  const parallel = Number(options.get('--parallel') ?? DEFAULT_PARALLEL);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 16) {
    throw new UsageError('--parallel takes a whole number from 1 to 16');
  }
  const feed = feedFrom(source, options.get('--kind'));
  const symbols = withSymbols(options);
  const statePath = options.get('--state');
  if (options.has('--resume') && !statePath) {
    throw new UsageError('--resume continues the run recorded in --state FILE: give both');
  }
  const [{ buildPlan, describePlan, findPackages, runPlan }, { publishPlanEntry }, { FeedClient }, journalModule] = await Promise.all([import('../core/plan/publishPlan'), import('../core/plan/publishEntry'), import('../core/feeds/feedClient'), import('../core/plan/journal')]);
  // The journal of accepted pushes: read first, so a wrong state file is refused before any work.
  const store = statePath ? journalModule.fileJournalStore(resolve(statePath)) : undefined;
  const earlier = await store?.load();
  if (earlier && !options.has('--resume')) {
    throw new UsageError(`${statePath} holds an earlier run (${earlier.accepted.length} accepted push${earlier.accepted.length === 1 ? '' : 'es'}): add --resume to continue it, or delete the file to start over`);
  }
  if (earlier && earlier.feed !== feed.source) {
    throw new UsageError(`${statePath} records pushes to ${earlier.feed}, not to ${feed.source}: give the state file of this feed's run`);
  }
  const packages = await findPackages(resolve(positional[0]));
  if (packages.length === 0) {
    throw new UsageError(`no .nupkg under ${positional[0]}`);
  }
  // Reads carry the same credentials as the pushes (--user + the key variable: Basic), so a feed
  // that wants them even to read (GitHub Packages, Azure Artifacts) is checked, not guessed.
  // Trusted publishing exchanges its one-time OIDC token only when something is pushed (not in a dry run).
  let credential = options.has('--trusted-publishing') ? undefined : credentialFrom(feed, options);
  const readAuthorization = authorizationOf(credential);
  const credentials = readAuthorization ? (): string => readAuthorization : undefined;
  const override = options.has('--no-checks');
  if (override) {
    err('rule checks overridden (--no-checks): packages that nuget.org would refuse are pushed anyway\n');
  }
  // With no credentials given, a feed that refuses to be read is asked of the credential providers.
  const challenge = credentials || options.has('--trusted-publishing') ? undefined : async (url: string, isRetry: boolean) => (await credentialProviders()).authorizationFor(url, isRetry);
  const client = new FeedClient(feed, credentials, challenge);
  // The published versions the plan compares each package's API with are downloaded to a
  // temporary folder, removed when the plan is built (or on Ctrl+C).
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const apiDownloads = await mkdtemp(join(tmpdir(), 'nuget-publisher-api-'));
  trackTemp(apiDownloads);
  let built: Awaited<ReturnType<typeof buildPlan>>;
  try {
    built = await buildPlan({ client, packages, override, apiDownloads });
  } finally {
    await rm(apiDownloads, { recursive: true, force: true });
    forgetTemp(apiDownloads);
  }
  const { plan, resumed } = earlier ? await journalModule.resumePlan(built, earlier) : { plan: built, resumed: 0 };
  if (earlier) {
    err(`resuming: ${resumed} package${resumed === 1 ? '' : 's'} published by the earlier run ${resumed === 1 ? 'is' : 'are'} not pushed again\n`);
  }
  out(`plan (${options.has('--dry-run') ? 'dry run: nothing is published' : 'publishing'}):\n${describePlan(plan).map((line) => `  ${line}`).join('\n')}\n`);
  if (options.has('--dry-run')) {
    return plan.entries.some((entry) => entry.action === 'blocked' || entry.action === 'unreadable') ? 2 : 0;
  }
  if (credential === undefined && plan.entries.some((entry) => entry.action === 'publish')) {
    credential = await pushCredential(feed, options);
  }
  // nuget.org: can the key push every id? Checked before the first push, so a scope mistake
  // stops the release before anything of it is out.
  if ((feed.kind === 'nuget.org' || isNugetOrgHost(feed.source)) && credential?.apiKey) {
    const { preflightKeys } = await import('../core/plan/preflight');
    const preflight = await preflightKeys(plan, client, () => credential);
    preflight.unchecked.forEach(({ id, reason }) => err(`preflight: ${id} not checked (${reason})\n`));
    if (preflight.refused.length > 0) {
      err(`NP5030: the key cannot push ${preflight.refused.length} of the plan's ids, so nothing was pushed:\n${preflight.refused.map(({ id, reason }) => `  ${id}: ${reason}\n`).join('')}Create a key whose scopes and glob cover every id (nuget.org → API Keys), then run the plan again.\n`);
      return 2;
    }
    if (preflight.covered.length > 0) {
      err(`preflight: the key may push ${preflight.covered.join(', ')}\n`);
    }
  }
  const megabytes = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;
  const journal = store ? new journalModule.JournalWriter(store, feed.source, earlier?.accepted) : undefined;
  const results = await runPlan(plan, {
    continueOnError: options.has('--continue-on-error'),
    parallel,
    // One progress line per finished push (stderr; stdout keeps the results): done of total, MB, in flight.
    onProgress: ({ done, total, bytesDone, bytesTotal, inFlight, entry, result }) => {
      if (result && entry.action === 'publish') {
        err(`[${done}/${total}, ${megabytes(bytesDone)} of ${megabytes(bytesTotal)}] ${entry.id} ${entry.version}: ${result.outcome}${inFlight.length ? `; in flight: ${inFlight.join(', ')}` : ''}\n`);
      }
    },
    publishOne: (entry) => publishPlanEntry(entry, {
      feed, client: feed.kind === 'v2' || feed.kind === 'folder' ? undefined : client, credential, journal,
      skipDuplicate: options.has('--skip-duplicate'), symbols, symbolSource: options.get('--symbol-source'), noServiceEndpoint: options.has('--no-service-endpoint'),
      onWait: (waiting, left, why) => err(`${waiting.id} ${waiting.version}: ${why}, trying again in ${left} s\n`),
      onJournalError: (failed, error) => err(`warning: ${failed.id} ${failed.version} was published, but the state file could not be updated (${describeError(error)})\n`),
    }),
  });
  for (const result of results) {
    // An unreadable file has a name but no version: no stray space before the colon.
    out(`${[result.entry.id, result.entry.version].filter(Boolean).join(' ')}: ${result.outcome}${result.message ? ` (${result.message})` : ''}\n`);
  }
  return results.some((result) => result.outcome === 'failed' || result.outcome === 'not-run') ? 2 : 0;
}

async function listing(args: string[], listed: boolean): Promise<number> {
  const { positional, options } = parseArgs(args, ['--source', '--api-key-env'], ['--no-service-endpoint']);
  const source = options.get('--source');
  if (positional.length !== 2 || !source || !isUrlSource(source)) {
    throw new UsageError(`${listed ? 'relist' : 'unlist'} takes <id> <version> and --source URL`);
  }
  const feed = feedFrom(source, undefined);
  const [id, version] = positional;
  const { changeListing } = await import('../core/publish/listing');
  const result = await changeListing({ feed, id, version, listed, apiKey: apiKeyFrom(options), noServiceEndpoint: options.has('--no-service-endpoint') });
  const said = { deleted: 'deleted by the server (it does not unlist: the version is gone)', unconfirmed: 'taken by the server, outcome not confirmed', unlisted: 'unlisted', relisted: 'relisted' }[result.outcome];
  out(`${id} ${version} ${said}${result.note ? ` (${result.note})` : ''} (${result.status})\n`);
  return 0;
}

/** Anything that is not already an NP error gets a code, a cause and a fix. */
function asUserError(error: unknown): NuGetPublisherError {
  return toUserError(error, (errno) => fsFailure(errno, 'NP0990', 'The command', errno.path ?? 'a file'));
}

/**
 * The CLI's network as dotnet's: proxies from HTTPS_PROXY/HTTP_PROXY/ALL_PROXY/NO_PROXY (and the
 * lower-case names), extra certificates from SSL_CERT_FILE (Node reads NODE_EXTRA_CA_CERTS itself);
 * proxy credentials are secrets for every line printed.
 */
function configureCliNetwork(): void {
  setProductVersion(CLI_VERSION);
  onProxySecret((secret) => scrubber.protect(secret));
  configureNetwork(networkFromEnvironment(process.env));
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    configureCliNetwork();
    switch (command) {
      case 'inspect':
        return await inspect(rest);
      case 'pack':
        return await pack(rest);
      case 'push':
        return await push(rest);
      case 'diff':
        return await compare(rest);
      case 'publish-plan':
        return await publishPlan(rest);
      case 'unlist':
      case 'relist':
        return await listing(rest, command === 'relist');
      case '--version':
      case '-v':
        out(`${CLI_VERSION}\n`);
        return 0;
      case '--help':
      case '-h':
      case undefined:
        out(`${USAGE}\n`);
        return command === undefined ? 1 : 0;
      default:
        err(`unknown command "${command}"\n${USAGE}\n`);
        return 1;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\n${USAGE}\n`);
      return 1;
    }
    err(`${describeError(asUserError(error))}\n`);
    return 2;
  }
}

cleanUpOnSignals();
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
