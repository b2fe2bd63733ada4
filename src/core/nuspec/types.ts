/** The nuspec metadata model: every element of the nuspec reference, as plain data. */

export interface NuspecLicense {
  readonly type: 'expression' | 'file' | string;
  readonly value: string;
  /** The license-expression version attribute (default 1.0.0). */
  readonly version?: string;
}

export interface NuspecRepository {
  readonly type?: string;
  readonly url?: string;
  readonly branch?: string;
  readonly commit?: string;
}

export interface NuspecDependency {
  readonly id: string;
  /** The version range as written; empty when absent. */
  readonly range: string;
  readonly include?: string;
  readonly exclude?: string;
}

export interface NuspecDependencyGroup {
  /** Empty string for a group with no targetFramework (or the flat, group-less list). */
  readonly targetFramework: string;
  readonly dependencies: readonly NuspecDependency[];
}

export interface NuspecFrameworkAssembly {
  readonly assemblyName: string;
  readonly targetFramework?: string;
}

export interface NuspecFrameworkReferenceGroup {
  readonly targetFramework: string;
  readonly references: readonly string[];
}

export interface NuspecReferenceGroup {
  readonly targetFramework: string;
  readonly files: readonly string[];
}

export interface NuspecPackageType {
  readonly name: string;
  readonly version?: string;
}

export interface NuspecContentFile {
  readonly include: string;
  readonly exclude?: string;
  readonly buildAction?: string;
  readonly copyToOutput?: string;
  readonly flatten?: string;
}

/** A <files><file src target exclude/></files> entry (used when packing a nuspec). */
export interface NuspecFileSpec {
  readonly src: string;
  readonly target?: string;
  readonly exclude?: string;
}

export interface NuspecMetadata {
  readonly id: string;
  readonly version: string;
  readonly title?: string;
  readonly authors: readonly string[];
  readonly owners: readonly string[];
  readonly description: string;
  readonly summary?: string;
  readonly releaseNotes?: string;
  readonly copyright?: string;
  readonly language?: string;
  readonly tags: readonly string[];
  /** The raw tags text (nuget.org limits it to 4000 characters). */
  readonly tagsText?: string;
  readonly license?: NuspecLicense;
  readonly licenseUrl?: string;
  readonly icon?: string;
  readonly iconUrl?: string;
  readonly readme?: string;
  readonly projectUrl?: string;
  readonly repository?: NuspecRepository;
  readonly requireLicenseAcceptance: boolean;
  readonly developmentDependency: boolean;
  readonly serviceable: boolean;
  readonly packageTypes: readonly NuspecPackageType[];
  readonly minClientVersion?: string;
  /** True when <dependencies> uses <group> elements (otherwise one group with targetFramework ""). */
  readonly dependenciesGrouped: boolean;
  readonly dependencyGroups: readonly NuspecDependencyGroup[];
  readonly frameworkAssemblies: readonly NuspecFrameworkAssembly[];
  readonly frameworkReferenceGroups: readonly NuspecFrameworkReferenceGroup[];
  readonly referencesGrouped: boolean;
  readonly referenceGroups: readonly NuspecReferenceGroup[];
  readonly contentFiles: readonly NuspecContentFile[];
}

export interface Nuspec {
  /** The XML namespace of <package>, or "" for none. */
  readonly namespace: string;
  readonly metadata: NuspecMetadata;
  /** Present only when the nuspec has a <files> element. */
  readonly files?: readonly NuspecFileSpec[];
}
