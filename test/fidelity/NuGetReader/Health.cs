// The oracle of package health (src/core/nupkg/packageHealth.ts): the same questions answered by
// System.Reflection.Metadata, the reader NuGet's symbol validation and NuGet Package Explorer use.
// One line in: "<nupkg path>\t<snupkg path or empty>"; one JSON line out: { path, health: [...] }.
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NuGet.Packaging;

static class Health
{
    static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
    static readonly Guid CompilationOptionsKind = new("B5FEEC05-8CD0-4A83-96DA-466284BB4BD8");
    static readonly string[] Roles = { "lib", "ref", "runtimes", "tools" };
    const long MaxAssemblyBytes = 32 * 1024 * 1024;

    public static object Read(string line)
    {
        var parts = line.Split('\t');
        var path = parts[0];
        var symbolsPath = parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null;
        try
        {
            var repository = new PackageArchiveReader(path).NuspecReader.GetRepositoryMetadata();
            using var package = ZipFile.OpenRead(path);
            using var symbols = symbolsPath != null && File.Exists(symbolsPath) ? ZipFile.OpenRead(symbolsPath) : null;
            var health = new List<object>();
            foreach (var entry in package.Entries)
            {
                // NuGet reads entry names percent-decoded (OPC writes '+' as %2B).
                var name = Uri.UnescapeDataString(entry.FullName);
                var top = name.Split('/')[0].ToLowerInvariant();
                var lower = name.ToLowerInvariant();
                if (!Roles.Contains(top) || !(lower.EndsWith(".dll") || lower.EndsWith(".exe")) || lower.EndsWith(".resources.dll") || entry.Length > MaxAssemblyBytes || name.EndsWith("/"))
                {
                    continue;
                }
                var image = Bytes(entry);
                using var pe = new PEReader(new MemoryStream(image));
                bool managed;
                try { managed = pe.HasMetadata; } catch { continue; }
                if (!managed)
                {
                    continue;
                }
                health.Add(Assess(name, entry.FullName, pe, package, symbols, repository?.Url, repository?.Commit));
            }
            return new { path, health };
        }
        catch (Exception error)
        {
            return new { path, error = error.GetType().Name + ": " + error.Message };
        }
    }

    static byte[] Bytes(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    static object Assess(string file, string rawName, PEReader pe, ZipArchive package, ZipArchive? symbols, string? repositoryUrl, string? commit)
    {
        var debug = pe.ReadDebugDirectory();
        var deterministic = debug.Any(entry => entry.Type == DebugDirectoryEntryType.Reproducible);
        string location;
        byte[]? pdbBytes = null;
        var embedded = debug.Where(entry => entry.Type == DebugDirectoryEntryType.EmbeddedPortablePdb).ToList();
        if (embedded.Count > 0)
        {
            location = "embedded";
            try
            {
                using var provider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded[0]);
                var reader = provider.GetMetadataReader();
                unsafe { pdbBytes = new ReadOnlySpan<byte>(reader.MetadataPointer, reader.MetadataLength).ToArray(); }
            }
            catch
            {
                pdbBytes = null;
            }
        }
        else
        {
            var pdbPath = rawName[..rawName.LastIndexOf('.')] + ".pdb";
            var inPackage = package.GetEntry(pdbPath);
            var inSymbols = symbols?.GetEntry(pdbPath);
            location = inPackage != null ? "package" : inSymbols != null ? "snupkg" : "none";
            var found = inPackage ?? inSymbols;
            if (found != null)
            {
                pdbBytes = Bytes(found);
            }
        }
        if (location == "none")
        {
            return Result(file, location, null, null, false, deterministic, false, 0);
        }
        bool? portable = location == "embedded" ? true : pdbBytes != null ? pdbBytes.Length >= 4 && pdbBytes[0] == 'B' && pdbBytes[1] == 'S' && pdbBytes[2] == 'J' && pdbBytes[3] == 'B' : null;
        if (portable == false)
        {
            return Result(file, location, null, false, false, deterministic, false, 0);
        }
        if (pdbBytes == null)
        {
            return Result(file, location, false, portable, false, deterministic, false, 0);
        }
        MetadataReaderProvider pdbProvider;
        MetadataReader pdb;
        try
        {
            pdbProvider = MetadataReaderProvider.FromPortablePdbImage(System.Collections.Immutable.ImmutableArray.Create(pdbBytes));
            pdb = pdbProvider.GetMetadataReader();
        }
        catch
        {
            return Result(file, location, false, portable, false, deterministic, false, 0);
        }
        using (pdbProvider)
        {
            var matches = Matches(pe, debug, pdb, pdbBytes);
            string? sourceLinkJson = null;
            var compilerFlags = false;
            foreach (var handle in pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
            {
                var information = pdb.GetCustomDebugInformation(handle);
                var kind = pdb.GetGuid(information.Kind);
                if (kind == SourceLinkKind && sourceLinkJson == null)
                {
                    sourceLinkJson = Encoding.UTF8.GetString(pdb.GetBlobBytes(information.Value));
                }
                else if (kind == CompilationOptionsKind)
                {
                    compilerFlags = true;
                }
            }
            var embeddedDocuments = new HashSet<DocumentHandle>();
            foreach (var handle in pdb.CustomDebugInformation)
            {
                var information = pdb.GetCustomDebugInformation(handle);
                if (information.Parent.Kind == HandleKind.Document && pdb.GetGuid(information.Kind) == EmbeddedSourceKind)
                {
                    embeddedDocuments.Add((DocumentHandle)information.Parent);
                }
            }
            var sourceLink = sourceLinkJson != null && SourceLinkHolds(sourceLinkJson, pdb, embeddedDocuments, repositoryUrl, commit);
            return Result(file, location, matches, portable, sourceLink, deterministic, compilerFlags, embeddedDocuments.Count);
        }
    }

    /// The image's portable CodeView entry names this PDB (GUID and stamp), and a PdbChecksum entry, where there is one, matches it.
    static bool Matches(PEReader pe, System.Collections.Immutable.ImmutableArray<DebugDirectoryEntry> debug, MetadataReader pdb, byte[] pdbBytes)
    {
        var id = new BlobContentId(pdb.DebugMetadataHeader!.Id);
        var idMatches = debug.Any(entry => entry.Type == DebugDirectoryEntryType.CodeView && entry.IsPortableCodeView
            && pe.ReadCodeViewDebugDirectoryData(entry).Guid == id.Guid && entry.Stamp == id.Stamp);
        if (!idMatches)
        {
            return false;
        }
        var checksums = debug.Where(entry => entry.Type == DebugDirectoryEntryType.PdbChecksum).Select(pe.ReadPdbChecksumDebugDirectoryData).ToList();
        if (checksums.Count == 0)
        {
            return true;
        }
        var idOffset = pdb.DebugMetadataHeader.IdStartOffset;
        return checksums.Any(checksum =>
        {
            try
            {
                using var hash = IncrementalHash.CreateHash(new HashAlgorithmName(checksum.AlgorithmName));
                hash.AppendData(pdbBytes, 0, idOffset);
                hash.AppendData(new byte[20]);
                hash.AppendData(pdbBytes, idOffset + 20, pdbBytes.Length - idOffset - 20);
                return hash.GetHashAndReset().SequenceEqual(checksum.Checksum);
            }
            catch
            {
                return false;
            }
        });
    }

    /// Parses as {"documents": {string: string}}, covers every document not embedded, and points at the nuspec's repository host and commit.
    static bool SourceLinkHolds(string json, MetadataReader pdb, HashSet<DocumentHandle> embedded, string? repositoryUrl, string? commit)
    {
        var mappings = new List<(string Key, string Url)>();
        try
        {
            using var parsed = JsonDocument.Parse(json);
            if (parsed.RootElement.ValueKind != JsonValueKind.Object || !parsed.RootElement.TryGetProperty("documents", out var documents) || documents.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            foreach (var property in documents.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String || property.Name.Length == 0)
                {
                    return false;
                }
                mappings.Add((property.Name, property.Value.GetString()!));
            }
        }
        catch (JsonException)
        {
            return false;
        }
        foreach (var handle in pdb.Documents)
        {
            if (embedded.Contains(handle))
            {
                continue;
            }
            var name = pdb.GetString(pdb.GetDocument(handle).Name).ToLowerInvariant();
            var mapped = mappings.Any(mapping =>
            {
                var key = mapping.Key.ToLowerInvariant();
                return key.EndsWith('*') ? name.StartsWith(key[..^1], StringComparison.Ordinal) : name == key;
            });
            if (!mapped)
            {
                return false;
            }
        }
        List<string>? hosts = null;
        if (!string.IsNullOrEmpty(repositoryUrl) && Uri.TryCreate(repositoryUrl, UriKind.Absolute, out var repository))
        {
            var host = repository.Host.ToLowerInvariant();
            hosts = new List<string> { host };
            if (host == "github.com") hosts.Add("raw.githubusercontent.com");
            if (host == "bitbucket.org") hosts.Add("api.bitbucket.org");
        }
        var wantedCommit = commit?.Trim().ToLowerInvariant();
        foreach (var (_, url) in mappings)
        {
            var host = Uri.TryCreate(url.Replace("*", "x"), UriKind.Absolute, out var parsedUrl) ? parsedUrl.Host.ToLowerInvariant() : null;
            if (hosts != null && (host == null || !hosts.Contains(host)))
            {
                return false;
            }
            if (!string.IsNullOrEmpty(wantedCommit) && !url.ToLowerInvariant().Contains(wantedCommit))
            {
                return false;
            }
        }
        return true;
    }

    static object Result(string file, string pdb, bool? pdbMatches, bool? portable, bool sourceLink, bool deterministic, bool compilerFlags, int embeddedSources) =>
        new { file, pdb, pdbMatches, portable, sourceLink, deterministic, compilerFlags, embeddedSources };
}
