using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Api.StorageProfiles;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Storage;
using Cdi.Kube.Models;
using static Cdi.Controller.Tests.Observations;

namespace Cdi.Controller.Tests;

/// <summary>The import state machine as table tests over observed states: no cluster, no clock.</summary>
public sealed class DataVolumeDeciderTests
{
    private static DataVolumeDecision Decide(DataVolumeObservation o) => DataVolumeDecider.Decide(o, Options);

    [Fact]
    public void New_dv_creates_an_owned_claim_inflated_for_filesystem_overhead()
    {
        var d = Decide(Observe(HttpDv(size: "1Gi")));
        d.Status.Phase.Should().Be(DataVolumePhase.Pending);
        d.CreateClaim.Should().NotBeNull();
        var claim = d.CreateClaim!;
        claim.Metadata.Name.Should().Be("dv1");
        claim.Metadata.OwnerReferences.Should().ContainSingle(r => r.Uid == "uid-dv1" && r.Controller == true);
        claim.Spec!.StorageClassName.Should().Be("local", "the default class is resolved");
        claim.Spec.AccessModes.Should().Equal("ReadWriteOnce");
        claim.Spec.Resources!.Requests!["storage"].Should().Be(ClaimFactory.RequiredSpace(1L << 30, 0.06m).ToString());
        ClaimFactory.RequiredSpace(1L << 30, 0.06m).Should().Be(1142278537); // ceil(1 GiB / 0.94)
        d.CreatePod.Should().BeNull("the pod waits for the claim");
    }

    [Fact]
    public void Block_storage_is_not_inflated()
    {
        var d = Decide(Observe(HttpDv(size: "1Gi", volumeMode: "Block")));
        d.CreateClaim!.Spec!.Resources!.Requests!["storage"].Should().Be("1Gi");
        d.CreateClaim.Spec.VolumeMode.Should().Be("Block");
    }

    [Fact]
    public void Pvc_spec_is_used_as_given()
    {
        var dv = HttpDv() with { Spec = HttpDv().Spec with { Storage = null, Pvc = new() { AccessModes = ["ReadWriteMany"], Resources = new() { Requests = new() { ["storage"] = "5Gi" } } } } };
        var d = Decide(Observe(dv));
        d.CreateClaim!.Spec!.Resources!.Requests!["storage"].Should().Be("5Gi");
        d.CreateClaim.Spec.AccessModes.Should().Equal("ReadWriteMany");
    }

    [Fact]
    public void No_class_and_no_default_is_said_not_silently_pending()
    {
        var d = Decide(Observe(HttpDv(), classes: [Class("fast")]));
        d.CreateClaim.Should().BeNull();
        d.Status.Phase.Should().Be(DataVolumePhase.Pending);
        d.Status.Conditions!.Single(c => c.Type == "Bound").Reason.Should().Be("NoStorageClass");
        d.Events.Should().ContainSingle(e => e.Reason == "ErrNoStorageClass" && e.Type == "Warning");
    }

    [Fact]
    public void Missing_named_class_is_reported()
    {
        var d = Decide(Observe(HttpDv(storageClass: "gone"), claim: Claim(phase: "Pending", storageClass: "gone")));
        d.Status.Phase.Should().Be(DataVolumePhase.Pending);
        d.Status.Conditions!.Single(c => c.Type == "Bound").Message.Should().Contain("storage class gone does not exist");
        d.Events.Should().ContainSingle(e => e.Reason == "ErrClaimNotValid");
    }

    [Fact]
    public void An_empty_storage_class_name_is_kept_as_no_class_and_a_volume_name_is_honored()
    {
        var dv = HttpDv(storageClass: "");
        var noModes = Decide(Observe(dv with { Spec = dv.Spec with { Storage = dv.Spec.Storage! with { VolumeName = "pv-golden" } } }));
        noModes.CreateClaim.Should().BeNull("without a class there is no StorageProfile to take access modes from, and none is guessed");
        noModes.Status.Conditions!.Single(c => c.Type == "Bound").Should().Match<DataVolumeCondition>(c =>
            c.Reason == "ErrClaimNotValid" && c.Message == "PVC spec is missing accessMode and no storageClass to choose profile");
        dv = dv with { Spec = dv.Spec with { Storage = dv.Spec.Storage! with { VolumeName = "pv-golden", AccessModes = ["ReadWriteOnce"] } } };
        var d = Decide(Observe(dv));
        d.CreateClaim!.Spec!.StorageClassName.Should().Be("", "\"\" means no class (static binding), not the default class");
        d.CreateClaim.Spec.VolumeName.Should().Be("pv-golden");

        var pending = Decide(Observe(dv, claim: Claim(phase: "Pending", storageClass: "")));
        pending.Status.Phase.Should().Be(DataVolumePhase.Pending);
        pending.Events.Should().NotContain(e => e.Reason == "ErrClaimNotValid", "no class is missing");
        pending.Status.Conditions!.Single(c => c.Type == "Bound").Message.Should().Be("PVC dv1 Pending");
    }

    [Fact]
    public void A_provisioner_the_profile_cannot_describe_gives_claim_not_valid_once_and_no_claim()
    {
        var o = Observe(HttpDv()) with { Settings = LocalSettings with { Profiles = new Dictionary<string, IReadOnlyList<ClaimPropertySet>> { ["local"] = [] } } };
        var d = Decide(o);
        d.CreateClaim.Should().BeNull("no RWO/Filesystem guess");
        d.Status.Phase.Should().Be(DataVolumePhase.Pending);
        d.Status.Conditions!.Single(c => c.Type == "Bound").Should().Match<DataVolumeCondition>(c =>
            c.Status == "False" && c.Reason == "ErrClaimNotValid" && c.Message == "no accessMode specified in StorageProfile local");
        d.Events.Should().ContainSingle(e => e.Type == "Warning" && e.Reason == "ErrClaimNotValid"
            && e.Message == "Spec is missing accessMode and volumeMode, cannot get access mode from StorageProfile local");
        Decide(o with { DataVolume = o.DataVolume with { Status = d.Status } }).Events.Should().BeEmpty("said once");

        var given = HttpDv(volumeMode: "Filesystem");
        given = given with { Spec = given.Spec with { Storage = given.Spec.Storage! with { AccessModes = ["ReadWriteMany"] } } };
        Decide(o with { DataVolume = given }).CreateClaim!.Spec!.AccessModes.Should().Equal(["ReadWriteMany"], "a complete spec needs no profile");
    }

    [Fact]
    public void A_profile_without_status_yet_waits_quietly()
    {
        var d = Decide(Observe(HttpDv()) with { Settings = LocalSettings with { Profiles = new Dictionary<string, IReadOnlyList<ClaimPropertySet>>() } });
        d.CreateClaim.Should().BeNull();
        d.Events.Should().BeEmpty();
        d.Status.Conditions!.Single(c => c.Type == "Bound").Message.Should().Be("waiting for StorageProfile local");
    }

    [Fact]
    public void Every_claim_property_set_is_considered_in_order()
    {
        var d = Decide(Observe(HttpDv(volumeMode: "Block")) with
        {
            Settings = LocalSettings with
            {
                Profiles = new Dictionary<string, IReadOnlyList<ClaimPropertySet>>
                {
                    ["local"] = [new() { AccessModes = ["ReadWriteOnce"], VolumeMode = "Filesystem" }, new() { AccessModes = ["ReadWriteMany"], VolumeMode = "Block" }],
                },
            },
        });
        d.CreateClaim!.Spec!.AccessModes.Should().Equal(["ReadWriteMany"], "the second entry is the first of volume mode Block");
        d.CreateClaim.Spec.VolumeMode.Should().Be("Block");
    }

    [Fact]
    public void From_storage_profile_takes_the_profiles_volume_mode_for_storage_and_pvc()
    {
        var blockFirst = LocalSettings with
        {
            Profiles = new Dictionary<string, IReadOnlyList<ClaimPropertySet>> { ["local"] = [new() { AccessModes = ["ReadWriteOnce"], VolumeMode = "Block" }] },
        };
        var storage = Decide(Observe(HttpDv(volumeMode: "FromStorageProfile")) with { Settings = blockFirst });
        storage.CreateClaim!.Spec!.VolumeMode.Should().Be("Block");
        storage.CreateClaim.Spec.Resources!.Requests!["storage"].Should().Be("1Gi", "Block is not inflated");

        var pvcDv = HttpDv() with { Spec = HttpDv().Spec with { Storage = null, Pvc = new() { AccessModes = ["ReadWriteOnce"], VolumeMode = "FromStorageProfile", Resources = new() { Requests = new() { ["storage"] = "5Gi" } } } } };
        Decide(Observe(pvcDv) with { Settings = blockFirst }).CreateClaim!.Spec!.VolumeMode.Should().Be("Block");
        Decide(Observe(pvcDv)).CreateClaim!.Spec!.VolumeMode.Should().Be("Filesystem", "the local profile's first ReadWriteOnce entry");
    }

    [Fact]
    public void The_default_virt_class_wins_over_the_kubernetes_default_for_storage_disks_only()
    {
        var virt = Class("virt") with { Metadata = Class("virt").Metadata with { Annotations = new() { [Annotations.DefaultVirtStorageClass] = "true" } } };
        StorageClass[] classes = [Class("local", isDefault: true), virt];
        var settings = LocalSettings with { Profiles = new Dictionary<string, IReadOnlyList<ClaimPropertySet>> { ["local"] = LocalProfile, ["virt"] = LocalProfile } };
        Decide(Observe(HttpDv(), classes: classes) with { Settings = settings }).CreateClaim!.Spec!.StorageClassName.Should().Be("virt");
        Decide(Observe(HttpDv(storageClass: "local"), classes: classes) with { Settings = settings }).CreateClaim!.Spec!.StorageClassName.Should().Be("local", "a named class wins");
        var archive = HttpDv() with { Spec = HttpDv().Spec with { ContentType = "archive" } };
        Decide(Observe(archive, classes: classes) with { Settings = settings }).CreateClaim!.Spec!.StorageClassName.Should().Be("local", "archives are not disks");
        var pvcDv = HttpDv() with { Spec = HttpDv().Spec with { Storage = null, Pvc = new() { AccessModes = ["ReadWriteOnce"], Resources = new() { Requests = new() { ["storage"] = "5Gi" } } } } };
        Decide(Observe(pvcDv, classes: classes) with { Settings = settings }).CreateClaim!.Spec!.StorageClassName.Should().Be("local", "spec.pvc is plain Kubernetes");
    }

    [Fact]
    public void Wait_for_first_consumer_waits_without_a_pod()
    {
        var d = Decide(Observe(HttpDv(storageClass: "local-wffc"), claim: Claim(phase: "Pending", storageClass: "local-wffc")));
        d.Status.Phase.Should().Be(DataVolumePhase.WaitForFirstConsumer);
        d.CreatePod.Should().BeNull();
    }

    [Fact]
    public void Immediate_binding_annotation_starts_the_import_on_a_wffc_class()
    {
        var dv = HttpDv(storageClass: "local-wffc", annotations: new() { [Annotations.ImmediateBinding] = "true" });
        var d = Decide(Observe(dv, claim: Claim(phase: "Pending", storageClass: "local-wffc")));
        d.CreatePod.Should().NotBeNull();
        d.Status.Phase.Should().Be(DataVolumePhase.PvcBound);
    }

    [Fact]
    public void Bound_claim_gets_an_importer_pod_with_a_typed_spec_and_resources()
    {
        var d = Decide(Observe(HttpDv(), claim: Claim()));
        d.Status.Phase.Should().Be(DataVolumePhase.PvcBound, "upstream's phase while the claim is bound and no importer pod has a phase");
        d.Events.Should().ContainSingle(e => e.Reason == "ImportScheduled" && e.Message == "Import into dv1 scheduled");
        var pod = d.CreatePod!;
        pod.Metadata.Name.Should().Be("importer-dv1");
        pod.Spec!.RestartPolicy.Should().Be("Never");
        var c = pod.Spec.Containers.Single();
        c.Image.Should().Be(Options.Image);
        c.Command.Should().Equal("cdi-worker", "importer");
        c.Resources!.Limits.Should().ContainKeys("cpu", "memory");
        var spec = System.Text.Json.JsonSerializer.Deserialize(c.Env!.Single(e => e.Name == ImporterSpec.EnvironmentVariable).Value!, Cdi.Api.ApiJsonContext.Default.ImporterSpec)!;
        spec.Source.Should().Be("http://example.com/disk.qcow2");
        spec.Target.Should().Be("/data");
        spec.Size.Should().Be(1142947840);
        spec.Scratch.Should().BeNull();
        c.VolumeMounts.Should().ContainSingle(m => m.MountPath == "/data");
    }

    [Fact]
    public void Quota_refusal_shows_on_the_datavolume_once_and_goes_with_the_next_pod()
    {
        const string quota = "pods \"importer-dv1\" is forbidden: failed quota: q1: must specify limits.cpu,limits.memory";
        var o = Observe(HttpDv(), claim: Claim());
        var refused = DataVolumeDecider.PodRefused(o, Decide(o), quota);
        refused.CreatePod.Should().BeNull("the refusal is what happened to the create");
        refused.Events.Should().ContainSingle(e => e.Reason == "ErrExceededQuota" && e.Message == quota && e.Type == "Warning");
        refused.Status.Phase.Should().Be(DataVolumePhase.PvcBound);
        refused.Status.Conditions!.Single(c => c.Type == "Running").Message.Should().Be(quota);

        var again = Observe(HttpDv(status: refused.Status), claim: Claim());
        var retry = Decide(again);
        retry.CreatePod.Should().NotBeNull("creation is retried, so a raised quota lets the import go ahead");
        DataVolumeDecider.PodRefused(again, retry, quota).Events.Should().BeEmpty("the refusal is reported once");
        DataVolumeDecider.PodRefused(again, retry, quota).Status.Conditions.Should().BeEquivalentTo(refused.Status.Conditions,
            o => o.Excluding(c => c.LastHeartbeatTime), "a repeated refusal changes nothing worth writing");
        retry.Status.Conditions!.Single(c => c.Type == "Running").Reason.Should().BeEmpty("an accepted create leaves no trace of the refusal");

        var scheduled = Decide(Observe(HttpDv(status: refused.Status), claim: Claim(), pod: Pod("Pending")));
        scheduled.Status.Phase.Should().Be(DataVolumePhase.ImportScheduled);
        scheduled.Status.Conditions!.Single(c => c.Type == "Running").Message.Should().NotContain("quota");
        scheduled.Events.Should().BeEmpty();
    }

    [Fact]
    public void A_failed_pod_of_an_attempt_already_counted_is_deleted_without_counting_again()
    {
        var flaky = new ImporterResult { Version = ImporterSpec.CurrentVersion, Succeeded = false, Reason = ImporterFailureReason.SourceUnavailable, Message = "cannot reach host", Retryable = true };
        var counted = Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.ImportInProgress, RestartCount = 2 }), claim: Claim(),
            pod: Pod("Failed", flaky, finishedAt: Now.AddMinutes(-10), exitCode: 4, attempt: 1)));
        counted.DeletePod.Should().BeTrue();
        counted.Status.RestartCount.Should().Be(2);
        counted.Events.Should().BeEmpty();

        var fresh = Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.ImportInProgress, RestartCount = 2 }), claim: Claim(),
            pod: Pod("Failed", flaky, finishedAt: Now.AddMinutes(-10), exitCode: 4, attempt: 2)));
        fresh.Status.RestartCount.Should().Be(3, "the pod of the current attempt counts once");
        fresh.DeletePod.Should().BeTrue();
    }

    [Fact]
    public void A_terminal_failure_fails_the_datavolume_with_one_event()
    {
        var o = Observe(HttpDv(size: "1Gb"));
        var failed = DataVolumeDecider.Failure(o, "ErrInvalidSpec", "cannot act on the DataVolume's spec: bad size");
        failed.Status.Phase.Should().Be(DataVolumePhase.Failed);
        failed.Status.Conditions!.Single(c => c.Type == "Ready").Reason.Should().Be("ErrInvalidSpec");
        failed.Events.Should().ContainSingle(e => e.Type == "Warning");
        DataVolumeDecider.Failure(Observe(HttpDv(size: "1Gb", status: failed.Status)), "ErrInvalidSpec", "cannot act on the DataVolume's spec: bad size")
            .Events.Should().BeEmpty("recorded once");
    }

    [Fact]
    public void Running_pod_means_in_progress_with_progress()
    {
        var d = Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.ImportScheduled }), claim: Claim(), pod: Pod("Running"), progress: new ImportProgress { BytesDone = 45_123, BytesTotal = 100_000 }));
        d.Status.Phase.Should().Be(DataVolumePhase.ImportInProgress);
        d.Status.Progress.Should().Be("45.12%");
        d.Status.Conditions!.Single(c => c.Type == "Running").Status.Should().Be("True");
        d.Status.Conditions!.Single(c => c.Type == "Ready").Reason.Should().Be("TransferRunning");
        d.Events.Should().ContainSingle(e => e.Reason == "ImportInProgress");
        Decide(Observe(HttpDv(status: d.Status), claim: Claim(), pod: Pod("Running"), progress: new ImportProgress { BytesDone = 50, BytesTotal = 100 })).Events.Should().BeEmpty("events mark transitions only");
    }

    [Fact]
    public void Running_pod_shows_bytes_rate_and_time_left_which_outlive_the_pod_without_rate()
    {
        var report = new ImportProgress
        {
            Phase = ImportProgressPhase.TransferDataFile, BytesDone = 300, BytesTotal = 1_000, BytesWritten = 280, BytesPerSecond = 100.6,
        };
        var running = Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.ImportScheduled }), claim: Claim(), pod: Pod("Running"), progress: report));
        running.Status.Transfer.Should().BeEquivalentTo(new DataVolumeTransfer
        {
            Phase = "TransferDataFile", BytesDone = 300, BytesTotal = 1_000, BytesWritten = 280, BytesPerSecond = 100, EtaSeconds = 7,
        });

        var unknownTotal = Decide(Observe(HttpDv(status: running.Status), claim: Claim(), pod: Pod("Running"),
            progress: report with { BytesTotal = null, BytesPerSecond = 0 }));
        unknownTotal.Status.Transfer!.EtaSeconds.Should().BeNull("no total, no estimate");
        unknownTotal.Status.Transfer.BytesPerSecond.Should().BeNull("a stalled worker has no rate");

        var unread = Decide(Observe(HttpDv(status: running.Status), claim: Claim(), pod: Pod("Running")));
        unread.Status.Transfer!.BytesDone.Should().Be(300, "an unanswered progress read keeps the last report");

        var ok = new ImporterResult { Version = ImporterResult.CurrentVersion, Succeeded = true, Message = "Import Complete" };
        var done = Decide(Observe(HttpDv(status: running.Status), claim: Claim(), pod: Pod("Succeeded", ok)));
        done.Status.Transfer.Should().BeEquivalentTo(new DataVolumeTransfer
        {
            Phase = "TransferDataFile", BytesDone = 300, BytesTotal = 1_000, BytesWritten = 280,
        }, "no rate or time left without a running worker");
    }

    [Fact]
    public void Succeeded_only_with_a_verified_result()
    {
        var ok = new ImporterResult { Version = ImporterResult.CurrentVersion, Succeeded = true, Message = "Import Complete" };
        var d = Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.ImportInProgress }), claim: Claim(), pod: Pod("Succeeded", ok)));
        d.Status.Phase.Should().Be(DataVolumePhase.Succeeded);
        d.Status.Progress.Should().Be("100.0%");
        d.DeletePod.Should().BeTrue();
        d.Events.Should().ContainSingle(e => e.Reason == "ImportSucceeded" && e.Message == "Successfully imported into PVC dv1");

        var noResult = Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.ImportInProgress, RestartCount = Options.MaxRetries }), claim: Claim(), pod: Pod("Succeeded")));
        noResult.Status.Phase.Should().Be(DataVolumePhase.Failed, "exit 0 without a result is not a verified import");
    }

    [Fact]
    public void Terminal_failure_fails_at_once_with_the_importers_reason()
    {
        var bad = new ImporterResult { Version = ImporterResult.CurrentVersion, Succeeded = false, Reason = ImporterFailureReason.ChecksumMismatch, Message = "checksum mismatch: expected sha256:00 got sha256:11", Retryable = false };
        var d = Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.ImportInProgress }), claim: Claim(), pod: Pod("Failed", bad, exitCode: 5)));
        d.Status.Phase.Should().Be(DataVolumePhase.Failed);
        d.Status.Conditions!.Single(c => c.Type == "Running").Message.Should().Be(bad.Message);
        d.Status.Conditions!.Single(c => c.Type == "Running").Reason.Should().Be("ChecksumMismatch");
        d.Events.Should().ContainSingle(e => e.Reason == "ImportFailed" && e.Message.Contains(bad.Message));
        d.DeletePod.Should().BeFalse("the failed pod stays for its logs");
    }

    [Fact]
    public void Retryable_failure_backs_off_then_retries_with_a_bounded_count()
    {
        var flaky = new ImporterResult { Version = ImporterResult.CurrentVersion, Succeeded = false, Reason = ImporterFailureReason.SourceUnavailable, Message = "cannot reach host", Retryable = true };
        var justFailed = Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.ImportInProgress }), claim: Claim(), pod: Pod("Failed", flaky, finishedAt: Now, exitCode: 4)));
        justFailed.DeletePod.Should().BeFalse("it waits out the backoff first");
        justFailed.RequeueAfter.Should().Be(Options.RetryDelay);

        var later = Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.ImportInProgress, RestartCount = 1 }), claim: Claim(), pod: Pod("Failed", flaky, finishedAt: Now.AddMinutes(-10), exitCode: 4)));
        later.DeletePod.Should().BeTrue();
        later.Status.RestartCount.Should().Be(2);
        later.Events.Should().ContainSingle(e => e.Reason == "ErrImportFailed");

        var exhausted = Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.ImportInProgress, RestartCount = Options.MaxRetries }), claim: Claim(), pod: Pod("Failed", flaky, exitCode: 4)));
        exhausted.Status.Phase.Should().Be(DataVolumePhase.Failed);
    }

    [Fact]
    public void Scratch_space_required_creates_a_scratch_claim_and_restarts()
    {
        var needs = new ImporterResult { Version = ImporterResult.CurrentVersion, Succeeded = false, Reason = ImporterFailureReason.ScratchSpaceRequired, Message = "scratch space required", ScratchSpaceRequired = true };
        var d = Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.ImportInProgress }), claim: Claim(), pod: Pod("Failed", needs, exitCode: 8)));
        d.CreateScratch.Should().NotBeNull();
        d.CreateScratch!.Metadata.Name.Should().Be("dv1-scratch");
        d.CreateScratch.Spec!.VolumeMode.Should().Be("Filesystem");
        d.CreateScratch.Spec.StorageClassName.Should().Be("local");
        d.DeletePod.Should().BeTrue();

        var withScratch = Decide(Observe(HttpDv(status: d.Status), claim: Claim(), scratch: d.CreateScratch));
        withScratch.CreatePod!.Spec!.Volumes.Should().Contain(v => v.PersistentVolumeClaim!.ClaimName == "dv1-scratch");
    }

    [Fact]
    public void A_pod_made_before_its_scratch_claim_was_seen_is_replaced_without_counting_an_attempt()
    {
        var needs = new ImporterResult { Version = ImporterResult.CurrentVersion, Succeeded = false, Reason = ImporterFailureReason.ScratchSpaceRequired, Message = "scratch space required", ScratchSpaceRequired = true };
        var scratch = Claim() with { Metadata = new Cdi.Kube.Models.ObjectMeta { Name = "dv1-scratch", Namespace = "ns", Uid = "uid-scratch" } };
        var status = new DataVolumeStatus { Phase = DataVolumePhase.ImportScheduled, RestartCount = 1 };

        var stale = Decide(Observe(HttpDv(status: status), claim: Claim(), pod: Pod("Failed", needs, exitCode: 8), scratch: scratch));
        stale.DeletePod.Should().BeTrue();
        stale.Status.Phase.Should().Be(DataVolumePhase.ImportScheduled, "a pod without the scratch mount proves nothing about the image");
        stale.Status.RestartCount.Should().Be(1);
        stale.CreateScratch.Should().BeNull("the claim exists");

        var unmounted = Pod("Failed", needs, exitCode: 8);
        var mounted = unmounted with { Spec = unmounted.Spec! with { Volumes = [new() { Name = "cdi-scratch-vol", PersistentVolumeClaim = new() { ClaimName = "dv1-scratch" } }] } };
        Decide(Observe(HttpDv(status: status), claim: Claim(), pod: mounted, scratch: scratch)).Status.Phase
            .Should().Be(DataVolumePhase.Failed, "with scratch mounted, asking for scratch again is a real failure");
    }

    [Theory]
    [InlineData("fast", "local", "fast")]
    [InlineData("gone", "local", "local")]
    [InlineData(null, "local", "local")]
    public void Scratch_class_resolves_configured_then_default_then_own(string? configured, string defaultClass, string expected) =>
        StorageClassResolver.ResolveScratch(configured, "own", [Class(defaultClass, isDefault: true), Class("fast")]).Should().Be(expected);

    [Fact]
    public void Scratch_class_falls_back_to_the_claims_class_without_default() =>
        StorageClassResolver.ResolveScratch("gone", "own", [Class("fast")]).Should().Be("own");

    [Fact]
    public void Unsupported_source_fails_with_a_reason()
    {
        var snapshot = System.Text.Json.JsonDocument.Parse("""{"namespace": "ns", "name": "snap"}""").RootElement.Clone();
        var dv = HttpDv() with { Spec = HttpDv().Spec with { Source = new DataVolumeSource { ExtensionData = new() { ["snapshot"] = snapshot } } } };
        var d = Decide(Observe(dv));
        d.Status.Phase.Should().Be(DataVolumePhase.Failed);
        d.Events.Single().Message.Should().Contain("snapshot sources are not supported yet");
    }

    [Fact]
    public void Long_names_are_shortened_with_a_hash()
    {
        var name = new string('a', 70);
        var pod = ResourceNames.ImporterPod(name);
        pod.Length.Should().BeLessThanOrEqualTo(63);
        pod.Should().StartWith("importer-aaa");
        ResourceNames.ImporterPod(name + "b").Should().NotBe(pod);
    }

    [Fact]
    public void Image_pull_failure_is_reported()
    {
        var d = Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.ImportScheduled }), claim: Claim(), pod: Pod("Pending", waitingReason: "ImagePullBackOff")));
        d.Status.Conditions!.Single(c => c.Type == "Running").Reason.Should().Be("ImagePullFailed");
        d.Events.Should().ContainSingle(e => e.Reason == "ImagePullFailed");
    }

    [Fact]
    public void Terminal_phases_stay_terminal()
    {
        var d = Decide(Observe(HttpDv(status: new() { Phase = DataVolumePhase.Succeeded }), claim: Claim(), pod: Pod("Succeeded")));
        d.Status.Phase.Should().Be(DataVolumePhase.Succeeded);
        d.CreatePod.Should().BeNull();
        d.DeletePod.Should().BeTrue();
    }
}
