using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Controller.DataVolumes;
using static Cdi.Controller.Tests.Observations;

namespace Cdi.Controller.Tests;

/// <summary>The upload half of the DataVolume state machine, as table tests over observed states.</summary>
public sealed class UploadDeciderTests
{
    private static readonly ControllerOptions WithKey = Options with { UploadTokenPublicKey = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", UploadProxyUrl = "https://127.0.0.1:1" };

    private static DataVolume UploadDv(DataVolumeStatus? status = null)
    {
        var dv = HttpDv(status: status);
        return dv with { Spec = dv.Spec with { Source = new DataVolumeSource { Upload = new() } } };
    }

    private static DataVolumeDecision Decide(DataVolumeObservation o, ControllerOptions? options = null) => DataVolumeDecider.Decide(o, options ?? WithKey);

    [Fact]
    public void A_bound_claim_gets_an_upload_server_pod_with_scratch_and_is_marked_an_upload_target()
    {
        var d = Decide(Observe(UploadDv(), claim: Claim()));
        d.Status.Phase.Should().Be(DataVolumePhase.UploadScheduled);
        d.CreatePod!.Metadata.Name.Should().Be("cdi-upload-dv1");
        d.CreatePod.Metadata.Labels!["cdi.kubevirt.io"].Should().Be("cdi-upload-server");
        d.CreatePod.Spec!.Containers[0].Command.Should().Equal("cdi-worker", "upload-server");
        d.CreateScratch!.Metadata.Name.Should().Be("dv1-scratch");
        var spec = JsonSerializer.Deserialize(d.CreatePod.Spec.Containers[0].Env!.Single(e => e.Name == UploadServerSpec.EnvironmentVariable).Value!,
            ApiJsonContext.Default.UploadServerSpec)!;
        spec.Problem().Should().BeNull();
        spec.Importer!.Source.Should().Be("upload:");
        spec.Importer.Scratch.Should().Be("/scratch");
        (spec.Namespace, spec.ClaimName).Should().Be(("ns", "dv1"));
        d.ClaimAnnotations.Should().Contain(Annotations.UploadTarget, "").And.Contain(Annotations.PodReady, "false");
        d.Events.Should().ContainSingle(e => e.Reason == "UploadScheduled");
    }

    [Fact]
    public void A_running_server_is_upload_ready_on_the_dv_and_the_claim()
    {
        var d = Decide(Observe(UploadDv(new() { Phase = DataVolumePhase.UploadScheduled }), claim: Claim(), pod: Pod("Running"), scratch: Claim()));
        d.Status.Phase.Should().Be(DataVolumePhase.UploadReady);
        d.ClaimAnnotations.Should().Contain(Annotations.PodReady, "true").And.Contain(Annotations.PodPhase, "Running");
        d.Events.Should().ContainSingle(e => e.Reason == "UploadReady");
        d.CreatePod.Should().BeNull();
    }

    [Fact]
    public void A_completed_upload_succeeds_and_the_claim_keeps_saying_so()
    {
        var ok = new ImporterResult { Version = ImporterResult.CurrentVersion, Succeeded = true, Message = "Upload Complete" };
        var d = Decide(Observe(UploadDv(new() { Phase = DataVolumePhase.UploadReady }), claim: Claim(), pod: Pod("Succeeded", ok), scratch: Claim()));
        d.Status.Phase.Should().Be(DataVolumePhase.Succeeded);
        d.ClaimAnnotations.Should().Contain(Annotations.PodPhase, "Succeeded").And.Contain(Annotations.PodReady, "false");
        d.DeletePod.Should().BeTrue();
        d.DeleteScratch.Should().BeTrue();
        d.Events.Should().ContainSingle(e => e.Reason == "UploadSucceeded");
    }

    [Fact]
    public void A_retryable_failure_counts_a_restart_and_a_final_one_fails()
    {
        var flaky = new ImporterResult { Version = ImporterResult.CurrentVersion, Succeeded = false, Reason = ImporterFailureReason.Internal, Message = "boom", Retryable = true };
        var retry = Decide(Observe(UploadDv(new() { Phase = DataVolumePhase.UploadReady }), claim: Claim(), pod: Pod("Failed", flaky, exitCode: 1, attempt: 0), scratch: Claim()));
        retry.Status.Phase.Should().Be(DataVolumePhase.UploadScheduled);
        retry.Status.RestartCount.Should().Be(1);
        retry.DeletePod.Should().BeTrue();

        var bad = flaky with { Reason = ImporterFailureReason.CorruptImage, Retryable = false, Message = "qcow2 header is corrupt" };
        var failed = Decide(Observe(UploadDv(new() { Phase = DataVolumePhase.UploadReady }), claim: Claim(), pod: Pod("Failed", bad, exitCode: 6, attempt: 0), scratch: Claim()));
        failed.Status.Phase.Should().Be(DataVolumePhase.Failed);
        failed.ClaimAnnotations.Should().Contain(Annotations.PodPhase, "Failed");
        failed.Events.Should().ContainSingle(e => e.Reason == "UploadFailed" && e.Message.Contains("qcow2 header is corrupt"));
    }

    [Fact]
    public void Without_the_token_key_uploads_fail_with_the_reason()
    {
        var d = Decide(Observe(UploadDv(), claim: Claim()), Options);
        d.Status.Phase.Should().Be(DataVolumePhase.Failed);
        d.Status.Conditions!.Single(c => c.Type == "Running").Message.Should().Contain("upload-token verification key");
        d.CreatePod.Should().BeNull();
    }

    [Fact]
    public void CdiConfig_publishes_the_proxy_url_and_the_override_wins()
    {
        Settings.ClusterSettingsDecider.ConfigStatus(null, [], WithKey).UploadProxyUrl.Should().Be("https://127.0.0.1:1");
        Settings.ClusterSettingsDecider.ConfigStatus(new() { UploadProxyUrlOverride = "https://upload.example.com" }, [], WithKey).UploadProxyUrl
            .Should().Be("https://upload.example.com");
    }
}
