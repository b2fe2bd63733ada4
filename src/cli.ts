#!/usr/bin/env node
/**
 * CLI twin of the extension: the same core, no VS Code.
 *   nuget-publisher inspect <file> [--json]
 *   nuget-publisher pack <file.nuspec|project> [--base-path DIR] [--output DIR] [--properties k=v;k=v] [--symbols] [--version V] [--configuration C]
 * Exit codes: 0 success (inspect: a readable package, even with diagnostics), 1 usage error,
 * 2 failure with a one-line cause on stderr.
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describeError } from './core/errors';
import { inspectPackageFile, summarize, type InspectSummary } from './core/inspect';
import { dotnetPackArgs, findDotnet, isProjectFile, producedPackages } from './core/pack/dotnetPack';
import { packNuspec } from './core/pack/packNuspec';
import { parseProperties } from './core/pack/tokens';

const USAGE = [
  'usage: nuget-publisher inspect <file.nupkg|file.snupkg> [--json]',
  '       nuget-publisher pack <file.nuspec|project> [--base-path DIR] [--output DIR] [--properties k=v;k=v] [--symbols]',
  '                            [--version V] [--configuration C]   (the last two for projects)',
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

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'inspect':
        return await inspect(rest);
      case 'pack':
        return await pack(rest);
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
