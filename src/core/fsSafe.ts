/**
 * File-system helpers shared by every reader and writer of user files: regular files only (a FIFO
 * or device never blocks a read), bounded reads, folders created with a clear cause, and one
 * mapping from errno codes to a cause and a fix with an NP code.
 */
import { constants, type Stats } from 'node:fs';
import { access, mkdir, open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { NuGetPublisherError } from './errors';

/** Why an errno happened, in words, and what to do. */
function explain(code: string | undefined, path: string): { cause: string; fix: string } {
  switch (code) {
    case 'ENOENT':
      return { cause: `${path} does not exist`, fix: 'Check the path, or create the folder first.' };
    case 'EACCES':
    case 'EPERM':
      return { cause: `${path} is not accessible (permission denied)`, fix: 'Fix the permissions or choose another location.' };
    case 'EROFS':
      return { cause: `${path} is on a read-only file system`, fix: 'Choose a location on a writable disk.' };
    case 'ENOSPC':
    case 'EDQUOT':
      return { cause: `the disk holding ${path} is full`, fix: 'Free some space and try again.' };
    case 'EEXIST':
      return { cause: `${path} already exists as a file where a folder is needed`, fix: 'Remove or rename that file, or choose another location.' };
    case 'ENOTDIR':
      return { cause: `a part of ${path} is a file, not a folder`, fix: 'Use a folder path (a file of that name is in the way).' };
    case 'EISDIR':
      return { cause: `${path} is a folder where a file is needed`, fix: 'Choose a file.' };
    case 'ENAMETOOLONG':
      return { cause: `the path ${path.length > 120 ? `${path.slice(0, 120)}…` : path} is longer than the file system allows`, fix: 'Use a shorter folder path or a shorter package id.' };
    case 'ELOOP':
      return { cause: `${path} leads into a loop of symbolic links`, fix: 'Fix the links.' };
    case 'EMFILE':
    case 'ENFILE':
      return { cause: 'too many files are open', fix: 'Close other programs and try again.' };
    case 'EBUSY':
      return { cause: `${path} is in use by another program`, fix: 'Close the program using it and try again.' };
    default:
      return { cause: `${path}: ${code ?? 'unknown error'}`, fix: 'Check the path and try again.' };
  }
}

/** Wraps a file-system error in an NP error: "<action> failed: <cause> (<ERRNO>)." + fix. */
export function fsFailure(error: unknown, npCode: string, action: string, path: string, consequence = ''): NuGetPublisherError {
  if (error instanceof NuGetPublisherError) {
    return error;
  }
  const code = (error as NodeJS.ErrnoException).code;
  const { cause, fix } = explain(code, path);
  return new NuGetPublisherError(npCode, `${action} failed: ${cause}${code ? ` (${code})` : ''}.${consequence ? ` ${consequence}` : ''}`, fix);
}

/** What a non-regular file is, in words ("a named pipe (FIFO)"). */
export function fileKind(stats: Stats): string {
  return stats.isFile() ? 'a file' : stats.isDirectory() ? 'a folder' : stats.isFIFO() ? 'a named pipe (FIFO)' : stats.isSocket() ? 'a socket' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'not a regular file';
}

/**
 * Throws NP0900 unless `path` is a regular file (folders, FIFOs, sockets and devices refused);
 * `refuse` words the error for its caller (the zip reader says "not a package file").
 */
export async function assertRegularFile(path: string, refuse: (kind: string) => never = (kind) => {
  throw new NuGetPublisherError('NP0900', `${path} is ${kind}, not a file that can be read.`, 'Choose a regular file.');
}): Promise<number> {
  const stats = await stat(path);
  if (!stats.isFile()) {
    refuse(fileKind(stats));
  }
  return stats.size;
}

/** Reads a regular file of at most maxBytes (stat first; O_NONBLOCK so a swapped-in FIFO cannot block). */
export async function readRegularFile(path: string, maxBytes: number, npCode = 'NP0900'): Promise<Buffer> {
  let handle;
  try {
    await assertRegularFile(path);
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw fsFailure(error, npCode, 'Reading a file', path);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new NuGetPublisherError(npCode, `${path} is not a regular file.`, 'Choose a regular file.');
    }
    if (stats.size > maxBytes) {
      throw new NuGetPublisherError(npCode, `${path} is ${stats.size} bytes, more than the ${maxBytes} bytes allowed here.`, 'Use a smaller file.');
    }
    const buffer = Buffer.alloc(stats.size);
    let done = 0;
    while (done < buffer.length) {
      const { bytesRead } = await handle.read(buffer, done, buffer.length - done, done);
      if (bytesRead === 0) {
        break;
      }
      done += bytesRead;
    }
    return buffer.subarray(0, done);
  } finally {
    await handle.close();
  }
}

/**
 * mkdir -p with a true cause: Node reports ENOENT for some read-only or unwritable parents, so
 * the nearest existing ancestor is checked before blaming a missing folder.
 */
export async function makeFolder(path: string, npCode: string, what: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      let ancestor = resolve(path);
      while (!(await stat(ancestor).then(() => true, () => false)) && dirname(ancestor) !== ancestor) {
        ancestor = dirname(ancestor);
      }
      const writable = await access(ancestor, constants.W_OK).then(() => true, () => false);
      if (!writable) {
        throw fsFailure(Object.assign(new Error('read-only'), { code: 'EROFS' }), npCode, `Creating ${what}`, ancestor);
      }
    }
    throw fsFailure(error, npCode, `Creating ${what}`, path);
  }
}
