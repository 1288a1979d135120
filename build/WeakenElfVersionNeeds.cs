// Marks selected symbol-version needs of ELF shared libraries as weak (VER_FLG_WEAK).
//
// Why: libLibTorchSharp.so (TorchSharp 0.107.0) declares a need for GLIBCXX_3.4.32, which
// Debian 12 / Ubuntu 22.04 lack. Only a marker symbol that nothing calls carries that
// version, so a weak need lets the dynamic loader accept the library. The patch is applied
// to copies in output folders only, is idempotent, and is skipped where the system's
// libstdc++ already defines the version.
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenElfVersionNeeds : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>ELF files to patch in place.</summary>
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Version names whose need becomes weak, e.g. GLIBCXX_3.4.32.</summary>
    [Required] public string[] Versions { get; set; } = Array.Empty<string>();

    /// <summary>Libraries to look in first: a version one of them defines is left alone.</summary>
    public string[] SystemLibraries { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        var missing = Versions.Where(v => !SystemDefines(v)).ToArray();
        if (missing.Length == 0)
        {
            Log.LogMessage(MessageImportance.Low, "System libraries define all of {0}; nothing to patch.", string.Join(", ", Versions));
            return true;
        }
        foreach (var item in Files)
        {
            try
            {
                int changed = Patch(item.ItemSpec, missing);
                if (changed > 0)
                    Log.LogMessage(MessageImportance.High, "Weakened {0} version need(s) in {1}", changed, item.ItemSpec);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError("Could not patch {0}: {1}", item.ItemSpec, e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    bool SystemDefines(string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var path in SystemLibraries.Where(File.Exists))
        {
            var bytes = File.ReadAllBytes(path);
            if (IndexOf(bytes, needle) >= 0) return true;
        }
        return false;
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    /// <summary>Sets VER_FLG_WEAK on every Vernaux entry named in <paramref name="versions"/>; returns how many changed.</summary>
    static int Patch(string path, string[] versions)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        using var reader = new BinaryReader(stream, Encoding.ASCII, leaveOpen: true);
        using var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true);

        var ident = reader.ReadBytes(16);
        if (ident.Length < 16 || ident[0] != 0x7f || ident[1] != (byte)'E' || ident[2] != (byte)'L' || ident[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (ident[4] != 2 || ident[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        stream.Position = 0x28; ulong shoff = reader.ReadUInt64();
        stream.Position = 0x3A; ushort shentsize = reader.ReadUInt16(); ushort shnum = reader.ReadUInt16();

        (uint type, ulong offset, ulong size, uint link, uint info) Section(int index)
        {
            stream.Position = (long)shoff + (long)index * shentsize;
            reader.ReadUInt32(); uint type = reader.ReadUInt32();
            reader.ReadUInt64(); reader.ReadUInt64();
            ulong offset = reader.ReadUInt64(); ulong size = reader.ReadUInt64();
            uint link = reader.ReadUInt32(); uint info = reader.ReadUInt32();
            return (type, offset, size, link, info);
        }

        string ReadString(ulong at)
        {
            stream.Position = (long)at;
            var sb = new StringBuilder();
            int b;
            while ((b = stream.ReadByte()) > 0) sb.Append((char)b);
            return sb.ToString();
        }

        int changed = 0;
        for (int s = 0; s < shnum; s++)
        {
            var sec = Section(s);
            if (sec.type != ShtGnuVerneed) continue;
            var strtab = Section((int)sec.link);
            ulong need = sec.offset;
            for (uint n = 0; n < sec.info; n++)
            {
                stream.Position = (long)need;
                reader.ReadUInt16(); ushort count = reader.ReadUInt16();
                reader.ReadUInt32(); uint auxOffset = reader.ReadUInt32(); uint next = reader.ReadUInt32();
                ulong aux = need + auxOffset;
                for (int a = 0; a < count; a++)
                {
                    stream.Position = (long)aux + 4; ushort flags = reader.ReadUInt16();
                    stream.Position = (long)aux + 8; uint name = reader.ReadUInt32(); uint auxNext = reader.ReadUInt32();
                    if ((flags & VerFlgWeak) == 0 && Array.IndexOf(versions, ReadString(strtab.offset + name)) >= 0)
                    {
                        stream.Position = (long)aux + 4;
                        writer.Write((ushort)(flags | VerFlgWeak));
                        changed++;
                    }
                    aux += auxNext;
                }
                if (next == 0) break;
                need += next;
            }
        }
        return changed;
    }
}
