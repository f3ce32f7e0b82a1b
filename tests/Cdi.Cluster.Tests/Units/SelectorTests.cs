using System.Text.Json.Nodes;
using Cdi.Cluster.Selectors;

namespace Cdi.Cluster.Tests.Units;

public sealed class SelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front" };

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app in (web,db)", true)]
    [InlineData("app notin (web,db)", false)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!missing,app=web", true)]
    [InlineData("app=web,tier in (back)", false)]
    [InlineData("", true)]
    public void Label_selectors_match_like_kubernetes(string selector, bool expected) =>
        LabelSelector.Parse(selector).Matches(Labels).Should().Be(expected);

    [Fact]
    public void Field_selectors_read_dotted_paths()
    {
        var ev = JsonNode.Parse("""{"metadata":{"name":"e","namespace":"ns"},"involvedObject":{"kind":"Pod","name":"p"}}""")!.AsObject();
        FieldSelector.Parse("involvedObject.kind=Pod,involvedObject.name=p,metadata.namespace=ns").Matches(ev).Should().BeTrue();
        FieldSelector.Parse("involvedObject.name!=p").Matches(ev).Should().BeFalse();
        FieldSelector.Parse("spec.nodeName=").Matches(ev).Should().BeTrue();
    }
}
