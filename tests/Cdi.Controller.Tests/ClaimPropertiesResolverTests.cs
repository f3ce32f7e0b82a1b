using Cdi.Api.StorageProfiles;
using Cdi.Controller.Storage;

namespace Cdi.Controller.Tests;

/// <summary>Upstream's StorageProfile rendering of a spec.storage claim, case by case.</summary>
public sealed class ClaimPropertiesResolverTests
{
    private static readonly IReadOnlyList<ClaimPropertySet> Sets =
    [
        new() { AccessModes = ["ReadWriteMany"], VolumeMode = "Block" },
        new() { AccessModes = ["ReadWriteOnce"], VolumeMode = "Filesystem" },
        new() { AccessModes = ["ReadOnlyMany", "ReadWriteOnce"], VolumeMode = "Block" },
    ];

    private static ClaimProperties Resolve(string[]? modes, string? volumeMode, IReadOnlyList<ClaimPropertySet>? sets = null, string? storageClass = "fast", bool archive = false) =>
        ClaimPropertiesResolver.Resolve(modes, volumeMode, storageClass, sets ?? Sets, archive);

    [Fact]
    public void Nothing_given_takes_the_first_entry()
    {
        var p = Resolve(null, null);
        p.Should().Match<ClaimProperties>(x => x.Problem == null && x.VolumeMode == "Block");
        p.AccessModes.Should().Equal("ReadWriteMany");
    }

    [Fact]
    public void From_storage_profile_is_the_same_as_no_volume_mode()
    {
        var p = Resolve(null, ClaimPropertiesResolver.FromStorageProfile);
        p.VolumeMode.Should().Be("Block");
        p.AccessModes.Should().Equal("ReadWriteMany");
    }

    [Fact]
    public void A_volume_mode_takes_the_access_modes_of_the_first_entry_with_that_mode()
    {
        Resolve(null, "Filesystem").AccessModes.Should().Equal("ReadWriteOnce");
        Resolve(null, "Block").AccessModes.Should().Equal("ReadWriteMany");
    }

    [Fact]
    public void Access_modes_take_the_volume_mode_of_the_first_entry_sharing_one()
    {
        Resolve(["ReadWriteOnce"], null).VolumeMode.Should().Be("Filesystem", "the second entry is the first with ReadWriteOnce");
        Resolve(["ReadOnlyMany"], null).VolumeMode.Should().Be("Block", "only the third entry has ReadOnlyMany");
        Resolve(["ReadWriteOncePod"], null).Should().Match<ClaimProperties>(x => x.VolumeMode == null && x.Problem == null,
            "no entry shares the mode: Kubernetes' default, not an error");
    }

    [Fact]
    public void Both_given_are_kept_whatever_the_profile_says()
    {
        var p = Resolve(["ReadWriteOncePod"], "Filesystem", sets: []);
        p.Problem.Should().BeNull();
        p.AccessModes.Should().Equal("ReadWriteOncePod");
    }

    [Fact]
    public void A_profile_that_cannot_describe_the_claim_is_claim_not_valid_not_a_guess()
    {
        Resolve(null, null, sets: []).Should().Match<ClaimProperties>(x =>
            x.Problem == "no accessMode specified in StorageProfile fast"
            && x.EventMessage == "Spec is missing accessMode and volumeMode, cannot get access mode from StorageProfile fast");
        Resolve(null, null, sets: [new() { VolumeMode = "Block" }]).Problem.Should().NotBeNull("its first entry has no access modes");
        Resolve(null, "Filesystem", sets: [new() { AccessModes = ["ReadWriteMany"], VolumeMode = "Block" }]).Should().Match<ClaimProperties>(x =>
            x.Problem == "no matching accessMode specified in StorageProfile fast"
            && x.EventMessage == "Spec is missing accessMode and cannot get access mode from StorageProfile fast");
    }

    [Fact]
    public void No_class_needs_access_modes_and_no_profile_status_waits()
    {
        Resolve(null, "Block", storageClass: null).Problem.Should().Be("PVC spec is missing accessMode and no storageClass to choose profile");
        Resolve(["ReadWriteOnce"], null, storageClass: null).Should().Match<ClaimProperties>(x => x.Problem == null && x.VolumeMode == null);
        ClaimPropertiesResolver.Resolve(null, null, "fast", null, archive: false).ProfilePending.Should().BeTrue();
    }

    [Fact]
    public void Archive_is_always_filesystem()
    {
        var p = Resolve(null, null, archive: true);
        p.VolumeMode.Should().Be("Filesystem");
        p.AccessModes.Should().Equal(["ReadWriteOnce"], "the first Filesystem entry's");
    }
}
