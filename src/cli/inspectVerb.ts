/**
 * `inspect <file> [--json]`: the package's summary and nuget.org findings. Shared by the full CLI
 * and the quick `inspect` bundle (dist/cli-inspect.js), which loads only the package reader.
 */
import { escapeControl } from '../core/secrets/scrubber';
import { inspectPackageFile, summarize, type InspectSummary } from '../core/inspect';
import { USAGE } from './usage';

export interface InspectIo {
  out(text: string): void;
  err(text: string): void;
}

/** One untrusted field on one line (an entry name, an id, a description). */
const field = (text: string): string => escapeControl(text);

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

function formatText(summary: InspectSummary): string {
  const lines = [
    `${field(summary.id)} ${field(summary.version)}${summary.normalizedVersion && summary.normalizedVersion !== summary.version ? ` (normalized ${field(summary.normalizedVersion)})` : ''}`,
    `authors: ${field(summary.authors.join(', '))}`,
    `license: ${summary.license ? `${field(summary.license.type)} ${field(summary.license.value)}` : '(none)'}`,
    `description: ${field(summary.description)}`,
    'dependencies:',
    ...summary.dependencyGroups.flatMap((group) => [
      `  ${field(group.targetFramework) || '(any framework)'}`,
      ...(group.dependencies.length > 0 ? group.dependencies.map((dependency) => `    ${field(dependency.id)} ${field(dependency.range)}`) : ['    (none)']),
    ]),
    `files (${summary.files.length}):`,
    ...summary.files.map((file) => `  ${field(file)}`),
    `signatures (${summary.signatures.length === 0 ? 'unsigned' : `content ${summary.signedContent}`}):`,
    ...summary.signatures.map((signature) => `  ${signature.type}: ${field(signature.subject)} (SHA-256 ${signature.sha256}, valid ${signature.validFrom.slice(0, 10)} to ${signature.validTo.slice(0, 10)}${signature.timestamp ? `, timestamped ${signature.timestamp}` : ', no timestamp'})`),
    `health (${summary.health.length} assembl${summary.health.length === 1 ? 'y' : 'ies'}):`,
    ...summary.health.map((entry) => `  ${field(entry.file)}: symbols ${entry.pdb}${entry.pdbMatches === false ? ' (from another build)' : entry.portable === false ? ' (Windows PDB)' : ''}, Source Link ${yesNo(entry.sourceLink)}, deterministic ${yesNo(entry.deterministic)}, compiler flags ${yesNo(entry.compilerFlags)}`),
    `diagnostics (${summary.diagnostics.length}):`,
    ...summary.diagnostics.map((diagnostic) => `  ${diagnostic.severity} ${diagnostic.code}: ${field(diagnostic.message)}`),
  ];
  return lines.join('\n');
}

export async function inspectVerb(args: string[], io: InspectIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`${USAGE}\n`); // asked for: on stdout, exit 0
    return 0;
  }
  const json = args.includes('--json');
  const files = args.filter((arg) => !arg.startsWith('--'));
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--json');
  if (files.length !== 1 || unknown.length > 0) {
    io.err(`${USAGE}\n`);
    return 1;
  }
  const inspection = await inspectPackageFile(files[0]);
  try {
    const summary = summarize(inspection);
    io.out(json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatText(summary)}\n`);
  } finally {
    await inspection.pkg.close();
  }
  return 0;
}
