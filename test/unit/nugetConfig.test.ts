/** NuGet.Config import (merge order, <clear/>, credentials, DPAPI values) and the feed setting. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseFeedSetting } from '../../src/core/feeds/feed';
import { configSearchFolders, readNuGetConfigs } from '../../src/core/feeds/nugetConfig';

const USER = {
  path: '/home/dev/.nuget/NuGet/NuGet.Config',
  text: `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
    <add key="Old Company" value="https://old.example.com/v3/index.json" />
  </packageSources>
  <apikeys>
    <add key="https://api.nuget.org/v3/index.json" value="AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAA" />
  </apikeys>
</configuration>`,
};

const REPO = {
  path: '/work/repo/NuGet.Config',
  text: `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <!-- <add key="commented" value="https://commented.example/index.json" /> -->
  <packageSources>
    <clear />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
    <add key="Team Feed" value="https://pkgs.dev.azure.com/contoso/_packaging/team/nuget/v3/index.json" />
    <add key="local" value="./artifacts/feed" />
    <add key="From Env" value="%FEED_ROOT%/pkgs" />
    <add key="Windows Only" value="https://win.example.com/v3/index.json" />
    <add key="Disabled One" value="https://disabled.example.com/v3/index.json" />
  </packageSources>
  <disabledPackageSources>
    <add key="Disabled One" value="true" />
  </disabledPackageSources>
  <packageSourceCredentials>
    <Team_x0020_Feed>
      <add key="Username" value="dev@contoso.com" />
      <add key="ClearTextPassword" value="pat-secret-value" />
    </Team_x0020_Feed>
    <Windows_x0020_Only>
      <add key="Username" value="dev" />
      <add key="Password" value="AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAAencrypted" />
    </Windows_x0020_Only>
  </packageSourceCredentials>
</configuration>`,
};

describe('NuGet.Config import', () => {
  it('merges user then repository files: <clear/> drops the user sources, order and overrides as NuGet', () => {
    const sources = readNuGetConfigs([USER, REPO], { FEED_ROOT: '/srv/feeds' });
    assert.deepEqual(sources.map((source) => source.name), ['nuget.org', 'Team Feed', 'local', 'From Env', 'Windows Only', 'Disabled One']);
    assert.ok(!sources.some((source) => source.name === 'Old Company'), '<clear/> removed the user-level source');
    assert.equal(sources.find((source) => source.name === 'local')?.source, '/work/repo/artifacts/feed', 'relative folders resolve against the config file');
    assert.equal(sources.find((source) => source.name === 'From Env')?.source, '/srv/feeds/pkgs', '%VAR% is expanded');
    assert.equal(sources.find((source) => source.name === 'Disabled One')?.enabled, false);
    assert.equal(sources.find((source) => source.name === 'nuget.org')?.enabled, true);
  });

  it('imports clear-text passwords and reports DPAPI-encrypted values as Windows-only', () => {
    const sources = readNuGetConfigs([USER, REPO]);
    assert.deepEqual(sources.find((source) => source.name === 'Team Feed')?.credentials, { username: 'dev@contoso.com', password: 'pat-secret-value', encrypted: false });
    assert.deepEqual(sources.find((source) => source.name === 'Windows Only')?.credentials, { username: 'dev', password: undefined, encrypted: true });
    const userOnly = readNuGetConfigs([USER]);
    assert.equal(userOnly.find((source) => source.name === 'nuget.org')?.encryptedApiKey, true);
  });

  it('without <clear/>, a closer file overrides a source of the same name', () => {
    const closer = { path: '/work/repo/nuget.config', text: '<configuration><packageSources><add key="Old Company" value="https://new.example.com/v3/index.json"/><remove key="nuget.org"/></packageSources></configuration>' };
    const sources = readNuGetConfigs([USER, closer]);
    assert.deepEqual(sources.map((source) => [source.name, source.source]), [['Old Company', 'https://new.example.com/v3/index.json']]);
  });

  it('refuses DOCTYPE/ENTITY tricks and malformed XML with the file named', () => {
    const evil = { path: '/x/NuGet.Config', text: '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><configuration><packageSources><add key="a" value="&x;"/></packageSources></configuration>' };
    assert.throws(() => readNuGetConfigs([evil]), /NuGet.Config contains a DOCTYPE or ENTITY/);
    assert.throws(() => readNuGetConfigs([{ path: '/x/NuGet.Config', text: '<configuration><packageSources>' }]), /\/x\/NuGet.Config is not well-formed XML/);
  });

  it('looks in the user folder, then every folder from the root down to the workspace', () => {
    assert.deepEqual(configSearchFolders('/work/repo/src', '/home/dev', 'linux'), ['/home/dev/.nuget/NuGet', '/', '/work', '/work/repo', '/work/repo/src']);
  });
});

describe('the nugetPublisher.feeds setting', () => {
  it('accepts good entries, reports each unusable one with its cause, and guesses missing kinds', () => {
    const { feeds, problems } = parseFeedSetting([
      { name: 'nuget.org', source: 'https://api.nuget.org/v3/index.json' },
      { name: 'Local', source: '/srv/feed' },
      { name: 'Relative', source: 'feed', kind: 'folder' },
      { name: 'ftp', source: 'ftp://x.example/index.json', kind: 'v3' },
      { source: 'https://nameless.example/index.json' },
      { name: 'local', source: '/srv/other' },
      { name: 'Odd', source: 'https://odd.example/index.json', kind: 'v4' },
      // As NuGet decides: a URL that does not end in .json is a V2 push endpoint.
      { name: 'Old', source: 'https://old.example/nuget' },
    ]);
    assert.deepEqual(feeds.map((feed) => [feed.name, feed.kind]), [['nuget.org', 'nuget.org'], ['Local', 'folder'], ['Odd', 'v3'], ['Old', 'v2']]);
    assert.deepEqual(problems.map((problem) => problem.message), [
      'Feed "Relative": the folder feed must be an absolute path.',
      'Feed "ftp": ftp://x.example/index.json is not an http(s) URL.',
      'Feed entry 5 has no name.',
      'Feed name "local" is used twice; the second one is ignored.',
      'Feed "Odd" has an unknown kind "v4" (use nuget.org, v3, v2, folder, nuget-server); treated as v3.',
    ]);
  });
});
