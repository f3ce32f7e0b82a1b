using System.Diagnostics.CodeAnalysis;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Compression.Lzma;

/// <summary>The one way the LZMA2 decoder reports data it cannot accept: a corrupt-image failure naming what was wrong.</summary>
internal static class LzmaError
{
    [DoesNotReturn]
    public static void Throw(string what) => throw new ImportException(ImportFailureReason.CorruptImage, $"xz data is corrupt: {what}");
}
