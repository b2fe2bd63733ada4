#!/usr/bin/env node
/**
 * CLI twin of the extension: the same core, no VS Code.
 *   nuget-publisher inspect <file> [--json]
 *   nuget-publisher pack <file.nuspec|project> [--base-path DIR] [--output DIR] [--properties k=v;k=v] [--symbols] [--version V] [--configuration C]
 *   nuget-publisher push <file.nupkg> --source URL|DIR [--api-key-env NAME] [--symbols] [--skip-duplicate]
 *   nuget-publisher unlist|relist <id> <version> --source URL [--api-key-env NAME]
 * Exit codes: 0 success (inspect: a readable package, even with diagnostics), 1 usage error,
 * 2 failure with a one-line cause on stderr.
 */
import { spawn } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describeError } from './core/errors';
import { inspectPackageFile, summarize, type InspectSummary } from './core/inspect';
import { dotnetPackArgs, findDotnet, isProjectFile, producedPackages } from './core/pack/dotnetPack';
import { packNuspec } from './core/pack/packNuspec';
import { parseProperties } from './core/pack/tokens';
import { discover, resourceUrl } from './core/feeds/serviceIndex';
import { pushToFolder } from './core/feeds/folderFeed';
import { openPackage } from './core/nupkg/package';
import { setListed } from './core/publish/listing';
import { pushPackage, type PushResult } from './core/publish/push';

const USAGE = [
  'usage: nuget-publisher inspect <file.nupkg|file.snupkg> [--json]',
  '       nuget-publisher pack <file.nuspec|project> [--base-path DIR] [--output DIR] [--properties k=v;k=v] [--symbols]',
  '                            [--version V] [--configuration C]   (the last two for projects)',
  '       nuget-publisher push <file.nupkg> --source URL|DIR [--api-key-env NAME] [--symbols] [--skip-duplicate]',
  '       nuget-publisher unlist|relist <id> <version> --source URL [--api-key-env NAME]',
  '  The API key is read from the environment variable NAME (default NUGET_API_KEY), never from an argument.',
].join('\n');

class UsageError extends Error {}

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
  if (isProjectFile(input)) {
    await findDotnet();
    await mkdir(output, { recursive: true });
    const started = Date.now();
    const code = await new Promise<number>((done) => {
      const child = spawn('dotnet', dotnetPackArgs({ project: input, configuration: options.get('--configuration'), outputDir: output, version: options.get('--version'), symbols: options.has('--symbols') }), { stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', () => done(127));
      child.on('close', (status) => done(status ?? 1));
    });
    if (code !== 0) {
      process.stderr.write(`NP1052: dotnet pack failed with exit code ${code}; its errors are above.\n`);
      return 2;
    }
    (await producedPackages(output, started)).forEach((path) => process.stdout.write(`${path}\n`));
    return 0;
  }
  await mkdir(output, { recursive: true });
  const result = await packNuspec({
    nuspecPath: input,
    basePath: options.get('--base-path'),
    outputDir: output,
    properties: options.has('--properties') ? parseProperties(options.get('--properties') ?? '') : undefined,
    symbols: options.has('--symbols'),
  });
  result.warnings.forEach((warning) => process.stderr.write(`warning: ${warning}\n`));
  result.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning').forEach((diagnostic) => process.stderr.write(`warning ${diagnostic.code}: ${diagnostic.message}\n`));
  process.stdout.write(`${result.packagePath}\n`);
  if (result.symbolsPath) {
    process.stdout.write(`${result.symbolsPath}\n`);
  }
  return 0;
}

function formatText(summary: InspectSummary): string {
  const lines = [
    `${summary.id} ${summary.version}${summary.normalizedVersion && summary.normalizedVersion !== summary.version ? ` (normalized ${summary.normalizedVersion})` : ''}`,
    `authors: ${summary.authors.join(', ')}`,
    `license: ${summary.license ? `${summary.license.type} ${summary.license.value}` : '(none)'}`,
    `description: ${summary.description}`,
    'dependencies:',
    ...summary.dependencyGroups.flatMap((group) => [
      `  ${group.targetFramework || '(any framework)'}`,
      ...(group.dependencies.length > 0 ? group.dependencies.map((dependency) => `    ${dependency.id} ${dependency.range}`) : ['    (none)']),
    ]),
    `files (${summary.files.length}):`,
    ...summary.files.map((file) => `  ${file}`),
    `diagnostics (${summary.diagnostics.length}):`,
    ...summary.diagnostics.map((diagnostic) => `  ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`),
  ];
  return lines.join('\n');
}

async function inspect(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const files = args.filter((arg) => !arg.startsWith('--'));
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--json');
  if (files.length !== 1 || unknown.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  const inspection = await inspectPackageFile(files[0]);
  try {
    const summary = summarize(inspection);
    process.stdout.write(json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatText(summary)}\n`);
  } finally {
    await inspection.pkg.close();
  }
  return 0;
}

/** The key comes from an environment variable, so it never lands in shell history. */
function apiKeyFrom(options: Map<string, string>): string | undefined {
  const name = options.get('--api-key-env') ?? 'NUGET_API_KEY';
  const value = process.env[name];
  if (options.has('--api-key-env') && !value) {
    throw new UsageError(`the environment variable ${name} is empty or not set`);
  }
  return value || undefined;
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

async function push(args: string[]): Promise<number> {
  const { positional, options } = parseArgs(args, ['--source', '--api-key-env'], ['--symbols', '--skip-duplicate']);
  const source = options.get('--source');
  if (positional.length !== 1 || !source) {
    throw new UsageError('push takes one package and --source');
  }
  const packagePath = resolve(positional[0]);
  const skipDuplicate = options.has('--skip-duplicate');
  if (!isUrl(source)) {
    const result = await pushToFolder(packagePath, resolve(source), { skipDuplicate });
    process.stdout.write(`${result.outcome === 'created' ? 'pushed' : 'already there (skipped)'}: ${result.folder}\n`);
    return 0;
  }
  const apiKey = apiKeyFrom(options);
  const index = await discover(source);
  const pkg = await openPackage(packagePath);
  const { id, version } = pkg.nuspec.nuspec.metadata;
  await pkg.close();
  const feedName = new URL(source).host;
  const report = (result: PushResult, what: string): void => {
    result.warnings.forEach((warning) => process.stderr.write(`warning from the server: ${warning}\n`));
    result.notes.forEach((note) => process.stderr.write(`${note}\n`));
    process.stdout.write(`${what}: ${result.outcome} (${result.status})\n`);
  };
  report(await pushPackage({ packagePath, url: resourceUrl(index, 'publish'), apiKey, keyOrigin: new URL(source).origin, id, version, feedName, skipDuplicate }), `${id} ${version}`);
  const symbols = packagePath.replace(/\.nupkg$/i, '.snupkg');
  if (options.has('--symbols') && symbols !== packagePath && (await stat(symbols).then(() => true, () => false))) {
    report(await pushPackage({ packagePath: symbols, url: resourceUrl(index, 'symbolPublish'), apiKey, keyOrigin: new URL(source).origin, id, version, feedName, skipDuplicate }), `${id} ${version} symbols`);
  }
  return 0;
}

async function listing(args: string[], listed: boolean): Promise<number> {
  const { positional, options } = parseArgs(args, ['--source', '--api-key-env'], []);
  const source = options.get('--source');
  if (positional.length !== 2 || !source || !isUrl(source)) {
    throw new UsageError(`${listed ? 'relist' : 'unlist'} takes <id> <version> and --source URL`);
  }
  const index = await discover(source);
  const status = await setListed({ publishUrl: resourceUrl(index, 'publish'), id: positional[0], version: positional[1], listed, apiKey: apiKeyFrom(options), keyOrigin: new URL(source).origin, feedName: new URL(source).host });
  process.stdout.write(`${positional[0]} ${positional[1]} ${listed ? 'relisted' : 'unlisted'} (${status})\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'inspect':
        return await inspect(rest);
      case 'pack':
        return await pack(rest);
      case 'push':
        return await push(rest);
      case 'unlist':
      case 'relist':
        return await listing(rest, command === 'relist');
      case '--help':
      case '-h':
      case undefined:
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 1 : 0;
      default:
        process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
        return 1;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 1;
    }
    process.stderr.write(`${describeError(error)}\n`);
    return 2;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
