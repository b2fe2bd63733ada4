/**
 * The quick `inspect` bundle (dist/cli-inspect.js): the most common call from CI and scripts
 * loads only the package reader and the rule checks, not the HTTP stack, the packer or the plan,
 * so the whole process starts faster than NuGet's own reader. Output and exit codes are the full
 * CLI's (the same inspectVerb; errors through the same scrubber and NP codes).
 */
import { describeError, toUserError } from '../core/errors';
import { fsFailure } from '../core/fsSafe';
import { escapeControl, SecretScrubber } from '../core/secrets/scrubber';
import { inspectVerb } from './inspectVerb';

const scrubber = new SecretScrubber();
const out = (text: string): void => void process.stdout.write(escapeControl(scrubber.scrub(text), true));
const err = (text: string): void => void process.stderr.write(escapeControl(scrubber.scrub(text), true));

void inspectVerb(process.argv.slice(3), { out, err }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    err(`${describeError(toUserError(error, (errno) => fsFailure(errno, 'NP0990', 'The command', errno.path ?? 'a file')))}\n`);
    process.exitCode = 2;
  },
);
