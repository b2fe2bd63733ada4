/**
 * Target framework monikers as they appear in package folders (lib/net8.0) and in nuspec
 * dependency groups (".NETStandard2.0", "net472", "net8.0-windows10.0.19041"). Parsing maps both
 * spellings to one canonical short folder name so groups and folders can be matched.
 */
export interface TargetFramework {
  /** Canonical short folder name, lower case: "net8.0", "netstandard2.0", "net472". */
  readonly shortName: string;
  /** Friendly name: ".NET 8.0", ".NET Standard 2.0", ".NET Framework 4.7.2". */
  readonly displayName: string;
  readonly known: boolean;
}

/** Short prefixes NuGet knows (besides net / netstandard / netcoreapp handled below). */
const OTHER_SHORT_PREFIXES: Readonly<Record<string, string>> = {
  uap: 'UAP', netcore: '.NET Core (Windows Store)', win: 'Windows', wp: 'Windows Phone', wpa: 'Windows Phone App',
  sl: 'Silverlight', monoandroid: 'Mono for Android', monotouch: 'MonoTouch', monomac: 'MonoMac',
  xamarinios: 'Xamarin.iOS', xamarinmac: 'Xamarin.Mac', xamarintvos: 'Xamarin.tvOS',
  xamarinwatchos: 'Xamarin.watchOS', xamarinxboxone: 'Xamarin.XboxOne', xamarinpsthree: 'Xamarin.PS3',
  xamarinpsfour: 'Xamarin.PS4', xamarinpsvita: 'Xamarin.PSVita', tizen: 'Tizen', netmf: '.NET Micro Framework',
  dnxcore: 'DNX Core', aspnetcore: 'ASP.NET Core', aspnet: 'ASP.NET', dotnet: '.NET Platform', netnano: '.NET nanoFramework',
};

const LONG_NAMES: ReadonlyArray<[RegExp, (version: string) => string]> = [
  [/^\.netframework,?(?:version=)?v?([\d.]+)$/i, (v) => `net${v.replace(/\./g, '')}`],
  [/^\.netstandard,?(?:version=)?v?([\d.]+)$/i, (v) => `netstandard${withMinor(v)}`],
  [/^\.netcoreapp,?(?:version=)?v?([\d.]+)$/i, (v) => (Number(v.split('.')[0]) >= 5 ? `net${withMinor(v)}` : `netcoreapp${withMinor(v)}`)],
];

const PLATFORMS = /^(windows|android|ios|maccatalyst|macos|tvos|tizen|browser|wasi)([\d.]*)$/;

function withMinor(version: string): string {
  const parts = version.split('.').filter((part) => part !== '');
  while (parts.length < 2) {
    parts.push('0');
  }
  // net8.0.0 is written net8.0
  while (parts.length > 2 && parts[parts.length - 1] === '0') {
    parts.pop();
  }
  return parts.join('.');
}

/** Parses a framework folder or nuspec targetFramework value. Never throws. */
export function parseFramework(text: string): TargetFramework {
  const raw = text.trim();
  const lower = raw.toLowerCase();
  for (const [pattern, toShort] of LONG_NAMES) {
    const match = pattern.exec(raw);
    if (match) {
      return parseFramework(toShort(match[1]));
    }
  }
  if (lower === 'any' || lower === '') {
    return { shortName: 'any', displayName: 'Any framework', known: true };
  }
  if (lower === 'native') {
    return { shortName: 'native', displayName: 'Native (C++)', known: true };
  }
  let match = /^netstandard(\d+(?:\.\d+)*)$/.exec(lower);
  if (match) {
    const version = withMinor(match[1]);
    return { shortName: `netstandard${version}`, displayName: `.NET Standard ${version}`, known: true };
  }
  match = /^netcoreapp(\d+(?:\.\d+)*)$/.exec(lower);
  if (match) {
    const version = withMinor(match[1]);
    return { shortName: `netcoreapp${version}`, displayName: `.NET Core ${version}`, known: true };
  }
  // net5.0 and later: dotted version, optional -platform[version]
  match = /^net(\d+\.\d+)(?:-(.+))?$/.exec(lower);
  if (match && Number(match[1].split('.')[0]) >= 5) {
    const platform = match[2];
    if (platform !== undefined && !PLATFORMS.test(platform)) {
      return unknown(raw);
    }
    const suffix = platform ? `-${platform}` : '';
    return { shortName: `net${match[1]}${suffix}`, displayName: `.NET ${match[1]}${platform ? ` (${platform})` : ''}`, known: true };
  }
  // .NET Framework: net11, net20, net35, net40, net403, net45 ... net481 (optional -client/-full profile)
  match = /^net(\d{2,3})(?:-(client|full|cf))?$/.exec(lower);
  if (match) {
    const digits = match[1].split('');
    return { shortName: lower, displayName: `.NET Framework ${digits.join('.')}${match[2] ? ` ${match[2]}` : ''}`, known: true };
  }
  if (lower.startsWith('portable-') || lower.startsWith('portable40-') || lower.startsWith('portable45-')) {
    const members = lower.slice(lower.indexOf('-') + 1).split('+');
    const known = members.length > 0 && members.every((member) => parseFramework(member).known);
    return { shortName: lower, displayName: `Portable (${members.join(', ')})`, known };
  }
  match = /^([a-z]+?)(\d[\d.]*)?$/.exec(lower);
  if (match && OTHER_SHORT_PREFIXES[match[1]] !== undefined) {
    return { shortName: lower, displayName: `${OTHER_SHORT_PREFIXES[match[1]]}${match[2] ? ` ${match[2]}` : ''}`, known: true };
  }
  return unknown(raw);
}

function unknown(raw: string): TargetFramework {
  return { shortName: raw.toLowerCase(), displayName: raw, known: false };
}
