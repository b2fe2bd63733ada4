/**
 * The API diff of two package files, and where it is computed: in-process by default (the CLI),
 * or by the reader the host installs (the extension: its analysis worker thread).
 */
import { openPackage } from '../nupkg/package';
import { comparePackageApis, type PackageApiDiff } from './packageApi';

export type ApiDiffReader = (older: string, newer: string) => Promise<PackageApiDiff>;

/** Opens both packages and compares their public API (older first). */
export async function diffApiFiles(older: string, newer: string): Promise<PackageApiDiff> {
  const left = await openPackage(older);
  try {
    const right = await openPackage(newer);
    try {
      return await comparePackageApis(left, right);
    } finally {
      await right.close();
    }
  } finally {
    await left.close();
  }
}

let reader: ApiDiffReader = diffApiFiles;

/** Installs where API diffs are computed; undefined puts back the in-process reader. */
export function useApiDiffReader(next: ApiDiffReader | undefined): void {
  reader = next ?? diffApiFiles;
}

export function readApiDiff(older: string, newer: string): Promise<PackageApiDiff> {
  return reader(older, newer);
}
