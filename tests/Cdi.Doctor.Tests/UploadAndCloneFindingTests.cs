using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;
using Cdi.Doctor.Rules;
using Cdi.Kube.Models;

namespace Cdi.Doctor.Tests;

/// <summary>upload-stalled is timed by the snapshot's clock; clone-permission-denied reads both refusal texts.</summary>
public sealed class UploadAndCloneFindingTests
{
    [Fact]
    public void Only_an_upload_ready_for_ten_minutes_without_a_byte_is_stalled()
    {
        var snapshot = Fixtures.Load("upload-stalled.json");
        var stalled = Examiner.Examine(snapshot).Should().ContainSingle().Subject;
        stalled.Object.Should().Be(new ObjectRef("DataVolume", "vms", "idle"));
        stalled.Summary.Should().Contain("25 minutes");
        stalled.Evidence.Should().Contain("status.progress: N/A").And.Contain(e => e.StartsWith("condition Running=True since 2024-05-01 10:00:00Z", StringComparison.Ordinal));

        // Judged as of the snapshot's time: a minute before the threshold nothing is said, at it the upload is stalled.
        var readySince = DateTimeOffset.Parse("2024-05-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Examiner.Examine(snapshot with { TakenAt = readySince + UploadStalledRule.StalledAfter - TimeSpan.FromMinutes(1) }).Should().BeEmpty();
        Examiner.Examine(snapshot with { TakenAt = readySince + UploadStalledRule.StalledAfter }).Should().ContainSingle(f => f.Object.Name == "idle");
        // A kubectl List has no time: nothing can be timed, so nothing is said.
        Examiner.Examine(snapshot with { TakenAt = null }).Should().BeEmpty();
        // The upload that got 37 % two hours ago is not judged (the status does not say when its last byte came).
        Examiner.Examine(snapshot with { TakenAt = readySince.AddHours(2) }).Should().NotContain(f => f.Object.Name == "sending");
    }

    [Fact]
    public void A_refused_clone_recorded_by_its_creator_names_the_user_the_claim_and_the_grant()
    {
        var finding = Fixtures.Examine("clone-permission-denied.json").Single(f => f.Object.Kind == "VirtualMachine");
        finding.Summary.Should().Be("user system:serviceaccount:vms:vm-creator may not clone claim golden/fedora: it lacks create on datavolumes/source in namespace golden");
        finding.Evidence.Should().ContainSingle().Which.Should().StartWith("event Warning FailedCreate on virtualmachine/vm1 (x4): Error creating DataVolume vm1-disk");
    }

    [Fact]
    public void A_clone_failed_for_want_of_a_token_is_one_permission_finding_not_an_import_failure()
    {
        var findings = Fixtures.Examine("clone-permission-denied.json", "vms/restored").Where(f => f.DataVolume == "vms/restored").ToList();
        var finding = findings.Should().ContainSingle().Subject;
        finding.Id.Should().Be(FindingIds.ClonePermissionDenied);
        finding.Remedy.Should().Contain("kubectl create role datavolume-cloner -n golden").And.Contain("--user=USER");
        finding.Evidence.Should().Contain("spec.source.pvc: golden/fedora").And.Contain("metadata.annotations[cdi.kubevirt.io/storage.clone.token]: absent");
    }

    [Theory]
    [InlineData("User system:serviceaccount:vms:default has insufficient permissions in clone source namespace golden",
        "system:serviceaccount:vms:default", "golden", "--serviceaccount=vms:default")]
    [InlineData("admission webhook denied the request: insufficient permissions in clone source namespace \"golden\"", null, "golden", "--user=USER")]
    public void Upstreams_refusal_text_is_read_too(string message, string? user, string ns, string subject)
    {
        var refusal = CloneRefusal.FromAdmissionMessage(message);
        refusal.Should().Be(new CloneRefusal.Refusal(user, ns, null));
        CloneRefusal.Grant(ns, user).Should().EndWith(subject);
    }

    [Fact]
    public void Other_warnings_are_no_clone_refusal()
    {
        CloneRefusal.FromAdmissionMessage("Error creating DataVolume d: spec.source.pvc: Required value").Should().BeNull();
        var snapshot = Fixtures.Load("clone-permission-denied.json");
        var normal = snapshot with
        {
            DataVolumes = [],
            Events = [.. snapshot.Events.Select(e => e with { Type = "Normal" })],
        };
        Examiner.Examine(normal).Should().BeEmpty();
    }
}
