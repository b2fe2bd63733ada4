/**
 * Target frameworks as NuGet.Frameworks reads them: package folder names (lib/net8.0,
 * lib/portable-net45+win8+wp8+wpa81, lib/Xamarin.iOS10) and nuspec targetFramework values
 * (".NETStandard2.0", ".NETPortable0.0-Profile259", "Xamarin.iOS1.0", ".NETFramework,Version=v4.5").
 * Parsing follows NuGetFramework.Parse (identifiers and their synonyms, digit versions "451" ->
 * 4.5.1, profiles, net5.0+ platforms, portable profiles with their optional Mono frameworks and
 * equivalent frameworks) and `shortName` is NuGet's GetShortFolderName, so two spellings of one
 * framework compare equal. The fidelity test checks every name in the real-package corpus against
 * NuGet.Frameworks itself.
 */
export interface TargetFramework {
  /** NuGet's short folder name: "net8.0", "netstandard2.0", "net472", "portable-net45+win8"; "unsupported" when NuGet cannot read it. */
  readonly shortName: string;
  /** Friendly name: ".NET 8.0", ".NET Standard 2.0", ".NET Framework 4.7.2". */
  readonly displayName: string;
  /** false when NuGet reads it as "unsupported" (its files are never used). */
  readonly known: boolean;
}

type Version = readonly [number, number, number, number];

interface Framework {
  /** Canonical identifier, e.g. ".NETFramework"; "any" | "agnostic" | "unsupported" for the special ones. */
  readonly id: string;
  readonly version: Version;
  /** Canonical profile: "Client", "CompactFramework", "WindowsPhone", "Profile259", or a portable member list. */
  readonly profile: string;
  /** net5.0+ platform ("windows") and its version. */
  readonly platform: string;
  readonly platformVersion: Version;
}

const ZERO: Version = [0, 0, 0, 0];

/** Canonical identifier -> short name (NuGet's DefaultFrameworkMappings). */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '.NETCoreApp': 'netcoreapp', '.NETStandardApp': 'netstandardapp', '.NETStandard': 'netstandard', '.NETPlatform': 'dotnet',
  '.NETFramework': 'net', '.NETMicroFramework': 'netmf', Silverlight: 'sl', '.NETPortable': 'portable', WindowsPhone: 'wp',
  WindowsPhoneApp: 'wpa', Windows: 'win', 'ASP.NET': 'aspnet', 'ASP.NETCore': 'aspnetcore', native: 'native',
  MonoAndroid: 'monoandroid', MonoTouch: 'monotouch', MonoMac: 'monomac', 'Xamarin.iOS': 'xamarinios', 'Xamarin.Mac': 'xamarinmac',
  'Xamarin.PlayStation3': 'xamarinpsthree', 'Xamarin.PlayStation4': 'xamarinpsfour', 'Xamarin.PlayStationVita': 'xamarinpsvita',
  'Xamarin.WatchOS': 'xamarinwatchos', 'Xamarin.TVOS': 'xamarintvos', 'Xamarin.Xbox360': 'xamarinxboxthreesixty',
  'Xamarin.XboxOne': 'xamarinxboxone', DNX: 'dnx', DNXCore: 'dnxcore', '.NETCore': 'netcore', WinRT: 'winrt', UAP: 'uap', Tizen: 'tizen',
};

const DISPLAY: Readonly<Record<string, string>> = {
  '.NETFramework': '.NET Framework', '.NETStandard': '.NET Standard', '.NETCoreApp': '.NET Core', '.NETPlatform': '.NET Platform',
  '.NETMicroFramework': '.NET Micro Framework', '.NETPortable': 'Portable', WindowsPhone: 'Windows Phone', WindowsPhoneApp: 'Windows Phone App',
  '.NETCore': '.NET Core (Windows Store)', native: 'Native (C++)', MonoAndroid: 'Mono for Android', MonoTouch: 'MonoTouch',
};

/** Every spelling NuGet accepts for an identifier, lower case -> canonical. */
const IDENTIFIERS = new Map<string, string>();
for (const [id, short] of Object.entries(SHORT_NAMES)) {
  IDENTIFIERS.set(id.toLowerCase(), id);
  IDENTIFIERS.set(short, id);
}
for (const [synonym, id] of [
  ['NETFramework', '.NETFramework'], ['.NET', '.NETFramework'], ['NETCore', '.NETCore'], ['NETPortable', '.NETPortable'],
  ['asp.net', 'ASP.NET'], ['asp.netcore', 'ASP.NETCore'], ['Xamarin.PlayStationThree', 'Xamarin.PlayStation3'],
  ['XamarinPlayStationThree', 'Xamarin.PlayStation3'], ['Xamarin.PlayStationFour', 'Xamarin.PlayStation4'],
  ['XamarinPlayStationFour', 'Xamarin.PlayStation4'], ['XamarinPlayStationVita', 'Xamarin.PlayStationVita'],
]) {
  IDENTIFIERS.set(synonym.toLowerCase(), id);
}

/** Profiles with short spellings (framework, short, long); "Full" is no profile. */
const PROFILES: readonly [string, string, string][] = [
  ['.NETFramework', 'Client', 'Client'], ['.NETFramework', 'CF', 'CompactFramework'], ['.NETFramework', 'Full', ''],
  ['Silverlight', 'WP', 'WindowsPhone'], ['Silverlight', 'WP71', 'WindowsPhone71'],
];

/** Versions written with dots, and frameworks whose version may be a single digit (win8, wp8, sl5). */
const DECIMAL_POINT = new Set(['.NETCoreApp', '.NETStandard', '.NETStandardApp']);
const SINGLE_DIGIT = new Set(['Windows', 'WindowsPhone', 'Silverlight']);

function fw(id: string, version: readonly number[] = [], profile = ''): Framework {
  const padded = [...version, 0, 0, 0, 0].slice(0, 4) as unknown as Version;
  return { id, version: padded, profile, platform: '', platformVersion: ZERO };
}

const SPECIAL = (id: 'any' | 'agnostic' | 'unsupported'): Framework => fw(id);

/** Portable profiles: number -> required frameworks (NuGet's DefaultPortableFrameworkMappings). */
const NET4 = fw('.NETFramework', [4]);
const NET403 = fw('.NETFramework', [4, 0, 3]);
const NET45 = fw('.NETFramework', [4, 5]);
const NET451 = fw('.NETFramework', [4, 5, 1]);
const WIN8 = fw('Windows', [8]);
const WIN81 = fw('Windows', [8, 1]);
const SL4 = fw('Silverlight', [4]);
const SL5 = fw('Silverlight', [5]);
const WP7 = fw('WindowsPhone', [7]);
const WP75 = fw('WindowsPhone', [7, 5]);
const WP8 = fw('WindowsPhone', [8]);
const WP81 = fw('WindowsPhone', [8, 1]);
const WPA81 = fw('WindowsPhoneApp', [8, 1]);
const PORTABLE_PROFILES: readonly [number, readonly Framework[]][] = [
  [31, [WIN81, WP81]], [32, [WIN81, WPA81]], [44, [NET451, WIN81]], [84, [WP81, WPA81]], [151, [NET451, WIN81, WPA81]], [157, [WIN81, WP81, WPA81]],
  [7, [NET45, WIN8]], [49, [NET45, WP8]], [78, [NET45, WIN8, WP8]], [111, [NET45, WIN8, WPA81]], [259, [NET45, WIN8, WPA81, WP8]],
  [2, [NET4, WIN8, SL4, WP7]], [3, [NET4, SL4]], [4, [NET45, SL4, WIN8, WP7]], [5, [NET4, WIN8]], [6, [NET403, WIN8]], [14, [NET4, SL5]],
  [18, [NET403, SL4]], [19, [NET403, SL5]], [23, [NET45, SL4]], [24, [NET45, SL5]], [36, [NET4, SL4, WIN8, WP8]], [37, [NET4, SL5, WIN8]],
  [41, [NET403, SL4, WIN8]], [42, [NET403, SL5, WIN8]], [46, [NET45, SL4, WIN8]], [47, [NET45, SL5, WIN8]], [88, [NET4, SL4, WIN8, WP75]],
  [92, [NET4, WIN8, WPA81]], [95, [NET403, SL4, WIN8, WP7]], [96, [NET403, SL4, WIN8, WP75]], [102, [NET403, WIN8, WPA81]],
  [104, [NET45, SL4, WIN8, WP75]], [136, [NET4, SL5, WIN8, WP8]], [143, [NET403, SL4, WIN8, WP8]], [147, [NET403, SL5, WIN8, WP8]],
  [154, [NET45, SL4, WIN8, WP8]], [158, [NET45, SL5, WIN8, WP8]], [225, [NET4, SL5, WIN8, WPA81]], [240, [NET403, SL5, WIN8, WPA81]],
  [255, [NET45, SL5, WIN8, WPA81]], [328, [NET4, SL5, WIN8, WPA81, WP8]], [336, [NET403, SL5, WIN8, WPA81, WP8]], [344, [NET45, SL5, WIN8, WPA81, WP8]],
];
/** Profiles that also run on the Mono/Xamarin frameworks, which may be listed or left out. */
const WITH_OPTIONAL_MONO = new Set([5, 6, 7, 14, 19, 24, 37, 42, 47, 49, 78, 92, 102, 111, 136, 147, 158, 225, 255, 259, 328, 336, 344]);
const MONO = new Set(['MonoAndroid', 'MonoTouch', 'Xamarin.iOS', 'Xamarin.WatchOS', 'Xamarin.TVOS']);

/** Frameworks NuGet treats as the same (win = win8 = netcore45 = winrt45, wp = wp7 = sl3-wp, ...): key -> class representative. */
const EQUIVALENT_PAIRS: readonly [Framework, Framework][] = [
  [fw('UAP'), fw('UAP', [10])], [fw('Windows'), WIN8], [WIN8, fw('.NETCore', [4, 5])], [fw('.NETCore', [4, 5]), fw('WinRT', [4, 5])],
  [fw('.NETCore'), fw('.NETCore', [4, 5])], [fw('WinRT'), fw('WinRT', [4, 5])], [WIN81, fw('.NETCore', [4, 5, 1])],
  [fw('WindowsPhone'), WP7], [WP7, fw('Silverlight', [3], 'WindowsPhone')], [fw('WindowsPhone', [7, 1]), fw('Silverlight', [4], 'WindowsPhone71')],
  [WP8, fw('Silverlight', [8], 'WindowsPhone')], [WP81, fw('Silverlight', [8, 1], 'WindowsPhone')], [fw('WindowsPhoneApp'), WPA81],
  [fw('Tizen'), fw('Tizen', [3])], [fw('DNX'), fw('DNX', [4, 5])], [fw('DNXCore'), fw('DNXCore', [5])], [fw('.NETPlatform'), fw('.NETPlatform', [5])],
  [fw('ASP.NET'), fw('ASP.NET', [5])], [fw('ASP.NETCore'), fw('ASP.NETCore', [5])], [fw('DNX', [4, 5]), fw('ASP.NET', [5])], [fw('DNXCore', [5]), fw('ASP.NETCore', [5])],
];

function key(framework: Framework): string {
  return `${framework.id.toLowerCase()}|${framework.version.join('.')}|${framework.profile.toLowerCase()}`;
}

/** Union-find over the equivalent pairs: every framework maps to one representative key. */
const EQUIVALENCE = (() => {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.has(root) && parent.get(root) !== root) {
      root = parent.get(root)!;
    }
    return root;
  };
  for (const [a, b] of EQUIVALENT_PAIRS) {
    const [ra, rb] = [find(key(a)), find(key(b))];
    if (ra !== rb) {
      parent.set(ra, rb);
    }
  }
  return (framework: Framework): string => find(key(framework));
})();

function sameSet(a: readonly Framework[], b: readonly Framework[]): boolean {
  const left = new Set(a.map(EQUIVALENCE));
  const right = new Set(b.map(EQUIVALENCE));
  return left.size === right.size && [...left].every((item) => right.has(item));
}

/** NuGet's TryGetVersion: "" -> 0.0, dotted as written, digits one part each ("451" -> 4.5.1, "10" -> 1.0). */
function parseVersionPart(text: string | undefined): Version | undefined {
  if (!text) {
    return ZERO;
  }
  if (text.includes('.')) {
    return dotted(text);
  }
  const digits = (text.length < 2 ? `${text}0` : text).slice(0, 4).split('').map(Number);
  return [...digits, 0, 0, 0, 0].slice(0, 4) as unknown as Version;
}

/** System.Version.TryParse: 2 to 4 numeric parts. */
function dotted(text: string): Version | undefined {
  const parts = text.split('.');
  if (parts.length < 2 || parts.length > 4 || parts.some((part) => !/^\d{1,9}$/.test(part))) {
    return undefined;
  }
  return [...parts.map(Number), 0, 0, 0, 0].slice(0, 4) as unknown as Version;
}

/** NuGet's RawParse: identifier (letters and dots), version (digits and dots), "-" profile. */
function rawParse(text: string): { identifier: string; version?: string; profile: string } | undefined {
  const match = /^([A-Za-z.]+)([\d.]*)(?:-([A-Za-z0-9.+-]+))?$/.exec(text);
  if (!match) {
    return undefined;
  }
  return { identifier: match[1], version: match[2] || undefined, profile: match[3] ?? '' };
}

function special(text: string): Framework | undefined {
  const lower = text.toLowerCase();
  return lower === 'any' || lower === 'agnostic' || lower === 'unsupported' ? SPECIAL(lower) : undefined;
}

/** Parses a folder name or targetFramework value as NuGetFramework.Parse does. */
function parse(input: string): Framework {
  let text = input.trim();
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      // not an escaped name
    }
  }
  if (text === '') {
    return SPECIAL('any');
  }
  return text.includes(',') ? parseFrameworkName(text) : parseFolder(text);
}

/** ".NETFramework,Version=v4.5,Profile=Client" */
function parseFrameworkName(text: string): Framework {
  const parts = text.split(',').map((part) => part.trim()).filter(Boolean);
  const specialFramework = special(parts[0]);
  if (specialFramework) {
    return specialFramework;
  }
  const id = IDENTIFIERS.get(parts[0].toLowerCase()) ?? parts[0];
  const versionText = parts.find((part) => /^version=/i.test(part))?.split('=')[1]?.replace(/^v/i, '');
  const version = versionText ? dotted(versionText.includes('.') ? versionText : `${versionText}.0`) : ZERO;
  const profile = parts.find((part) => /^profile=/i.test(part))?.split('=')[1] ?? '';
  if (!version) {
    return SPECIAL('unsupported');
  }
  return withNetCoreApp({ id, version, profile, platform: '', platformVersion: ZERO });
}

/** net5.0 and later are .NETCoreApp under the name "net". */
function withNetCoreApp(framework: Framework): Framework {
  return framework.id === '.NETFramework' && framework.version[0] >= 5 ? { ...framework, id: '.NETCoreApp' } : framework;
}

function parseFolder(text: string): Framework {
  const specialFramework = special(text);
  if (specialFramework) {
    return specialFramework;
  }
  const lower = text.toLowerCase();
  if (lower === 'dotnet' || lower === 'dotnet50' || lower === 'dotnet5.0') {
    return fw('.NETPlatform', [5]);
  }
  const raw = rawParse(text);
  if (!raw) {
    return SPECIAL('unsupported');
  }
  const id = IDENTIFIERS.get(raw.identifier.toLowerCase());
  const version = parseVersionPart(raw.version);
  if (!id || !version) {
    return SPECIAL('unsupported');
  }
  // net5.0+: the part after "-" is a platform ("windows10.0.19041"), not a profile.
  if ((id === '.NETFramework' || id === '.NETCoreApp') && version[0] >= 5) {
    const base: Framework = { id: '.NETCoreApp', version, profile: '', platform: '', platformVersion: ZERO };
    if (!raw.profile) {
      return base;
    }
    const platform = /^([A-Za-z]+)([\d.]*)$/.exec(raw.profile);
    if (!platform) {
      return SPECIAL('unsupported');
    }
    const platformVersion = platform[2] ? dotted(platform[2].includes('.') ? platform[2] : `${platform[2]}.0`) : ZERO;
    return platformVersion ? { ...base, platform: platform[1].toLowerCase(), platformVersion } : SPECIAL('unsupported');
  }
  if (id === '.NETPortable') {
    return parsePortable(version, raw.profile);
  }
  const longProfile = PROFILES.find(([framework, short]) => framework === id && short.toLowerCase() === raw.profile.toLowerCase())?.[2];
  return withNetCoreApp({ id, version, profile: longProfile ?? raw.profile, platform: '', platformVersion: ZERO });
}

/** "portable-net45+win8", "portable-Profile259", ".NETPortable0.0-Profile259": matched to a profile number when NuGet knows it. */
function parsePortable(version: Version, profile: string): Framework {
  const number = /^profile(\d+)$/i.exec(profile);
  if (number) {
    return PORTABLE_PROFILES.some(([profileNumber]) => profileNumber === Number(number[1])) ? { ...fw('.NETPortable'), version, profile: `Profile${Number(number[1])}` } : SPECIAL('unsupported');
  }
  const members = profile.split('+').filter(Boolean).map(parseFolder);
  if (members.length === 0) {
    return SPECIAL('unsupported');
  }
  // Duplicates under equivalence (win + win8) count once.
  const unique: Framework[] = [];
  for (const member of members) {
    if (!unique.some((candidate) => EQUIVALENCE(candidate) === EQUIVALENCE(member))) {
      unique.push(member);
    }
  }
  for (const [profileNumber, required] of PORTABLE_PROFILES) {
    if (required.length > unique.length) {
      continue;
    }
    const reduced = unique.filter((member) => !(WITH_OPTIONAL_MONO.has(profileNumber) && MONO.has(member.id) && member.profile === ''));
    if (sameSet(reduced, required)) {
      return { ...fw('.NETPortable'), version, profile: `Profile${profileNumber}` };
    }
  }
  return { ...fw('.NETPortable'), version, profile };
}

/** NuGet's GetVersionString. */
function versionString(id: string, version: Version): string {
  if (version.every((part) => part === 0)) {
    return '';
  }
  const [major, minor, build, revision] = version;
  let parts = revision !== 0 ? 4 : build !== 0 ? 3 : minor !== 0 ? 2 : 1;
  if (parts === 1 && !SINGLE_DIGIT.has(id)) {
    parts = 2;
  }
  const shown = version.slice(0, parts);
  if (DECIMAL_POINT.has(id) || version.some((part) => part > 9)) {
    return (parts === 1 ? [major, 0] : shown).join('.');
  }
  return shown.join('');
}

/** The platform version of net5.0+ ("10.0.19041"): trailing zeros beyond the minor removed. */
function platformVersionString(version: Version): string {
  if (version.every((part) => part === 0)) {
    return '';
  }
  let parts = 4;
  while (parts > 2 && version[parts - 1] === 0) {
    parts--;
  }
  return version.slice(0, parts).join('.');
}

/** NuGet's GetShortFolderName. */
function shortFolderName(framework: Framework): string {
  const { id, version, profile } = framework;
  if (id === 'any' || id === 'agnostic' || id === 'unsupported') {
    return id;
  }
  if (id === '.NETPlatform' && version.join('.') === '5.0.0.0') {
    return 'dotnet';
  }
  if (id === '.NETCoreApp' && version[0] >= 5) {
    const name = `net${versionString(id, version)}`;
    return framework.platform ? `${name}-${framework.platform}${platformVersionString(framework.platformVersion)}` : name;
  }
  const short = `${SHORT_NAMES[id] ?? id.toLowerCase()}${versionString(id, version)}`;
  if (id === '.NETPortable') {
    const number = /^Profile(\d+)$/.exec(profile);
    const members = number ? PORTABLE_PROFILES.find(([profileNumber]) => profileNumber === Number(number[1]))?.[1] ?? [] : profile.split('+').filter(Boolean).map(parseFolder);
    const names = [...new Set(members.map(shortFolderName))].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
    return `${short}-${names.join('+')}`;
  }
  if (profile) {
    const profileShort = PROFILES.find(([frameworkId, , long]) => frameworkId === id && long.toLowerCase() === profile.toLowerCase())?.[1] ?? profile;
    return `${short}-${profileShort.toLowerCase()}`;
  }
  return short;
}

function describe(framework: Framework, shortName: string): string {
  const { id, version } = framework;
  if (id === 'any') {
    return 'Any framework';
  }
  if (id === 'unsupported' || id === 'agnostic') {
    return id === 'agnostic' ? 'Any framework (agnostic)' : 'Unsupported';
  }
  if (id === '.NETPortable') {
    return `Portable (${shortName.slice(shortName.indexOf('-') + 1).split('+').join(', ')})`;
  }
  let last = version.length - 1;
  while (last > 0 && version[last] === 0) {
    last--;
  }
  const dottedVersion = version.some((part) => part !== 0) ? ` ${version.slice(0, Math.max(2, last + 1)).join('.')}` : '';
  const name = id === '.NETCoreApp' && version[0] >= 5 ? '.NET' : DISPLAY[id] ?? id;
  return `${name}${dottedVersion}${framework.platform ? ` (${framework.platform})` : ''}${framework.profile && id !== '.NETPortable' ? ` ${framework.profile}` : ''}`;
}

const cache = new Map<string, TargetFramework>();

/** Parses a framework folder or nuspec targetFramework value as NuGet does. Never throws. */
export function parseFramework(text: string): TargetFramework {
  let result = cache.get(text);
  if (!result) {
    const framework = parse(text);
    const shortName = shortFolderName(framework);
    result = { shortName, displayName: describe(framework, shortName), known: framework.id !== 'unsupported' && !shortName.includes('unsupported') };
    if (cache.size < 10_000) {
      cache.set(text, result);
    }
  }
  return result;
}

/** Do two spellings name the same framework ("netstandard2.0" and ".NETStandard2.0")? */
export function sameFramework(a: string, b: string): boolean {
  return parseFramework(a).shortName === parseFramework(b).shortName;
}

/**
 * NuGetFramework.ToString(): ".NETFramework,Version=v4.5", ".NETStandard,Version=v1.1",
 * ".NETPortable,Version=v0.0,Profile=Profile328"; from .NET 5 on, the short folder name ("net6.0").
 */
export function frameworkString(text: string): string {
  const framework = parse(text);
  if (framework.id === '.NETCoreApp' && framework.version[0] >= 5) {
    return shortFolderName(framework);
  }
  const [major, minor, build, revision] = framework.version;
  const version = [major, minor, ...(build !== 0 || revision !== 0 ? [build] : []), ...(revision !== 0 ? [revision] : [])].join('.');
  return `${framework.id},Version=v${version}${framework.profile ? `,Profile=${framework.profile}` : ''}`;
}
