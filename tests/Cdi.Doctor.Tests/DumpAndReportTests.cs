using System.Text;
using Cdi.Doctor.Analysis;
using Cdi.Doctor.Output;
using Cdi.Doctor.Snapshot;

namespace Cdi.Doctor.Tests;

/// <summary>The dump format (kubectl List in, kubectl List out), its refusals, and the two report forms.</summary>
public sealed class DumpAndReportTests
{
    [Fact]
    public void Secrets_in_a_kubectl_list_are_dropped_and_a_dump_round_trips_to_the_same_findings()
    {
        var snapshot = Fixtures.Load("seed003-nodes-and-pods.json");
        using var dump = new MemoryStream();
        DumpWriter.Write(snapshot, dump);
        var text = Encoding.UTF8.GetString(dump.ToArray());
        text.Should().NotContain("c2VjcmV0").And.NotContain("\"Secret\"");
        dump.Position = 0;
        var again = DumpReader.Read(dump);
        FindingJson.Serialize(Examiner.Examine(again)).Should().Be(FindingJson.Serialize(Examiner.Examine(snapshot)));
        again.Pods.Should().HaveCount(snapshot.Pods.Count);
    }

    [Theory]
    [InlineData("{\"kind\":\"List\",\"items\":[", "is not JSON")]
    [InlineData("[1,2]", "is not a Kubernetes object or List")]
    [InlineData("{\"kind\":\"List\",\"items\":[{\"kind\":\"Pod\",\"metadata\":{\"name\":3}}]}", "items[0] (Pod) cannot be read")]
    [InlineData("{\"kind\":\"List\",\"items\":[],\"cdiDoctor\":{\"version\":2}}", "cdiDoctor version 2 is not supported")]
    public void A_bad_dump_is_refused_with_one_line_saying_where(string json, string message)
    {
        var act = () => DumpReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "d.json");
        act.Should().Throw<DumpFormatException>().Which.Message.Should().Contain(message).And.NotContain("\n");
    }

    [Fact]
    public void Table_lines_fit_100_columns_and_json_is_an_array_of_the_same_findings()
    {
        var findings = Fixtures.Examine("seed003-nodes-and-pods.json").Concat(Fixtures.Examine("quota.json")).ToList();
        var table = FindingTable.Render(findings);
        table.Split('\n').Should().OnlyContain(l => l.Length <= FindingTable.Width);
        foreach (var f in findings)
        {
            table.Should().Contain(f.Id);
        }
        // Wrapped, not cut: the remedy's words are all there.
        string.Concat(table.Split(' ', '\n')).Should().Contain(string.Concat(findings[0].Remedy.Split(' ')));
        var json = FindingJson.Serialize(findings);
        json.Should().StartWith("[").And.Contain("\"severity\": \"error\"").And.Contain("\"object\": {").And.NotContain("\\u0027");
        FindingJson.Deserialize(json).Select(f => (f.Id, f.Object)).Should().Equal(findings.Select(f => (f.Id, f.Object)));
    }
}
