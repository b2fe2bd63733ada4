#!/usr/bin/env -S node --max-semi-space-size=1 --no-opt
/**
 * CLI twin of the extension: the same core, no VS Code (usage: src/cli/usage.ts).
 * The shebang tunes V8 for a short-lived process whose heavy work is native (zlib, CRC, I/O):
 * a 1 MB young generation and no optimising compiler (TurboFan's compile zones were a third of
 * `pack`'s peak memory). Measured by `npm run bench`: pack of 2,000 files + 50 MB 81 -> 63 MiB
 * peak at the same speed, inspect of a 10,000-entry package no slower. npm's bin shims (cmd-shim
 * on Windows) keep these arguments; `node dist/cli.js` runs without them, as before.
 * This entry only picks the bundle: `inspect` runs dist/cli-inspect.js (the package reader alone,
 * for a quick start); every other verb runs dist/cli-main.js (src/cli/main.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(process.argv[2] === 'inspect' ? './cli-inspect.js' : './cli-main.js');
