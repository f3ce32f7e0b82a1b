using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Importing;
using Cdi.Kube.Models;
using static Cdi.Controller.Tests.Observations;

namespace Cdi.Controller.Tests;

/// <summary>The controller's side of the worker contract: only a current, fully known result is one.</summary>
public sealed class ImporterResultReaderTests
{
    [Fact]
    public void A_current_result_is_read_with_its_reason_as_an_enum()
    {
        var result = ImporterResultReader.Parse("""{"version":1,"succeeded":false,"reason":"ChecksumMismatch","message":"m","retryable":false}""", out var problem);
        problem.Should().BeNull();
        result!.Reason.Should().Be(ImporterFailureReason.ChecksumMismatch);
    }

    [Theory]
    [InlineData("""{"succeeded":true,"message":"Import Complete"}""", "has no version")]
    [InlineData("""{"version":null,"succeeded":true}""", "has no version")]
    [InlineData("""{"version":2,"succeeded":true}""", "version 2 is not supported")]
    [InlineData("""{"version":1,"succeeded":false,"reason":"NoSuchReason"}""", "importer result refused")]
    [InlineData("""{"version":1,"succeeded":false,"reason":3}""", "importer result refused")]
    [InlineData("""{"version":"1","succeeded":true}""", "importer result refused")]
    [InlineData("""{"version":1,"succeeded":tru""", "importer result refused")]
    public void A_result_without_a_known_version_or_reason_is_no_result(string message, string why)
    {
        ImporterResultReader.Parse(message, out var problem).Should().BeNull();
        problem.Should().Contain(why).And.NotContain("\n");
    }

    [Fact]
    public void Plain_text_is_no_result_and_no_problem()
    {
        ImporterResultReader.Parse("panic: something\nat line 3", out var problem).Should().BeNull();
        problem.Should().BeNull();
    }

    [Fact]
    public void A_pod_that_succeeded_with_an_unversioned_result_fails_with_a_clear_message()
    {
        var pod = Pod("Succeeded");
        var container = pod.Status!.ContainerStatuses![0];
        var terminated = container.State!.Terminated! with { Message = """{"succeeded":true,"message":"Import Complete"}""" };
        pod = pod with { Status = pod.Status with { ContainerStatuses = [container with { State = container.State with { Terminated = terminated } }] } };
        var d = DataVolumeDecider.Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.ImportInProgress }), claim: Claim(), pod: pod), Options);
        d.Status.Phase.Should().NotBe(DataVolumePhase.Succeeded);
        d.Status.Conditions!.Single(c => c.Type == "Running").Message.Should().Contain("importer result refused: it has no version");
    }
}
