using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Importing;
using Cdi.Controller.Settings;
using Cdi.Controller.Storage;
using Cdi.Controller.Workers;
using Cdi.Kube.Models;

namespace Cdi.Controller.Cloning;

/// <summary>
/// Builds a clone's source pod (upstream's <c>&lt;target claim UID&gt;-source-pod</c>) in the source claim's namespace:
/// the cdi image in <c>clone-source</c> mode, the source claim mounted read-only (a Filesystem volume at /data, a Block
/// one as the device), and the target upload server's address. Across namespaces Kubernetes forbids an owner
/// reference, so the pod carries the DataVolume's namespace and name as labels and the controller deletes it.
/// </summary>
public static class CloneSourcePodFactory
{
    public static Pod Create(DataVolume dv, PersistentVolumeClaim target, PersistentVolumeClaim source, string uploadPodIp, int attempt,
        ControllerOptions options, EffectiveSettings settings)
    {
        var block = ClaimFactory.IsBlock(source.Spec);
        var name = ResourceNames.CloneSourcePod(target.Metadata.Uid!);
        var spec = new CloneSourceSpec
        {
            Version = CloneSourceSpec.CurrentVersion,
            VolumeMode = block ? "Block" : "Filesystem",
            Source = block ? ImporterPodFactory.BlockPath : ImporterPodFactory.DataPath,
            UploadUrl = $"http://{uploadPodIp}:{UploadServerSpec.Port}/v1beta1/upload",
            Description = $"{source.Metadata.Namespace}/{source.Metadata.Name} into {target.Metadata.Namespace}/{target.Metadata.Name}",
        };
        var sameNamespace = source.Metadata.Namespace == target.Metadata.Namespace;
        return new WorkerPod
        {
            Name = name,
            Namespace = source.Metadata.Namespace!,
            Role = Annotations.CloneSourceRole,
            Subcommand = "clone-source",
            Spec = (CloneSourceSpec.EnvironmentVariable, JsonSerializer.Serialize(spec, ApiJsonContext.Default.CloneSourceSpec)),
            Owner = sameNamespace ? ClaimFactory.OwnedBy(target) : null,
            ExtraLabels = new()
            {
                [Annotations.CloneUniqueIdLabel] = name,
                [Annotations.CloneTargetNamespaceLabel] = target.Metadata.Namespace!,
            },
            // Read-only: the source claim is never written, and other readers (more clones) may share it.
            Volumes = [new() { Name = "cdi-source-vol", PersistentVolumeClaim = new() { ClaimName = source.Metadata.Name!, ReadOnly = true } }],
            Mounts = block ? [] : [new() { Name = "cdi-source-vol", MountPath = ImporterPodFactory.DataPath, ReadOnly = true }],
            Devices = block ? [new() { Name = "cdi-source-vol", DevicePath = ImporterPodFactory.BlockPath }] : null,
        }.Build(dv, attempt, options, settings);
    }

    /// <summary>The pod with the token the target's upload server wants (minted by the reconciler: signing is not pure).</summary>
    public static Pod WithToken(Pod pod, string token)
    {
        var container = pod.Spec!.Containers[0];
        var withToken = container with { Env = [.. container.Env ?? [], new EnvVar { Name = CloneSourceSpec.TokenVariable, Value = token }] };
        return pod with { Spec = pod.Spec with { Containers = [withToken, .. pod.Spec.Containers.Skip(1)] } };
    }
}
