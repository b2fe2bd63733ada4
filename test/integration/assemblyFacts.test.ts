/**
 * Assembly facts (name, version, TargetFrameworkAttribute, reference assembly) read by our
 * minimal CLI metadata reader, against System.Reflection.Metadata on every .dll of the
 * real-package corpus; and the reader under fuzzing: truncated and bit-flipped images give a
 * fact or "not an assembly", never an exception or a hang.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MAX_ASSEMBLY_ATTRIBUTES, readAssemblyFacts, readAssemblyFactsAsync, readAssemblyFactsChecked } from '../../src/core/nupkg/assemblyFacts';
import { buildAssemblyImage } from '../helpers/peImage';
import { openPackage } from '../../src/core/nupkg/package';
import { readPackageAssemblies } from '../../src/core/nupkg/packageAssemblies';
import { corpusPackages, metadataReading } from '../helpers/corpus';
import { BASIC_METADATA, buildZip, nuspecXml } from '../helpers/rawZip';
import { writeTemp } from '../helpers/temp';

function dllsUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      found.push(...dllsUnder(path));
    } else if (entry.name.toLowerCase().endsWith('.dll')) {
      found.push(path);
    }
  }
  return found;
}

/** A small deterministic generator, so a failing fuzz case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

describe('assembly facts: ours against System.Reflection.Metadata', () => {
  let dlls: string[];
  before(() => {
    // The packages restore extracted on disk next to each .nupkg.
    dlls = [...new Set(corpusPackages().map((entry) => dirname(entry.path)))].flatMap(dllsUnder).sort();
  });

  it('every .dll of the corpus: name, version, target framework and reference-assembly flag are the same', () => {
    const theirs = metadataReading(dlls);
    const differences: string[] = [];
    let withFramework = 0;
    let references = 0;
    for (const path of dlls) {
      const expected = theirs.get(path)!;
      const ours = readAssemblyFacts(readFileSync(path));
      const their = expected.assembly ? { name: expected.name, version: expected.version, ...(expected.targetFramework ? { targetFramework: expected.targetFramework } : {}), referenceAssembly: expected.referenceAssembly } : undefined;
      if (JSON.stringify(ours) !== JSON.stringify(their)) {
        differences.push(`${path}: ours ${JSON.stringify(ours)} System.Reflection.Metadata ${JSON.stringify(their)}`);
      }
      withFramework += ours?.targetFramework ? 1 : 0;
      references += ours?.referenceAssembly ? 1 : 0;
    }
    assert.deepEqual(differences, [], `${differences.length} difference(s) of ${dlls.length}`);
    assert.ok(dlls.length >= 500 && withFramework >= 300 && references >= 10, `${dlls.length} dlls, ${withFramework} with a target framework, ${references} reference assemblies`);
  });

  it('fuzzed images (truncated, bytes flipped in the headers and the metadata) never throw and stay bounded', () => {
    const samples = dlls.filter((path) => statSync(path).size < 2_000_000).slice(0, 40);
    const next = random(20261202);
    let cases = 0;
    for (const path of samples) {
      const original = readFileSync(path);
      for (let round = 0; round < 50; round++) {
        const bytes = Buffer.from(original.subarray(0, round % 5 === 0 ? Math.floor(next() * original.length) : original.length));
        // Flips land mostly in the first 64 kB, where the PE headers, CLI header and metadata root are.
        for (let flip = 0; flip < 1 + Math.floor(next() * 8); flip++) {
          const at = Math.floor(next() * Math.min(bytes.length, next() < 0.8 ? 65536 : bytes.length));
          bytes[at] = Math.floor(next() * 256);
        }
        const facts = readAssemblyFacts(bytes);
        assert.ok(facts === undefined || (typeof facts.name === 'string' && facts.name.length <= 1024 && /^\d+\.\d+\.\d+\.\d+$/.test(facts.version)), `${path} round ${round}`);
        cases++;
      }
    }
    assert.ok(cases >= 1000, `${cases} cases`);
  });

  it('findings: a build in the wrong framework folder (NP0085), a reference assembly in lib/ (NP0086); none on any corpus package', async () => {
    const facts = new Map(dlls.map((path) => [path, readAssemblyFacts(readFileSync(path))] as const));
    const net = dlls.find((path) => /\/lib\/net8\.0\//.test(path) && facts.get(path)?.targetFramework === '.NETCoreApp,Version=v8.0')!;
    const reference = dlls.find((path) => /\/ref\//.test(path) && facts.get(path)?.referenceAssembly)!;
    assert.ok(net && reference, 'the corpus has a net8.0 build and a reference assembly');
    const path = writeTemp('Contoso.Mixed.1.0.0.nupkg', buildZip([
      { name: 'Contoso.Mixed.nuspec', data: nuspecXml(BASIC_METADATA.replace(/<id>[^<]*<\/id>/, '<id>Contoso.Mixed</id>')) },
      { name: 'lib/netstandard2.0/Mixed.dll', data: readFileSync(net) },
      { name: 'lib/net8.0/Mixed.dll', data: readFileSync(net) },
      // In the lib/ folder of the framework it was built for: only NP0086 applies to it.
      { name: `lib/${/\/ref\/([^/]+)\//.exec(reference)![1]}/Ref.dll`, data: readFileSync(reference) },
    ]));
    const pkg = await openPackage(path);
    try {
      const { assemblies, diagnostics } = await readPackageAssemblies(pkg);
      assert.equal(assemblies.length, 3);
      assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message.split(' ')[0]]), [['NP0085', 'lib/netstandard2.0/Mixed.dll'], ['NP0086', `lib/${/\/ref\/([^/]+)\//.exec(reference)![1]}/Ref.dll`]]);
    } finally {
      await pkg.close();
    }
    for (const entry of corpusPackages()) {
      const opened = await openPackage(entry.path);
      try {
        assert.deepEqual((await readPackageAssemblies(opened)).diagnostics, [], entry.path);
      } finally {
        await opened.close();
      }
    }
  });

  it('a hostile image (16,000 TypeDefs, MethodDef-constructed assembly attributes) reads in linear time, as System.Reflection.Metadata reads it', () => {
    // The shape that took the old reader 17 s of CPU: every attribute's constructor looked up by
    // walking the TypeDefs. Just under the attribute cap, so it is read to the end.
    const image = buildAssemblyImage({ name: 'Hostile.Types', version: [1, 2, 3, 4], targetFramework: '.NETCoreApp,Version=v8.0', types: 16_000, attributes: MAX_ASSEMBLY_ATTRIBUTES - 1 });
    const path = writeTemp('Hostile.Types.dll', image);
    const started = process.cpuUsage();
    const ours = readAssemblyFactsChecked(image);
    const cpuMs = (process.cpuUsage(started).user + process.cpuUsage(started).system) / 1000;
    const theirs = metadataReading([path]).get(path);
    assert.ok(theirs?.assembly, `System.Reflection.Metadata reads the generated image: ${JSON.stringify(theirs)}`);
    assert.deepEqual(ours, { facts: { name: theirs.name, version: theirs.version, targetFramework: theirs.targetFramework ?? undefined, referenceAssembly: theirs.referenceAssembly ?? false } });
    assert.ok(cpuMs < 1000, `${cpuMs.toFixed(0)} ms of CPU`);
  });

  it('200,000 assembly attributes: capped with a reason (NP0087 in the inspector) within a second; a spent time budget caps too', async () => {
    const image = buildAssemblyImage({ name: 'Hostile.Flood', version: [1, 0, 0, 0], targetFramework: '.NETCoreApp,Version=v8.0', types: 16_000, attributes: 200_000 });
    const started = process.cpuUsage();
    const ours = readAssemblyFactsChecked(image);
    const cpuMs = (process.cpuUsage(started).user + process.cpuUsage(started).system) / 1000;
    assert.equal(ours.facts, undefined);
    assert.match(ours.capped ?? '', /more than 10000 assembly-level custom attributes/);
    assert.ok(cpuMs < 1000, `${cpuMs.toFixed(0)} ms of CPU`);
    assert.match(readAssemblyFactsChecked(image, { budgetMs: 0 }).capped ?? '', /took longer than the inspector allows/);
    // In a package: the inspector says why the assembly shows no facts.
    const path = writeTemp('Contoso.Flood.1.0.0.nupkg', buildZip([
      { name: 'Contoso.Flood.nuspec', data: nuspecXml(BASIC_METADATA.replace(/<id>[^<]*<\/id>/, '<id>Contoso.Flood</id>')) },
      { name: 'lib/net8.0/Flood.dll', data: image },
    ]));
    const pkg = await openPackage(path);
    try {
      const { assemblies, diagnostics } = await readPackageAssemblies(pkg);
      assert.deepEqual(assemblies, []);
      assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['NP0087', 'info']]);
      assert.match(diagnostics[0].message, /^lib\/net8\.0\/Flood\.dll was not read to the end: it has more than 10000/);
    } finally {
      await pkg.close();
    }
  });

  it('read in chunks: the event loop keeps turning while a large image is read (the extension host stays responsive)', async () => {
    // 1,200,000 attribute rows to walk (most on types), so the read takes many chunks.
    const image = buildAssemblyImage({ name: 'Hostile.Large', version: [2, 0, 0, 0], targetFramework: '.NETStandard,Version=v2.0', types: 16_000, attributes: MAX_ASSEMBLY_ATTRIBUTES - 1, typeAttributes: 1_190_000 });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    delay.enable();
    const started = performance.now();
    let readMs: number;
    try {
      const reading = await readAssemblyFactsAsync(image, { budgetMs: 30_000 });
      readMs = performance.now() - started;
      assert.equal(reading.facts?.name, 'Hostile.Large');
    } finally {
      delay.disable();
      clearInterval(ticker);
    }
    assert.ok(ticks >= 10, `timers ran during the read (${ticks} times in ${readMs.toFixed(0)} ms)`);
    // Read in one go, the longest stall would be the whole read; in chunks it is a small part of
    // it (a ratio, so a busy machine slows both alike).
    assert.ok(delay.max / 1e6 < readMs / 3, `the longest stall of the event loop was ${(delay.max / 1e6).toFixed(0)} ms of a ${readMs.toFixed(0)} ms read`);
  });
});
