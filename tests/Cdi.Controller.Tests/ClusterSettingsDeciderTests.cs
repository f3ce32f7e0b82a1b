using Cdi.Api.Config;
using Cdi.Api.StorageProfiles;
using Cdi.Controller.Settings;
using static Cdi.Controller.Tests.Observations;

namespace Cdi.Controller.Tests;

public sealed class ClusterSettingsDeciderTests
{
    [Fact]
    public void Scratch_class_in_status_is_the_configured_one_when_it_exists()
    {
        var status = ClusterSettingsDecider.ConfigStatus(new CdiConfigSpec { ScratchSpaceStorageClass = "fast" }, [Class("local", isDefault: true), Class("fast")], Options);
        status.ScratchSpaceStorageClass.Should().Be("fast");
    }

    [Fact]
    public void Dead_scratch_class_falls_back_to_the_default_then_empty()
    {
        ClusterSettingsDecider.ConfigStatus(new CdiConfigSpec { ScratchSpaceStorageClass = "dead" }, [Class("local", isDefault: true)], Options)
            .ScratchSpaceStorageClass.Should().Be("local");
        ClusterSettingsDecider.ConfigStatus(new CdiConfigSpec { ScratchSpaceStorageClass = "dead" }, [Class("plain")], Options)
            .ScratchSpaceStorageClass.Should().Be("");
    }

    [Fact]
    public void Overhead_is_global_unless_a_class_overrides_it()
    {
        var spec = new CdiConfigSpec { FilesystemOverhead = new FilesystemOverhead { Global = "0.1", StorageClass = new() { ["fast"] = "0.02" } } };
        var status = ClusterSettingsDecider.ConfigStatus(spec, [Class("local", isDefault: true), Class("fast")], Options);
        status.FilesystemOverhead!.StorageClass.Should().Equal(new Dictionary<string, string> { ["local"] = "0.1", ["fast"] = "0.02" });
        var settings = EffectiveSettings.From(new CdiConfig { Status = status }, [], Options);
        settings.OverheadFor("fast").Should().Be(0.02m);
        settings.OverheadFor("other").Should().Be(0.1m);
    }

    [Fact]
    public void Default_pod_resources_have_limits_so_quota_namespaces_accept_importers()
    {
        var status = ClusterSettingsDecider.ConfigStatus(null, [], Options);
        status.DefaultPodResourceRequirements!.Limits.Should().ContainKeys("cpu", "memory");
        status.DefaultPodResourceRequirements.Requests.Should().ContainKeys("cpu", "memory");
    }

    [Fact]
    public void Profile_uses_its_spec_else_what_cdi_knows_of_the_provisioner()
    {
        var known = ClusterSettingsDecider.ProfileStatus(null, Class("local"));
        known.ClaimPropertySets![0].Should().BeEquivalentTo(new ClaimPropertySet { AccessModes = ["ReadWriteOnce"], VolumeMode = "Filesystem" });
        known.Provisioner.Should().Be("cdi.local/hostpath");
        var own = ClusterSettingsDecider.ProfileStatus(new StorageProfileSpec { ClaimPropertySets = [new() { AccessModes = ["ReadWriteMany"], VolumeMode = "Block" }] }, Class("local"));
        own.ClaimPropertySets![0].VolumeMode.Should().Be("Block");
    }

    [Fact]
    public void Storage_api_takes_access_and_volume_mode_from_the_profile()
    {
        var settings = EffectiveSettings.Defaults(Options) with
        {
            Profiles = new Dictionary<string, IReadOnlyList<ClaimPropertySet>> { ["local"] = [new() { AccessModes = ["ReadWriteMany"], VolumeMode = "Block" }] },
        };
        var d = Cdi.Controller.DataVolumes.DataVolumeDecider.Decide(Observe(HttpDv()) with { Settings = settings }, Options);
        d.CreateClaim!.Spec!.AccessModes.Should().Equal("ReadWriteMany");
        d.CreateClaim.Spec.VolumeMode.Should().Be("Block");
        d.CreateClaim.Spec.Resources!.Requests!["storage"].Should().Be("1Gi", "Block volumes are not inflated");
    }
}
