using System.Globalization;
using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Importing;
using Cdi.Controller.Settings;
using Cdi.Controller.Storage;
using Cdi.Kube.Models;

namespace Cdi.Controller.Uploading;

/// <summary>
/// Builds a claim's upload server pod (upstream's <c>cdi-upload-&lt;claim&gt;</c>): the cdi image in
/// <c>upload-server</c> mode, one typed <see cref="UploadServerSpec"/> whose importer section is what an importer pod of
/// the same DataVolume would get, the claim and a scratch claim (a converted format needs a seekable copy).
/// </summary>
public static class UploadPodFactory
{
    public static UploadServerSpec Spec(DataVolume dv, PersistentVolumeClaim claim, EffectiveSettings settings, ControllerOptions options) => new()
    {
        Version = UploadServerSpec.CurrentVersion,
        Importer = ImporterPodFactory.Spec(dv, claim, withScratch: true, settings, options) with { Source = UploadServerSpec.UploadSource, AllowedNetworks = [] },
        Namespace = claim.Metadata.Namespace!,
        ClaimName = claim.Metadata.Name!,
        TokenPublicKey = options.UploadTokenPublicKey ?? "",
    };

    public static Pod Create(DataVolume dv, PersistentVolumeClaim claim, PersistentVolumeClaim scratch, int attempt, ControllerOptions options, EffectiveSettings settings)
    {
        var block = ClaimFactory.IsBlock(claim.Spec);
        var spec = Spec(dv, claim, settings, options);
        var name = ResourceNames.UploadPod(claim.Metadata.Name!);
        return new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = claim.Metadata.Namespace,
                Labels = new()
                {
                    [Annotations.AppLabel] = Annotations.AppLabelValue,
                    [Annotations.RoleLabel] = Annotations.UploadServerRole,
                    [Annotations.DataVolumeLabel] = dv.Metadata.Name!,
                    ["service"] = name,
                },
                Annotations = new() { [Annotations.AttemptAnnotation] = attempt.ToString(CultureInfo.InvariantCulture) },
                OwnerReferences = [new OwnerReference
                {
                    ApiVersion = "v1", Kind = "PersistentVolumeClaim", Name = claim.Metadata.Name!, Uid = claim.Metadata.Uid!,
                    Controller = true, BlockOwnerDeletion = true,
                }],
            },
            Spec = new PodSpec
            {
                // As for importers: the controller decides about retries, not the kubelet.
                RestartPolicy = "Never",
                PriorityClassName = dv.Spec.PriorityClassName,
                Containers =
                [
                    new Container
                    {
                        Name = Annotations.UploadServerRole,
                        Image = options.Image,
                        Command = ["cdi-worker", "upload-server"],
                        Env =
                        [
                            new EnvVar { Name = UploadServerSpec.EnvironmentVariable, Value = JsonSerializer.Serialize(spec, ApiJsonContext.Default.UploadServerSpec) },
                            // It listens on its own address; the proxy finds it in status.podIP.
                            new EnvVar { Name = ImportProgress.PodIpVariable, ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } },
                        ],
                        Resources = settings.PodResources,
                        VolumeMounts = block
                            ? [new() { Name = "cdi-scratch-vol", MountPath = ImporterPodFactory.ScratchPath }]
                            : [new() { Name = "cdi-data-vol", MountPath = ImporterPodFactory.DataPath }, new() { Name = "cdi-scratch-vol", MountPath = ImporterPodFactory.ScratchPath }],
                        VolumeDevices = block ? [new() { Name = "cdi-data-vol", DevicePath = ImporterPodFactory.BlockPath }] : null,
                        TerminationMessagePath = "/dev/termination-log",
                        TerminationMessagePolicy = "FallbackToLogsOnError",
                    },
                ],
                Volumes =
                [
                    new() { Name = "cdi-data-vol", PersistentVolumeClaim = new() { ClaimName = claim.Metadata.Name! } },
                    new() { Name = "cdi-scratch-vol", PersistentVolumeClaim = new() { ClaimName = scratch.Metadata.Name! } },
                ],
            },
        };
    }
}
