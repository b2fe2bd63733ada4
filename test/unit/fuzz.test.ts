/**
 * Property-based fuzzing (fast-check) of the two parsers that read untrusted bytes: random and
 * mutated nuspecs and mutated zips must each end in a parsed result or an NP error, never an
 * uncaught exception or a hang. Bounded: fixed seeds and run counts, about 20 s in all.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NuGetPublisherError } from '../../src/core/errors';
import { openPackage } from '../../src/core/nupkg/package';
import { parseNuspecBytes } from '../../src/core/nuspec/parse';
import { BASIC_METADATA, nuspecXml, samplePackage } from '../helpers/rawZip';
import { writeTemp } from '../helpers/temp';

const SEED = 20261201;

/** How often the fuzzed input parsed and how often it was refused with an NP error (anything else throws). */
interface Outcomes { parsed: number; refused: number }

function parsesOrRefuses(work: () => unknown, outcomes: Outcomes = { parsed: 0, refused: 0 }): void {
  try {
    work();
    outcomes.parsed++;
  } catch (error) {
    if (!(error instanceof NuGetPublisherError) || !/^NP\d{4}$/.test(error.code)) {
      throw error;
    }
    outcomes.refused++;
  }
}

const FRAGMENTS = ['<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '<!DOCTYPE x>', '<!ENTITY e "x">', '&amp;', '&lt;', '&#x2713;', '&#0;', '&xxe;', '&', '<', '>', '"', "'", '=', '/>', '</metadata>', '<metadata>', '<id>', '</id>', '<dependency id="a" version="1.0"/>', '<group targetFramework="net8.0">', '</group>', ' a="1"', '\u0000', '\uFEFF', '\uD800', 'é'];
const SAMPLE = nuspecXml(`${BASIC_METADATA}<dependencies><group targetFramework="net8.0"><dependency id="A" version="[1.0,2.0)" /></group></dependencies>`);

describe('fuzz', () => {
  it('random fragment soups and mutated nuspecs: a parse or an NP error', () => {
    const soup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 200 }).map((parts) => parts.join(''));
    const mutated = fc.tuple(fc.nat(SAMPLE.length), fc.nat(40), fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 5 })).map(([at, cut, insert]) => SAMPLE.slice(0, at) + insert.join('') + SAMPLE.slice(at + cut));
    const encodings = fc.constantFrom<BufferEncoding>('utf8', 'utf16le', 'latin1');
    const outcomes: Outcomes = { parsed: 0, refused: 0 };
    fc.assert(fc.property(fc.oneof(soup, mutated), encodings, fc.boolean(), (text, encoding, bom) => {
      const body = Buffer.from(text, encoding);
      const bytes = bom ? Buffer.concat([Buffer.from(encoding === 'utf16le' ? [0xff, 0xfe] : [0xef, 0xbb, 0xbf]), body]) : body;
      parsesOrRefuses(() => parseNuspecBytes(bytes), outcomes);
    }), { seed: SEED, numRuns: 3000 });
    // The fuzz reached both sides: inputs that parse and inputs refused with a cause.
    assert.ok(outcomes.parsed > 0 && outcomes.refused > 0, JSON.stringify(outcomes));
  });

  it('deep nesting, long runs and repeated constructs near the size cap stay fast', () => {
    const unit = fc.constantFrom('<a>', '<!--', '<![CDATA[', '&amp;', '<a b="1"/>', '<?x', 'x', '</a>');
    fc.assert(fc.property(unit, fc.integer({ min: 1, max: 4_000_000 }), (piece, size) => {
      const text = `<package><metadata>${piece.repeat(Math.floor(size / piece.length))}`;
      const start = process.cpuUsage();
      parsesOrRefuses(() => parseNuspecBytes(Buffer.from(text)));
      const used = process.cpuUsage(start);
      assert.ok((used.user + used.system) / 1000 < 1000, `${piece} x ${size}: ${(used.user + used.system) / 1000} ms CPU`);
    }), { seed: SEED, numRuns: 24 });
  });

  it('mutated zips (offsets, counts, sizes, names): a package or an NP error', async () => {
    const base = samplePackage();
    const outcomes: Outcomes = { parsed: 0, refused: 0 };
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.boolean(), async (edits, truncate) => {
      const bytes = Buffer.from(base);
      for (const [at, value] of edits) {
        bytes[at] = value;
      }
      const path = writeTemp('fuzz.nupkg', truncate ? bytes.subarray(0, edits[0][0]) : bytes);
      try {
        const pkg = await openPackage(path);
        for (const file of pkg.files) {
          await pkg.readFile(file.path, 1024 * 1024).catch((error: unknown) => {
            if (!(error instanceof NuGetPublisherError)) {
              throw error;
            }
          });
        }
        await pkg.close();
        outcomes.parsed++;
      } catch (error) {
        if (!(error instanceof NuGetPublisherError)) {
          throw error;
        }
        outcomes.refused++;
      }
    }), { seed: SEED, numRuns: 1500 });
    // The fuzz reached both sides: packages that still open and packages refused with a cause.
    assert.ok(outcomes.parsed > 0 && outcomes.refused > 0, JSON.stringify(outcomes));
  });
});
