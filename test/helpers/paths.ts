/** Where the repository is, seen from the compiled tests (out/test/helpers). */
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
