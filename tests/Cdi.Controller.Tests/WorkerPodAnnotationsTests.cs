using Cdi.Controller.Importing;
using Cdi.Controller.Settings;
using Cdi.Controller.Uploading;
using Cdi.Controller.Workers;

namespace Cdi.Controller.Tests;

/// <summary>Upstream's allow-listed annotations go from the DataVolume to every worker pod; nothing else does.</summary>
public sealed class WorkerPodAnnotationsTests
{
    private static EffectiveSettings Defaults => EffectiveSettings.Defaults(Observations.Options);

    [Fact]
    public void Networks_and_sidecar_choices_reach_importer_and_upload_pods_and_nothing_else_does()
    {
        var dv = Observations.HttpDv(annotations: new()
        {
            [WorkerPodAnnotations.Networks] = "storage-net",
            [WorkerPodAnnotations.DefaultNetwork] = "default/ovn-secondary",
            [WorkerPodAnnotations.IstioInject] = "true",
            ["example.com/private"] = "kept-on-the-dv",
        });
        dv = dv with { Spec = dv.Spec with { PriorityClassName = "imports" } };
        var importer = ImporterPodFactory.Create(dv, Observations.Claim(), null, 2, Observations.Options, Defaults);
        var upload = UploadPodFactory.Create(dv, Observations.Claim(), Observations.Claim() with { Metadata = Observations.Claim().Metadata with { Name = "dv1-scratch" } }, 0, Observations.Options, Defaults);
        foreach (var pod in new[] { importer, upload })
        {
            pod.Metadata.Annotations.Should().Contain(WorkerPodAnnotations.Networks, "storage-net")
                .And.Contain(WorkerPodAnnotations.DefaultNetwork, "default/ovn-secondary")
                .And.Contain(WorkerPodAnnotations.IstioInject, "true", "the DataVolume's choice wins over the opt-out")
                .And.Contain(WorkerPodAnnotations.LinkerdInject, "disabled")
                .And.Contain(WorkerPodAnnotations.PriorityClassName, "imports")
                .And.NotContainKey("example.com/private");
            pod.Spec!.PriorityClassName.Should().Be("imports");
        }
        importer.Metadata.Annotations.Should().Contain(DataVolumes.Annotations.AttemptAnnotation, "2");
    }

    [Fact]
    public void Without_annotations_the_sidecars_are_opted_out_and_empty_values_are_not_passed()
    {
        WorkerPodAnnotations.For(Observations.HttpDv()).Should().BeEquivalentTo(new Dictionary<string, string>
        {
            [WorkerPodAnnotations.IstioInject] = "false",
            [WorkerPodAnnotations.LinkerdInject] = "disabled",
        });
        WorkerPodAnnotations.For(Observations.HttpDv(annotations: new() { [WorkerPodAnnotations.Networks] = "", [WorkerPodAnnotations.IstioInject] = "" }))
            .Should().NotContainKey(WorkerPodAnnotations.Networks).And.NotContainKey(WorkerPodAnnotations.IstioInject);
    }
}
