import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseFramework } from '../../src/core/frameworks';

describe('target frameworks', () => {
  it('maps long and short spellings to one short name', () => {
    const cases: [string, string][] = [
      ['.NETStandard2.0', 'netstandard2.0'], ['netstandard2.0', 'netstandard2.0'], ['.NETFramework4.7.2', 'net472'],
      ['.NETFramework,Version=v4.5', 'net45'], ['net472', 'net472'], ['.NETCoreApp3.1', 'netcoreapp3.1'],
      ['.NETCoreApp8.0', 'net8.0'], ['net8.0', 'net8.0'], ['NET10.0', 'net10.0'], ['net8.0-windows10.0.19041', 'net8.0-windows10.0.19041'],
      ['net8.0-android', 'net8.0-android'], ['uap10.0', 'uap10.0'], ['monoandroid', 'monoandroid'], ['portable-net45+win8', 'portable-net45+win8'],
    ];
    for (const [input, expected] of cases) {
      const framework = parseFramework(input);
      assert.equal(framework.shortName, expected, input);
      assert.equal(framework.known, true, input);
    }
  });

  it('flags unknown names', () => {
    for (const name of ['net8', 'netstandard', 'foo', 'net8.0-banana', 'portable-foo+bar']) {
      assert.equal(parseFramework(name).known, false, name);
    }
  });
});
