/**
 * The release diff's breaking API changes against the real Microsoft.DotNet.ApiCompat.Tool: the
 * suppressions `apicompat package NEW --baseline-package OLD --generate-suppression-file` writes,
 * less those of `apicompat package NEW` alone, compared as a set of (diagnosticId, target, left,
 * right) with ours, on pairs `dotnet pack` builds (one per rule at least) and on 33 real version
 * pairs from the registry. Then the verdict, the version-number check, the CLI's `diff --json`,
 * and the reader under fuzzing.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { diffApiFiles } from '../../src/core/api/apiDiff';
import { readApiSurface } from '../../src/core/api/apiSurface';
import { apiCompatBreaks, apiPairPackages, APICOMPAT_VERSION } from '../helpers/apiCompat';
import { apiFixtures, type ApiCase } from '../helpers/apiFixtures';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { entryBytes } from '../helpers/zipEntries';

/** Ours, as the same keys the oracle gives. */
async function ours(older: string, newer: string): Promise<Set<string>> {
  const diff = await diffApiFiles(older, newer);
  return new Set(diff.breaking.map((change) => [change.diagnosticId, change.target, change.left, change.right].join('|')));
}

function setDifference(theirs: ReadonlySet<string>, mine: ReadonlySet<string>): { missing: string[]; extra: string[] } {
  return { missing: [...theirs].filter((key) => !mine.has(key)).sort(), extra: [...mine].filter((key) => !theirs.has(key)).sort() };
}

describe(`API diff: built pairs against Microsoft.DotNet.ApiCompat.Tool ${APICOMPAT_VERSION}`, () => {
  let cases: Record<ApiCase, { older: string; newer: string }>;
  const oracle = new Map<ApiCase, Set<string>>();
  before(async () => {
    cases = apiFixtures();
    for (const name of Object.keys(cases) as ApiCase[]) {
      oracle.set(name, await apiCompatBreaks(cases[name].older, cases[name].newer));
    }
  });

  it('every built pair: the same set of (diagnosticId, target, left, right)', async () => {
    const differences: string[] = [];
    for (const name of Object.keys(cases) as ApiCase[]) {
      const { missing, extra } = setDifference(oracle.get(name)!, await ours(cases[name].older, cases[name].newer));
      differences.push(...missing.map((key) => `${name}: ApiCompat reports ${key}, we do not`), ...extra.map((key) => `${name}: we report ${key}, ApiCompat does not`));
    }
    assert.deepEqual(differences, []);
  });

  it('the pairs exercise every rule ApiCompat reports by default', () => {
    const ids = new Set([...oracle.values()].flatMap((keys) => [...keys].map((key) => key.split('|')[0])));
    for (const id of ['CP0001', 'CP0002', 'CP0005', 'CP0006', 'CP0007', 'CP0008', 'CP0009', 'CP0012', 'CP0019', 'CP0021']) {
      assert.ok(ids.has(id), `no pair makes ApiCompat report ${id}: ${[...ids].join(', ')}`);
    }
  });

  it('named: ApiCompat reports no CP0010/CP0011 when an enum changes its base type (int → long) and a value (2 → 3); neither do we', async () => {
    const theirs = [...oracle.get('enums')!].filter((key) => /^CP001[01]\|/.test(key));
    assert.deepEqual(theirs, [], 'ApiCompat now reports enum changes: handle CP0010/CP0011');
    assert.deepEqual([...(await ours(cases.enums.older, cases.enums.newer))], []);
  });

  it('the verdict and the version number: breaks under a minor bump, additions under a patch bump, a real patch', async () => {
    const { withApi, diffPackages, snapshot } = await import('../../src/core/diff/packageDiff');
    const judged = async (name: ApiCase): Promise<{ verdict: string; problem?: string }> => {
      const diff = withApi(diffPackages(await snapshot(cases[name].older), await snapshot(cases[name].newer)), await diffApiFiles(cases[name].older, cases[name].newer));
      return { verdict: diff.api!.verdict, ...(diff.versionProblem ? { problem: diff.versionProblem } : {}) };
    };
    assert.deepEqual(await judged('members'), { verdict: 'major', problem: '1.0.0 → 1.1.0 is a minor version, but the release breaks the public API: it needs a new major version (2.0.0).' });
    assert.deepEqual(await judged('rules'), { verdict: 'major' });
    assert.deepEqual(await judged('added'), { verdict: 'minor', problem: '1.0.0 → 1.0.1 is a patch version, but the release adds public API: it needs a new minor version (1.1.0).' });
    assert.deepEqual(await judged('patch'), { verdict: 'patch' });
    const added = await diffApiFiles(cases.added.older, cases.added.newer);
    assert.deepEqual(added.added, ['M:Ns.Kept.B', 'T:Ns.New']);
  });

  it('diff --json gains api: verdict, breaking (diagnosticId, target, left, right) and added', () => {
    const result = runCli(['diff', cases.rules.older, cases.rules.newer, '--json']);
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout) as { api: { verdict: string; breaking: Record<string, string>[]; added: string[] } };
    assert.equal(json.api.verdict, 'major');
    assert.deepEqual(Object.keys(json.api.breaking[0]).sort(), ['diagnosticId', 'left', 'right', 'target']);
    assert.ok(json.api.breaking.some((change) => change.diagnosticId === 'CP0007' && change.target === 'T:Ns.Derived' && change.left === 'lib/net10.0/Lib.dll' && change.right === 'lib/net10.0/Lib.dll'), JSON.stringify(json.api.breaking));
    const text = runCli(['diff', cases.members.older, cases.members.newer]);
    assert.match(text.stdout, /API: needs a major version: 14 breaking changes.*\n {2}! 1\.0\.0 → 1\.1\.0 is a minor version/s);
  });
});

describe('API diff in publish plans', () => {
  it('a plan compares each package with the feed\'s version before it and says when the number is too small', () => {
    const cases = apiFixtures();
    const feed = tempDir('np-api-feed-');
    const folder = tempDir('np-api-plan-');
    assert.equal(runCli(['push', cases.members.older, '--source', feed]).status, 0);
    copyFileSync(cases.members.newer, join(folder, basename(cases.members.newer)));
    copyFileSync(cases.patch.newer, join(folder, basename(cases.patch.newer)));
    const result = runCli(['publish-plan', folder, '--source', feed, '--dry-run']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Api\.Members 1\.1\.0 → .*: publish; API against 1\.0\.0: major \(14 breaking\)\. ! 1\.0\.0 → 1\.1\.0 is a minor version, but the release breaks the public API: it needs a new major version \(2\.0\.0\)\./);
    // A first release has nothing to compare with.
    assert.match(result.stdout, /Api\.Patch 1\.0\.1 → [^\n]*: publish\n/);
  });
});

describe(`API diff: ${33} real version pairs against Microsoft.DotNet.ApiCompat.Tool ${APICOMPAT_VERSION}`, () => {
  it('every pair: the same set of (diagnosticId, target, left, right); several with real breaks', async () => {
    const pairs = apiPairPackages();
    const differences: string[] = [];
    let withBreaks = 0;
    let dropped = 0;
    let total = 0;
    for (const pair of pairs) {
      const theirs = await apiCompatBreaks(pair.older, pair.newer);
      const { missing, extra } = setDifference(theirs, await ours(pair.older, pair.newer));
      const name = `${pair.id} ${pair.older.split('/').at(-2)} → ${pair.newer.split('/').at(-2)}`;
      differences.push(...missing.slice(0, 5).map((key) => `${name}: ApiCompat reports ${key}, we do not`), ...extra.slice(0, 5).map((key) => `${name}: we report ${key}, ApiCompat does not`));
      withBreaks += [...theirs].some((key) => key.startsWith('CP')) ? 1 : 0;
      dropped += [...theirs].some((key) => key.startsWith('PKV006')) ? 1 : 0;
      total += theirs.size;
    }
    assert.deepEqual(differences, []);
    assert.ok(pairs.length >= 30 && withBreaks >= 10 && dropped >= 3 && total >= 1000, `${pairs.length} pairs, ${withBreaks} with API breaks, ${dropped} dropping a framework, ${total} differences in all`);
  });
});

describe('API surface reader under fuzzing', () => {
  it('truncated and bit-flipped assemblies never throw and stay bounded', async () => {
    const cases = apiFixtures();
    const image = await entryBytes(cases.rules.older, 'lib/net10.0/Lib.dll');
    let state = 20261206;
    const next = (): number => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state / 0x7fffffff;
    };
    let read = 0;
    let rejected = 0;
    for (let round = 0; round < 600; round++) {
      const bytes = Buffer.from(image.subarray(0, round % 4 === 0 ? Math.floor(next() * image.length) : image.length));
      for (let flip = 0; flip < 1 + Math.floor(next() * 6); flip++) {
        bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      }
      if (readApiSurface(bytes)) {
        read++;
      } else {
        rejected++;
      }
    }
    assert.ok(read > 0 && rejected > 0, `${read} read, ${rejected} rejected`);
  });
});
