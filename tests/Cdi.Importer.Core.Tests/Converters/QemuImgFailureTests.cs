using Cdi.Importer.Core.Converters;
using Cdi.Importer.Core.Pipeline;
using Cdi.Testing;

namespace Cdi.Importer.Core.Tests.Converters;

/// <summary>
/// How a failed qemu-img run is classified. A run killed by a signal (its prlimit, a memory cgroup's OOM killer) says
/// nothing about the image: it is a resource limit, not a corrupt image. A stand-in executable is killed for real,
/// since a real qemu-img cannot be made to hit a limit on demand; a real qemu-img refusing a real bad image stays CorruptImage.
/// </summary>
public sealed class QemuImgFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new("cdi-qemu-img-failure");

    public void Dispose() => _dir.Dispose();

    private string Script(string name, string body)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public async Task A_killed_info_is_a_resource_limit_not_a_corrupt_image()
    {
        var killed = new QemuImg(Script("killed-qemu-img", "kill -KILL $$"));

        var e = await FluentActions.Awaiting(() => killed.InfoAsync(_dir.File("any.img"), "qcow2", CancellationToken.None)).Should().ThrowAsync<ImportException>();

        e.Which.Reason.Should().Be(ImportFailureReason.DecoderLimit);
        e.Which.Message.Should().Contain("killed").And.Contain("memory or CPU limit").And.NotContain("\n");
    }

    [Fact]
    public async Task A_killed_convert_is_a_resource_limit_too()
    {
        var killed = new QemuImg(Script("killed-qemu-img", "kill -KILL $$"));

        var e = await FluentActions.Awaiting(() => killed.ConvertToRawAsync(_dir.File("in.img"), "qcow2", _dir.File("out.img"), targetIsZero: true, directIo: false,
            virtualSize: 1 << 20, _ => { }, CancellationToken.None)).Should().ThrowAsync<ImportException>();

        e.Which.Reason.Should().Be(ImportFailureReason.DecoderLimit);
    }

    [Fact]
    public async Task Real_qemu_img_refusing_a_bad_image_is_a_corrupt_image_with_its_reason()
    {
        var bad = _dir.File("bad.qcow2");
        File.WriteAllBytes(bad, [0x51, 0x46, 0x49, 0xfb, .. new byte[508]]);

        var e = await FluentActions.Awaiting(() => new QemuImg().InfoAsync(bad, "qcow2", CancellationToken.None)).Should().ThrowAsync<ImportException>();

        e.Which.Reason.Should().Be(ImportFailureReason.CorruptImage);
        e.Which.Message.Should().StartWith("qemu-img rejected the qcow2 image: ").And.NotContain("exit code");
    }
}
