using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources.Registry;

namespace Cdi.Importer.Core.Tests.Registry;

/// <summary>The top-down whiteout rules, layer by layer.</summary>
public sealed class LayerVisibilityTests
{
    [Fact]
    public void A_path_in_a_higher_layer_hides_the_same_path_below()
    {
        var v = new LayerVisibility();
        v.Record("disk/disk.img", isDirectory: false);
        v.IsVisible("disk/disk.img").Should().BeTrue("a layer's own entries affect only the layers below");
        v.EndLayer();
        v.IsVisible("disk/disk.img").Should().BeFalse();
        v.IsVisible("disk/other.img").Should().BeTrue();
    }

    [Fact]
    public void Whiteouts_hide_a_file_or_a_whole_directory()
    {
        var v = new LayerVisibility();
        v.Record("disk/.wh.old.img", isDirectory: false);
        v.Record(".wh.disk2", isDirectory: false);
        v.EndLayer();
        v.IsVisible("disk/old.img").Should().BeFalse();
        v.IsVisible("disk2/x/y.img").Should().BeFalse();
        v.IsVisible("disk/new.img").Should().BeTrue();
    }

    [Fact]
    public void An_opaque_directory_hides_everything_below_it()
    {
        var v = new LayerVisibility();
        v.Record("disk/.wh..wh..opq", isDirectory: false);
        v.Record("disk/", isDirectory: true);
        v.EndLayer();
        v.IsVisible("disk/any.img").Should().BeFalse();
        v.IsVisible("other/any.img").Should().BeTrue();
    }

    [Fact]
    public void A_file_above_hides_a_directory_below_but_a_directory_does_not()
    {
        var v = new LayerVisibility();
        v.Record("disk", isDirectory: false);
        v.Record("data", isDirectory: true);
        v.EndLayer();
        v.IsVisible("disk/a.img").Should().BeFalse();
        v.IsVisible("data/a.img").Should().BeTrue();
    }

    [Theory]
    [InlineData("./disk/a.img", "disk/a.img")]
    [InlineData("/disk//a.img", "disk/a.img")]
    [InlineData("disk/./a.img", "disk/a.img")]
    public void Layer_paths_are_normalized(string name, string expected) => LayerPath.Normalize(name).Should().Be(expected);

    [Fact]
    public void Dot_dot_is_refused()
    {
        var act = () => LayerPath.Normalize("disk/../../etc/shadow");
        act.Should().Throw<ImportException>().Which.Reason.Should().Be(ImportFailureReason.ArchiveEntryNotAllowed);
    }
}
