using Cdi.Testing;

namespace Cdi.Importer.Core.Tests.Pipeline;

/// <summary>
/// One set of images for a test class: a raw base generated once, every format made from it by qemu-img, compressed
/// variants made by the real CLI tools, all served by nginx (with and without Range support).
/// </summary>
public sealed class ImageCorpus : IDisposable
{
    public const long BaseSize = 24L << 20;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _made = [];

    public ImageCorpus()
    {
        Dir = new TempDirectory("cdi-corpus");
        BaseRaw = TestImages.CreateRaw(Dir.File("base.raw"), BaseSize);
        Server = new NginxServer(Dir.Path);
    }

    public TempDirectory Dir { get; }
    public string BaseRaw { get; }
    public NginxServer Server { get; }

    /// <summary>Makes (once) a file in the served folder with <paramref name="make"/>(path) and returns its name.</summary>
    public string Get(string name, Action<string> make)
    {
        lock (_lock)
        {
            if (!_made.ContainsKey(name))
            {
                var path = Dir.File(name);
                make(path);
                _made[name] = path;
            }
            return name;
        }
    }

    public string PathOf(string name) => Dir.File(name);

    public void Dispose()
    {
        Server.Dispose();
        Dir.Dispose();
    }
}
