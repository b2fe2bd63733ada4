#!/usr/bin/env node
/**
 * CLI twin of the extension: the same core, no VS Code.
 *   nuget-publisher inspect <file> [--json]
 * Exit codes: 0 readable package (even with diagnostics), 1 usage error, 2 unreadable input.
 */
import { describeError } from './core/errors';
import { inspectPackageFile, summarize, type InspectSummary } from './core/inspect';

const USAGE = 'usage: nuget-publisher inspect <file.nupkg|file.snupkg> [--json]';

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
    process.stderr.write(`${describeError(error)}\n`);
    return 2;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
