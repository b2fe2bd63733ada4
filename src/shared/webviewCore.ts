/**
 * The parts of the core the webviews use (pure functions and types, no Node APIs): the webviews
 * reach src/core only through src/shared, so what runs in them is named here (an ESLint rule).
 */
export { describeRange, parseVersionRange } from '../core/version';
export { parseFramework } from '../core/frameworks';
export { escapeXml } from '../core/xml';
export type { KeyScope } from '../core/keys/types';
