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

  it('flags what NuGet.Frameworks reads as "unsupported", and accepts what it accepts', () => {
    for (const name of ['foo', 'portable-foo+bar', '_grpc', 'linux_x64', 'net8.0-windows!']) {
      assert.equal(parseFramework(name).known, false, name);
    }
    // NuGet's own answers (checked against NuGet.Frameworks by test/integration/fidelity.test.ts).
    for (const [name, short] of [['net8', 'net8.0'], ['netstandard', 'netstandard'], ['net8.0-banana', 'net8.0-banana'], ['Xamarin.iOS1.0', 'xamarinios10'], ['.NETPortable0.0-Profile259', 'portable-net45+win8+wp8+wpa81'], ['portable-net40+sl5+wp80+win8+wpa81', 'portable-net40+sl5+win8+wp8+wpa81'], ['win10', 'win1'], ['net40-full', 'net40']]) {
      assert.equal(parseFramework(name).shortName, short, name);
      assert.equal(parseFramework(name).known, true, name);
    }
  });
});
