#!/usr/bin/env node
/**
 * CLI twin of the extension: the same core, no VS Code (usage: src/cli/usage.ts).
 * This entry only picks the bundle: `inspect` runs dist/cli-inspect.js (the package reader alone,
 * for a quick start); every other verb runs dist/cli-main.js (src/cli/main.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(process.argv[2] === 'inspect' ? './cli-inspect.js' : './cli-main.js');
