// Prints NuGet's reading of each package given on the command line (or one path per line on
// stdin) as one JSON object per line: what NuGet.Packaging's PackageArchiveReader/NuspecReader,
// NuGet.Frameworks and NuGet.Versioning make of it. The fidelity test compares ours with this.
using System.Text.Json;
using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Packaging.Core;

if (args.Length == 1 && args[0] == "--frameworks")
{
    // One framework string per line (a folder name or a nuspec targetFramework): NuGet's short folder name.
    foreach (var text in ReadLines(Console.In))
    {
        string shortName;
        try
        {
            shortName = Short(NuGetFramework.Parse(text));
        }
        catch (Exception error)
        {
            shortName = "error: " + error.GetType().Name;
        }
        Console.WriteLine(JsonSerializer.Serialize(new { input = text, shortName }));
    }
    return;
}

if (args.Length == 1 && args[0] == "--assemblies")
{
    // One .dll path per line: what System.Reflection.Metadata reads (the oracle of our assembly facts).
    foreach (var path in ReadLines(Console.In))
    {
        Console.WriteLine(JsonSerializer.Serialize(AssemblyFacts(path)));
    }
    return;
}

if (args.Length == 1 && args[0] == "--health")
{
    // One "<nupkg>\t<snupkg or empty>" per line: package health as System.Reflection.Metadata reads it (Health.cs).
    foreach (var line in ReadLines(Console.In))
    {
        Console.WriteLine(JsonSerializer.Serialize(Health.Read(line)));
    }
    return;
}

if (args.Length == 1 && args[0] == "--duplicates")
{
    // One package path per line: nuget.org's duplicate-entry rule (NuGetGallery's
    // PackageValidationHelper.HasDuplicatedEntries) over NuGet.Packaging's file list: '\' as '/',
    // then distinct under .NET's StringComparer.OrdinalIgnoreCase.
    foreach (var path in ReadLines(Console.In))
    {
        try
        {
            using var reader = new PackageArchiveReader(path);
            var files = reader.GetFiles().Select(file => file.Replace('\\', '/')).ToList();
            var duplicate = files.Count != files.Distinct(StringComparer.OrdinalIgnoreCase).Count();
            Console.WriteLine(JsonSerializer.Serialize(new { path, duplicate }));
        }
        catch (Exception error)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { path, error = error.GetType().Name + ": " + error.Message }));
        }
    }
    return;
}

var paths = args.Length > 0 ? args : ReadLines(Console.In);
var options = new JsonSerializerOptions { WriteIndented = false };
foreach (var path in paths)
{
    object result;
    try
    {
        result = Read(path);
    }
    catch (Exception error)
    {
        result = new { path, error = error.GetType().Name + ": " + error.Message };
    }
    Console.WriteLine(JsonSerializer.Serialize(result, options));
}

static IEnumerable<string> ReadLines(TextReader reader)
{
    for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
    {
        if (line.Trim().Length > 0)
        {
            yield return line.Trim();
        }
    }
}

static string Short(NuGetFramework framework) =>
    framework.IsAny ? "any" : framework.IsUnsupported ? "unsupported" : framework.GetShortFolderName();

// Serialized while the package is open: the reader's enumerables are lazy.
static JsonElement Read(string path)
{
    using var reader = new PackageArchiveReader(path);
    var nuspec = reader.NuspecReader;
    var identity = nuspec.GetIdentity();
    var license = nuspec.GetLicenseMetadata();
    return JsonSerializer.SerializeToElement(new
    {
        path,
        id = identity.Id,
        originalVersion = identity.Version.OriginalVersion,
        normalizedVersion = identity.Version.ToNormalizedString(),
        fullVersion = identity.Version.ToFullString(),
        authors = nuspec.GetAuthors(),
        description = nuspec.GetDescription(),
        license = license is null ? null : new
        {
            type = license.Type.ToString().ToLowerInvariant(),
            value = license.License,
            version = license.Version.ToString(),
            warnings = license.WarningsAndErrors,
        },
        licenseUrl = nuspec.GetLicenseUrl(),
        dependencyGroups = nuspec.GetDependencyGroups().Select(group => new
        {
            framework = Short(group.TargetFramework),
            dependencies = group.Packages.Select(dependency => new
            {
                id = dependency.Id,
                range = dependency.VersionRange.ToNormalizedString(),
            }),
        }),
        frameworkReferences = nuspec.GetFrameworkRefGroups().Select(group => new
        {
            framework = Short(group.TargetFramework),
            references = group.FrameworkReferences.Select(reference => reference.Name),
        }),
        packageTypes = nuspec.GetPackageTypes().Select(type => type.Name),
        // Entry names unescaped as OPC part names (GetFiles lists folder entries too: they end in "/").
        files = reader.GetFiles().Where(file => !file.EndsWith('/')).OrderBy(file => file, StringComparer.Ordinal),
        // The frameworks NuGet sees in the package's lib/ ref/ build/ ... folders and dependency groups.
        supportedFrameworks = reader.GetSupportedFrameworks().Select(Short).OrderBy(name => name, StringComparer.Ordinal),
        // Groups of files (folder entries, which some zips list, are not files).
        libFrameworks = reader.GetLibItems().Where(group => group.HasEmptyFolder || group.Items.Any(item => !item.EndsWith('/'))).Select(group => Short(group.TargetFramework)).OrderBy(name => name, StringComparer.Ordinal),
        isSigned = reader.IsSignedAsync(CancellationToken.None).GetAwaiter().GetResult(),
        signature = Signature(reader),
    });
}

// The primary signature (type, signer, certificate SHA-256) and NuGet's own check that the content
// is what was signed: the same work as our inspect (and so the same work in the CLI benchmark).
static object? Signature(PackageArchiveReader reader)
{
    if (!reader.IsSignedAsync(CancellationToken.None).GetAwaiter().GetResult())
    {
        return null;
    }
    var primary = reader.GetPrimarySignatureAsync(CancellationToken.None).GetAwaiter().GetResult();
    string content;
    try
    {
        reader.ValidateIntegrityAsync(primary.SignatureContent, CancellationToken.None).GetAwaiter().GetResult();
        content = "matches";
    }
    catch (Exception error)
    {
        content = "changed: " + error.Message;
    }
    var certificate = primary.SignerInfo.Certificate;
    return new
    {
        type = primary.Type.ToString().ToLowerInvariant(),
        subject = certificate.Subject,
        sha256 = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
        content,
    };
}

static object AssemblyFacts(string path)
{
    try
    {
        using var stream = File.OpenRead(path);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        if (!pe.HasMetadata)
        {
            return new { path, assembly = false };
        }
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        if (!metadata.IsAssembly)
        {
            return new { path, assembly = false };
        }
        var definition = metadata.GetAssemblyDefinition();
        string? targetFramework = null;
        var referenceAssembly = false;
        foreach (var handle in definition.GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            var typeName = AttributeTypeName(metadata, attribute);
            if (typeName == "System.Runtime.CompilerServices.ReferenceAssemblyAttribute")
            {
                referenceAssembly = true;
            }
            else if (typeName == "System.Runtime.Versioning.TargetFrameworkAttribute")
            {
                var value = metadata.GetBlobReader(attribute.Value);
                value.ReadUInt16();
                targetFramework = value.ReadSerializedString();
            }
        }
        return new { path, assembly = true, name = metadata.GetString(definition.Name), version = definition.Version.ToString(), targetFramework, referenceAssembly };
    }
    catch (BadImageFormatException)
    {
        return new { path, assembly = false };
    }
}

static string? AttributeTypeName(System.Reflection.Metadata.MetadataReader metadata, System.Reflection.Metadata.CustomAttribute attribute)
{
    System.Reflection.Metadata.EntityHandle type;
    if (attribute.Constructor.Kind == System.Reflection.Metadata.HandleKind.MemberReference)
    {
        type = metadata.GetMemberReference((System.Reflection.Metadata.MemberReferenceHandle)attribute.Constructor).Parent;
    }
    else if (attribute.Constructor.Kind == System.Reflection.Metadata.HandleKind.MethodDefinition)
    {
        type = metadata.GetMethodDefinition((System.Reflection.Metadata.MethodDefinitionHandle)attribute.Constructor).GetDeclaringType();
    }
    else
    {
        return null;
    }
    if (type.Kind == System.Reflection.Metadata.HandleKind.TypeReference)
    {
        var reference = metadata.GetTypeReference((System.Reflection.Metadata.TypeReferenceHandle)type);
        return metadata.GetString(reference.Namespace) + "." + metadata.GetString(reference.Name);
    }
    if (type.Kind == System.Reflection.Metadata.HandleKind.TypeDefinition)
    {
        var definition = metadata.GetTypeDefinition((System.Reflection.Metadata.TypeDefinitionHandle)type);
        return metadata.GetString(definition.Namespace) + "." + metadata.GetString(definition.Name);
    }
    return null;
}
