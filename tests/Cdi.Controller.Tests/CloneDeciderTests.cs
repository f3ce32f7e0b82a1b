using System.Security.Cryptography;
using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Api.Upload;
using Cdi.Controller.Cloning;
using Cdi.Controller.DataVolumes;
using Cdi.Kube.Models;
using static Cdi.Controller.Tests.Observations;

namespace Cdi.Controller.Tests;

/// <summary>The clone half of the DataVolume state machine, as table tests over observed states.</summary>
public sealed class CloneDeciderTests : IDisposable
{
    private readonly ECDsa _apiKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _cloneKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ControllerOptions _options;

    public CloneDeciderTests() => _options = Options with
    {
        UploadTokenPublicKey = _apiKey.ExportSubjectPublicKeyInfoPem(),
        CloneSigningKey = _cloneKey.ExportPkcs8PrivateKeyPem(),
    };

    public void Dispose()
    {
        _apiKey.Dispose();
        _cloneKey.Dispose();
    }

    private static DataVolume CloneDv(string sourceNs = "ns", string? size = "1Gi", string? volumeMode = null, DataVolumeStatus? status = null,
        Dictionary<string, string>? annotations = null)
    {
        var dv = HttpDv(status: status, volumeMode: volumeMode, annotations: annotations);
        var storage = dv.Spec.Storage! with { Resources = new VolumeResourceRequirements { Requests = size is null ? [] : new() { ["storage"] = size } } };
        return dv with
        {
            Metadata = dv.Metadata with { CreationTimestamp = Now.AddSeconds(-30) },
            Spec = dv.Spec with { Source = new DataVolumeSource { Pvc = new PvcDataSource { Namespace = sourceNs, Name = "golden" } }, Storage = storage },
        };
    }

    private static PersistentVolumeClaim SourceClaim(string ns = "ns", string size = "1Gi", string mode = "Filesystem") => new()
    {
        Metadata = new ObjectMeta { Name = "golden", Namespace = ns, Uid = "uid-golden" },
        Spec = new PersistentVolumeClaimSpec { StorageClassName = "local", VolumeMode = mode, Resources = new() { Requests = new() { ["storage"] = size } } },
        Status = new PersistentVolumeClaimStatus { Phase = "Bound", Capacity = new() { ["storage"] = size } },
    };

    private static Pod UploadPod(string phase, string? ip = "127.0.0.9")
    {
        var pod = Pod(phase);
        return pod with { Metadata = pod.Metadata with { Name = "cdi-upload-dv1" }, Status = pod.Status! with { PodIP = ip } };
    }

    private static Pod SourcePod(string phase, int exitCode = 0, string? message = null, int? attempt = null)
    {
        var pod = Pod(phase, exitCode: exitCode, attempt: attempt);
        var status = pod.Status!;
        if (message is not null)
        {
            var state = status.ContainerStatuses![0].State!;
            status = status with { ContainerStatuses = [status.ContainerStatuses[0] with { State = state with { Terminated = state.Terminated! with { Message = message } } }] };
        }
        return pod with { Metadata = pod.Metadata with { Name = "uid-pvc-source-pod" }, Status = status };
    }

    private DataVolumeDecision Decide(DataVolume dv, PersistentVolumeClaim? claim = null, Pod? upload = null, PersistentVolumeClaim? source = null,
        IReadOnlyList<string>? users = null, Pod? sourcePod = null, ControllerOptions? options = null) =>
        DataVolumeDecider.Decide(Observe(dv, claim, upload, scratch: claim is null ? null : Claim()) with
        {
            CloneSide = new CloneObservation(source, users ?? [], sourcePod),
        }, options ?? _options);

    [Fact]
    public void A_missing_source_waits_with_CloneWithoutSource_and_creates_nothing()
    {
        var d = Decide(CloneDv());
        d.Status.Phase.Should().Be(DataVolumePhase.Pending);
        d.CreateClaim.Should().BeNull();
        d.Events.Should().ContainSingle(e => e.Reason == "CloneWithoutSource" && e.Message.Contains("ns/golden does not exist"));
        d.RequeueAfter.Should().NotBeNull("nothing watches the user's claims: the clone looks again");
        Decide(CloneDv(status: d.Status)).Events.Should().BeEmpty("said once");
    }

    [Fact]
    public void A_sizeless_clone_takes_the_sources_usable_size_and_the_claim_grows_for_the_overhead()
    {
        var d = Decide(CloneDv(size: null), source: SourceClaim(size: "1Gi"));
        var usable = (long)decimal.Floor((1L << 30) * 0.94m);
        d.CreateClaim!.Spec!.Resources!.Requests!["storage"].Should().Be(Cdi.Controller.Storage.ClaimFactory.RequiredSpace(usable, 0.06m).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_filesystem_source_fits_a_block_target_of_its_usable_size()
    {
        var usable = (long)decimal.Floor((1L << 30) * 0.94m);
        var d = Decide(CloneDv(size: usable.ToString(System.Globalization.CultureInfo.InvariantCulture), volumeMode: "Block"), source: SourceClaim(size: "1Gi"));
        d.Status.Phase.Should().Be(DataVolumePhase.Pending);
        d.CreateClaim!.Spec!.VolumeMode.Should().Be("Block");
        d.CreateClaim.Spec.Resources!.Requests!["storage"].Should().Be(usable.ToString(System.Globalization.CultureInfo.InvariantCulture), "Block has no overhead");
    }

    [Fact]
    public void A_smaller_target_fails_clearly_unless_permissive()
    {
        var d = Decide(CloneDv(size: "512Mi"), source: SourceClaim(size: "1Gi"));
        d.Status.Phase.Should().Be(DataVolumePhase.Failed);
        d.Status.Conditions!.Single(c => c.Type == "Running").Message.Should().Contain("target is smaller than the source claim ns/golden");
        d.Events.Should().ContainSingle(e => e.Reason == "CloneValidationFailed");
        d.CreateClaim.Should().BeNull();

        var permissive = Decide(CloneDv(size: "512Mi", annotations: new() { [Annotations.PermissiveClone] = "" }), source: SourceClaim(size: "1Gi"));
        permissive.CreateClaim.Should().NotBeNull();
    }

    [Fact]
    public void A_cross_namespace_clone_without_a_valid_token_fails_and_never_waits()
    {
        var d = Decide(CloneDv(sourceNs: "golden-ns"), source: SourceClaim(ns: "golden-ns"));
        d.Status.Phase.Should().Be(DataVolumePhase.Failed);
        d.Status.Conditions!.Single(c => c.Type == "Running").Message.Should().Contain("no clone token");
        d.Events.Should().ContainSingle(e => e.Reason == "CloneValidationFailed");

        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = CloneTokens.Issue(stranger, "golden-ns", "golden", "ns", "dv1", Now.AddSeconds(-30));
        Decide(CloneDv(sourceNs: "golden-ns", annotations: new() { [CloneTokens.Annotation] = forged }), source: SourceClaim(ns: "golden-ns"))
            .Status.Conditions!.Single(c => c.Type == "Running").Message.Should().Contain("signature does not verify");

        var otherTarget = CloneTokens.Issue(_apiKey, "golden-ns", "golden", "ns", "other", Now.AddSeconds(-30));
        Decide(CloneDv(sourceNs: "golden-ns", annotations: new() { [CloneTokens.Annotation] = otherTarget }), source: SourceClaim(ns: "golden-ns"))
            .Status.Phase.Should().Be(DataVolumePhase.Failed);

        var stale = CloneTokens.Issue(_apiKey, "golden-ns", "golden", "ns", "dv1", Now.AddHours(-1));
        Decide(CloneDv(sourceNs: "golden-ns", annotations: new() { [CloneTokens.Annotation] = stale }), source: SourceClaim(ns: "golden-ns"))
            .Status.Conditions!.Single(c => c.Type == "Running").Message.Should().Contain("expired", "a token copied from an older DataVolume does not serve a new one");
    }

    [Fact]
    public void A_cross_namespace_clone_with_admissions_token_goes_ahead()
    {
        var token = CloneTokens.Issue(_apiKey, "golden-ns", "golden", "ns", "dv1", Now.AddSeconds(-31));
        var d = Decide(CloneDv(sourceNs: "golden-ns", annotations: new() { [CloneTokens.Annotation] = token }), source: SourceClaim(ns: "golden-ns"));
        d.Status.Phase.Should().Be(DataVolumePhase.Pending);
        d.CreateClaim.Should().NotBeNull();
    }

    [Fact]
    public void A_bound_target_gets_an_upload_server_in_clone_mode()
    {
        var d = Decide(CloneDv(), claim: Claim(), source: SourceClaim());
        d.Status.Phase.Should().Be(DataVolumePhase.CloneScheduled);
        d.Events.Should().ContainSingle(e => e.Reason == "CloneScheduled");
        d.CreatePod!.Metadata.Name.Should().Be("cdi-upload-dv1");
        d.CreateSourcePod.Should().BeNull("the source waits for the server's address");
        var spec = JsonSerializer.Deserialize(d.CreatePod.Spec!.Containers[0].Env!.Single(e => e.Name == UploadServerSpec.EnvironmentVariable).Value!,
            ApiJsonContext.Default.UploadServerSpec)!;
        spec.TokenOperation.Should().Be(UploadTokenClaims.CloneStreamOperation, "users' upload tokens are not taken");
        spec.Importer!.RawCopy.Should().BeTrue("a volume's bytes are copied, never decoded");
        spec.TokenPublicKey.Should().Be(_cloneKey.ExportSubjectPublicKeyInfoPem());
        d.ClaimAnnotations.Should().BeNull("the claim is no upload target: the proxy refuses it");
    }

    [Fact]
    public void A_running_server_gets_a_read_only_source_pod_in_the_source_namespace()
    {
        var token = CloneTokens.Issue(_apiKey, "golden-ns", "golden", "ns", "dv1", Now.AddSeconds(-31));
        var d = Decide(CloneDv(sourceNs: "golden-ns", annotations: new() { [CloneTokens.Annotation] = token }), claim: Claim(), upload: UploadPod("Running"),
            source: SourceClaim(ns: "golden-ns", mode: "Block"));
        var pod = d.CreateSourcePod!;
        d.Status.Phase.Should().Be(DataVolumePhase.CloneScheduled);
        (pod.Metadata.Namespace, pod.Metadata.Name).Should().Be(("golden-ns", "uid-pvc-source-pod"));
        pod.Metadata.OwnerReferences.Should().BeNull("owner references cannot cross namespaces");
        pod.Metadata.Labels![Annotations.CloneTargetNamespaceLabel].Should().Be("ns");
        pod.Spec!.Volumes!.Single().PersistentVolumeClaim!.ReadOnly.Should().BeTrue();
        pod.Spec.Containers[0].VolumeDevices!.Single().DevicePath.Should().Be("/dev/cdi-block-volume");
        var spec = JsonSerializer.Deserialize(pod.Spec.Containers[0].Env!.Single(e => e.Name == CloneSourceSpec.EnvironmentVariable).Value!, ApiJsonContext.Default.CloneSourceSpec)!;
        spec.Problem().Should().BeNull();
        spec.UploadUrl.Should().Be($"http://127.0.0.9:{UploadServerSpec.Port}/v1beta1/upload");
        spec.VolumeMode.Should().Be("Block");
    }

    [Fact]
    public void A_source_in_use_waits_with_CloneSourceInUse()
    {
        var d = Decide(CloneDv(), claim: Claim(), upload: UploadPod("Running"), source: SourceClaim(), users: ["vm"]);
        d.CreateSourcePod.Should().BeNull();
        d.Status.Phase.Should().Be(DataVolumePhase.CloneScheduled);
        d.Status.Conditions!.Single(c => c.Type == "Running").Reason.Should().Be("CloneSourceInUse");
        d.Events.Should().ContainSingle(e => e.Reason == "CloneSourceInUse" && e.Message.Contains("pod vm"));
        d.RequeueAfter.Should().NotBeNull();
    }

    [Fact]
    public void A_running_source_pod_is_CloneInProgress_and_success_cleans_up_both_pods()
    {
        var running = Decide(CloneDv(status: new() { Phase = DataVolumePhase.CloneScheduled }), claim: Claim(), upload: UploadPod("Running"), source: SourceClaim(),
            sourcePod: SourcePod("Running"));
        running.Status.Phase.Should().Be(DataVolumePhase.CloneInProgress);
        running.Events.Should().ContainSingle(e => e.Reason == "CloneInProgress");

        var ok = new ImporterResult { Version = ImporterResult.CurrentVersion, Succeeded = true, Message = "Upload Complete" };
        var done = Decide(CloneDv(status: running.Status), claim: Claim(), upload: UploadPod("Succeeded") with { Status = Pod("Succeeded", ok).Status }, source: SourceClaim(),
            sourcePod: SourcePod("Succeeded"));
        done.Status.Phase.Should().Be(DataVolumePhase.Succeeded);
        done.Events.Should().ContainSingle(e => e.Reason == "CloneSucceeded");
        (done.DeletePod, done.DeleteSourcePod, done.DeleteScratch).Should().Be((true, true, true));
    }

    [Fact]
    public void A_failed_source_pod_is_replaced_and_counted_then_the_clone_fails()
    {
        var d = Decide(CloneDv(status: new() { Phase = DataVolumePhase.CloneInProgress }), claim: Claim(), upload: UploadPod("Running"), source: SourceClaim(),
            sourcePod: SourcePod("Failed", exitCode: 1, message: "cannot stream", attempt: 0));
        d.DeleteSourcePod.Should().BeTrue();
        d.Status.RestartCount.Should().Be(1);
        d.Events.Should().ContainSingle(e => e.Reason == "CloneSourceFailed");

        var last = Decide(CloneDv(status: new() { Phase = DataVolumePhase.CloneInProgress, RestartCount = _options.MaxRetries }), claim: Claim(), upload: UploadPod("Running"),
            source: SourceClaim(), sourcePod: SourcePod("Failed", exitCode: 1, message: "cannot stream", attempt: _options.MaxRetries));
        last.Status.Phase.Should().Be(DataVolumePhase.Failed);
        last.Status.Conditions!.Single(c => c.Type == "Running").Message.Should().Be("cannot stream");
    }

    [Fact]
    public void The_source_pods_typed_result_decides_retry_or_fail()
    {
        static string Result(string reason, bool retryable) =>
            $$"""{"version":1,"succeeded":false,"reason":"{{reason}}","message":"the source said {{reason}}","retryable":{{(retryable ? "true" : "false")}}}""";

        var lost = Decide(CloneDv(status: new() { Phase = DataVolumePhase.CloneInProgress }), claim: Claim(), upload: UploadPod("Running"), source: SourceClaim(),
            sourcePod: SourcePod("Failed", exitCode: 1, message: Result("SourceUnavailable", true), attempt: 0));
        lost.Status.RestartCount.Should().Be(1, "a broken stream may pass next time");
        lost.Status.Conditions!.Single(c => c.Type == "Running").Should().Match<DataVolumeCondition>(c => c.Reason == "SourceUnavailable" && c.Message == "the source said SourceUnavailable");

        var missing = Decide(CloneDv(status: new() { Phase = DataVolumePhase.CloneInProgress }), claim: Claim(), upload: UploadPod("Running"), source: SourceClaim(),
            sourcePod: SourcePod("Failed", exitCode: 1, message: Result("SourceNotFound", false), attempt: 0));
        missing.Status.Phase.Should().Be(DataVolumePhase.Failed, "a source without a disk image has none next time either");
        missing.Events.Should().ContainSingle(e => e.Reason == "SourceNotFound");
        (missing.DeleteSourcePod, missing.DeletePod).Should().Be((true, true));

        var unversioned = Decide(CloneDv(status: new() { Phase = DataVolumePhase.CloneInProgress }), claim: Claim(), upload: UploadPod("Running"), source: SourceClaim(),
            sourcePod: SourcePod("Failed", exitCode: 1, message: """{"succeeded":false,"reason":"SourceNotFound","message":"x"}""", attempt: 0));
        unversioned.Status.Conditions!.Single(c => c.Type == "Running").Message.Should().Contain("no version", "a result without a version is refused, not trusted");
    }

    [Fact]
    public void Without_the_clone_signing_key_a_clone_fails_clearly()
    {
        var d = Decide(CloneDv(), source: SourceClaim(), options: _options with { CloneSigningKey = null });
        d.Status.Phase.Should().Be(DataVolumePhase.Failed);
        d.Events.Should().ContainSingle(e => e.Reason == "ErrCloneNotConfigured");
    }
}
