/**
 * Package health (symbols, PDB matching, Source Link, deterministic, compiler flags) read natively,
 * against System.Reflection.Metadata (test/fidelity/NuGetReader/Health.cs) field by field:
 * - on packages the real `dotnet pack` builds from a local git repository, one per case;
 * - on every package of the real-package corpus (those with PDBs, embedded PDBs and none).
 * Then nuget.org's symbol package rules (NP0093-NP0098) on real and broken pairs, the CLI's
 * `inspect --json` health array, and the readers under fuzzing.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { inspectPackageFile, summarize } from '../../src/core/inspect';
import { readPeDebug, inflateEmbeddedPdb } from '../../src/core/nupkg/peDebug';
import { readPortablePdb } from '../../src/core/nupkg/portablePdb';
import { corpusPackages, healthReading, type OracleHealth } from '../helpers/corpus';
import { healthCommit, healthFixtures, HEALTH_REPOSITORY, type BuiltCase, type HealthCase } from '../helpers/healthFixtures';
import { runCli } from '../helpers/cli';
import { buildZip, nuspecXml } from '../helpers/rawZip';
import { tempDir } from '../helpers/temp';
import { entryBytes } from '../helpers/zipEntries';

const FIELDS = ['pdb', 'pdbMatches', 'portable', 'sourceLink', 'deterministic', 'compilerFlags', 'embeddedSources'] as const;

/** Our health of one package (with the .snupkg beside it, as push finds it). */
async function ours(path: string): Promise<{ health: OracleHealth[]; codes: string[] }> {
  const inspection = await inspectPackageFile(path);
  try {
    const summary = summarize(inspection);
    return { health: summary.health as OracleHealth[], codes: summary.diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.severity}`) };
  } finally {
    await inspection.pkg.close();
  }
}

/** Field-by-field differences between ours and System.Reflection.Metadata's, per assembly. */
function differences(path: string, mine: readonly OracleHealth[], theirs: readonly OracleHealth[] | undefined): string[] {
  if (!theirs) {
    return [`${path}: the oracle could not read it`];
  }
  const found: string[] = [];
  const byFile = new Map(theirs.map((entry) => [entry.file, entry]));
  if (mine.length !== theirs.length) {
    found.push(`${path}: ours has ${mine.length} assemblies, System.Reflection.Metadata ${theirs.length}`);
  }
  for (const entry of mine) {
    const their = byFile.get(entry.file);
    for (const field of FIELDS) {
      if (their?.[field] !== entry[field]) {
        found.push(`${path} ${entry.file} ${field}: ours ${JSON.stringify(entry[field])}, System.Reflection.Metadata ${JSON.stringify(their?.[field])}`);
      }
    }
  }
  return found;
}

/** A copy of a case's .nupkg beside another .snupkg (the way push finds a symbol package). */
function pairedWith(nupkg: string, snupkg: string): string {
  const folder = tempDir('np-health-');
  const target = join(folder, nupkg.split('/').pop()!);
  copyFileSync(nupkg, target);
  copyFileSync(snupkg, target.replace(/\.nupkg$/, '.snupkg'));
  return target;
}

describe('package health: built cases against System.Reflection.Metadata', () => {
  let cases: Record<HealthCase, BuiltCase>;
  let mismatched: string;
  before(() => {
    cases = healthFixtures();
    mismatched = pairedWith(cases.Good.nupkg, cases.OtherBuild.snupkg!);
  });

  it('every case: the same answers, field by field', async () => {
    const paths = [...Object.values(cases).map((built) => built.nupkg), mismatched];
    const theirs = healthReading(paths.map((nupkg) => ({ nupkg, snupkg: nupkg.replace(/\.nupkg$/, '.snupkg') })));
    const found: string[] = [];
    for (const path of paths) {
      found.push(...differences(path, (await ours(path)).health, theirs.get(path)?.health));
    }
    assert.deepEqual(found, []);
  });

  it('each case reads as built: where the PDB is, Source Link, determinism, compiler flags', async () => {
    const one = async (path: string): Promise<OracleHealth> => {
      const { health } = await ours(path);
      assert.equal(health.length, 1, `${path}: one assembly`);
      return health[0];
    };
    assert.deepEqual(await one(cases.Good.nupkg), { file: 'lib/net10.0/Good.dll', pdb: 'snupkg', pdbMatches: true, portable: true, sourceLink: true, deterministic: true, compilerFlags: true, embeddedSources: 2 });
    assert.equal((await one(cases.Embedded.nupkg)).pdb, 'embedded');
    assert.equal((await one(cases.Embedded.nupkg)).sourceLink, true);
    assert.equal((await one(cases.InPackage.nupkg)).pdb, 'package');
    assert.equal((await one(cases.NoSourceLink.nupkg)).sourceLink, false);
    assert.equal((await one(cases.NoSourceLink.nupkg)).pdbMatches, true);
    assert.equal((await one(cases.NonDeterministic.nupkg)).deterministic, false);
    assert.equal((await one(cases.None.nupkg)).pdb, 'none');
    // DebugType=full on Linux: the compiler writes a portable PDB (Windows PDBs are written on Windows only).
    assert.equal((await one(cases.Full.nupkg)).portable, true);
    assert.equal((await one(cases.WrongRepository.nupkg)).sourceLink, false);
    assert.equal((await one(mismatched)).pdbMatches, false);
  });

  it('the findings name each problem: no symbols, another build, another repository, not deterministic', async () => {
    assert.ok((await ours(cases.None.nupkg)).codes.includes('NP0100 info'));
    assert.ok((await ours(cases.NonDeterministic.nupkg)).codes.includes('NP0104 info'));
    assert.ok((await ours(cases.NoSourceLink.nupkg)).codes.includes('NP0102 info'));
    assert.ok((await ours(cases.WrongRepository.nupkg)).codes.includes('NP0103 warning'));
    const other = await ours(mismatched);
    assert.ok(other.codes.includes('NP0101 warning') && other.codes.includes('NP0096 error'), other.codes.join(', '));
    const good = (await ours(cases.Good.nupkg)).codes.filter((code) => /^NP0(09[3-8]|10[0-5])/.test(code));
    assert.deepEqual(good, [], 'a healthy package has no health or symbol findings');
  });

  it('Source Link in the Good case maps to the nuspec repository and the commit it was built from', async () => {
    const inspection = await inspectPackageFile(cases.Good.nupkg);
    try {
      const repository = inspection.pkg.nuspec.nuspec.metadata.repository;
      assert.equal(repository?.url, `${HEALTH_REPOSITORY}.git`);
      assert.equal(repository?.commit, healthCommit());
    } finally {
      await inspection.pkg.close();
    }
  });

  it('inspect --json gains a health array and reads the .snupkg beside the package', () => {
    const result = runCli(['inspect', cases.Good.nupkg, '--json']);
    assert.equal(result.status, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as { health: Record<string, unknown>[] };
    assert.deepEqual(summary.health.map((entry) => Object.keys(entry).sort()), [['compilerFlags', 'deterministic', 'embeddedSources', 'file', 'pdb', 'pdbMatches', 'portable', 'sourceLink']]);
    assert.equal(summary.health[0].pdb, 'snupkg');
  });
});

describe('package health: the real-package corpus against System.Reflection.Metadata', () => {
  it('every assembly of every corpus package: the same answers, field by field', async () => {
    const packages = corpusPackages();
    const theirs = healthReading(packages.map((entry) => ({ nupkg: entry.path })));
    const found: string[] = [];
    const seen = { embedded: 0, package: 0, windows: 0, sourceLink: 0, assemblies: 0 };
    for (const entry of packages) {
      const { health } = await ours(entry.path);
      found.push(...differences(entry.path, health, theirs.get(entry.path)?.health));
      for (const assembly of health) {
        seen.assemblies++;
        seen.embedded += assembly.pdb === 'embedded' ? 1 : 0;
        seen.package += assembly.pdb === 'package' ? 1 : 0;
        seen.windows += assembly.portable === false ? 1 : 0;
        seen.sourceLink += assembly.sourceLink ? 1 : 0;
      }
    }
    assert.deepEqual(found, [], `${found.length} difference(s)`);
    assert.ok(seen.assemblies >= 600 && seen.embedded >= 50 && seen.package >= 40 && seen.windows >= 2 && seen.sourceLink >= 80, JSON.stringify(seen));
  });
});

describe('nuget.org symbol package rules', () => {
  let cases: Record<HealthCase, BuiltCase>;
  before(() => {
    cases = healthFixtures();
  });

  const nuspec = (id: string): string => nuspecXml(`    <id>${id}</id>\n    <version>1.0.0</version>\n    <authors>Health</authors>\n    <description>Symbols.</description>\n    <packageTypes><packageType name="SymbolsPackage" /></packageTypes>`);
  const withSymbols = (entries: { name: string; data: Buffer | string }[], id = 'Health.Good'): string => {
    const target = join(tempDir('np-symbols-'), 'Health.Good.1.0.0.nupkg');
    copyFileSync(cases.Good.nupkg, target);
    const zip = buildZip([{ name: `${id}.nuspec`, data: nuspec(id) }, ...entries]);
    writeFileSync(target.replace(/\.nupkg$/, '.snupkg'), zip);
    return target;
  };
  const codes = async (path: string): Promise<string[]> => (await ours(path)).codes.filter((code) => code.endsWith('error'));
  const goodPdb = (): Promise<Buffer> => entryBytes(cases.Good.snupkg!, 'lib/net10.0/Good.pdb');

  it('the real pair passes, and each broken .snupkg gets the error nuget.org would send', async () => {
    assert.deepEqual(await codes(cases.Good.nupkg), []);
    assert.deepEqual(await codes(withSymbols([{ name: 'readme.txt', data: 'no symbols' }])), ['NP0093 error']);
    assert.deepEqual(await codes(withSymbols([{ name: 'lib/net10.0/Other.pdb', data: await goodPdb() }])), ['NP0095 error']);
    assert.deepEqual(await codes(withSymbols([{ name: 'lib/net10.0/Good.pdb', data: await goodPdb() }], 'Health.Other')), ['NP0098 error']);
    assert.deepEqual(await codes(pairedWith(cases.Good.nupkg, cases.OtherBuild.snupkg!)), ['NP0096 error']);
    const pdbsUnder = (folder: string): string[] => readdirSync(folder).flatMap((name) => (statSync(join(folder, name)).isDirectory() ? pdbsUnder(join(folder, name)) : name.toLowerCase().endsWith('.pdb') ? [join(folder, name)] : []));
    const windows = corpusPackages().map((entry) => dirname(entry.path)).flatMap(pdbsUnder).find((path) => readFileSync(path).subarray(0, 4).toString('latin1') === 'Micr');
    assert.ok(windows, 'the corpus has a Windows PDB');
    assert.deepEqual(await codes(withSymbols([{ name: 'lib/net10.0/Good.pdb', data: readFileSync(windows) }])), ['NP0094 error']);
    const unsafe = await codes(withSymbols([{ name: '../evil.pdb', data: await goodPdb() }]));
    assert.deepEqual(unsafe, ['NP0097 error']);
  });

  it('the errors block a nuget.org publish like every rule error', async () => {
    const { preparePublish, mayPublish } = await import('../../src/core/publish/prepare');
    const prepared = await preparePublish(pairedWith(cases.Good.nupkg, cases.OtherBuild.snupkg!));
    const gate = mayPublish({ kind: 'nuget.org', source: 'https://api.nuget.org/v3/index.json', name: 'nuget.org' } as never, prepared.findings);
    assert.equal(gate.verdict, 'no');
    assert.match(gate.summary, /NP0096/);
  });
});

describe('package health readers under fuzzing', () => {
  it('truncated and bit-flipped images and PDBs never throw and stay bounded', async () => {
    const cases = healthFixtures();
    const image = await entryBytes(cases.Embedded.nupkg, 'lib/net10.0/Embedded.dll');
    const pdb = await entryBytes(cases.Good.snupkg!, 'lib/net10.0/Good.pdb');
    let state = 20261206;
    const next = (): number => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state / 0x7fffffff;
    };
    let read = 0;
    let rejected = 0;
    for (let round = 0; round < 400; round++) {
      for (const original of [image, pdb]) {
        const bytes = Buffer.from(original.subarray(0, round % 4 === 0 ? Math.floor(next() * original.length) : original.length));
        for (let flip = 0; flip < 1 + Math.floor(next() * 6); flip++) {
          bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
        }
        const outcome = original === image ? readPeDebug(bytes) : readPortablePdb(bytes);
        const embedded = original === image ? (outcome as ReturnType<typeof readPeDebug>)?.embeddedPdb : undefined;
        if (embedded) {
          await inflateEmbeddedPdb(embedded);
        }
        if (outcome) {
          read++;
        } else {
          rejected++;
        }
      }
    }
    assert.ok(read > 0 && rejected > 0, `${read} read, ${rejected} rejected`);
  });
});
