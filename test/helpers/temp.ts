/** Temp folders for tests, removed at process exit. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const folders: string[] = [];
process.on('exit', () => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

export function tempDir(prefix = 'np-test-'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

export function writeTemp(name: string, data: Buffer | string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, data);
  return path;
}
