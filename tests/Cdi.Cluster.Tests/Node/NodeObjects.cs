using Cdi.Kube.Models;

namespace Cdi.Cluster.Tests.Node;

/// <summary>Builders for the claims and pods the node tests create.</summary>
public static class NodeObjects
{
    public static PersistentVolumeClaim Claim(string ns, string name, string? storageClass = "local", string size = "64Mi", string mode = "Filesystem") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = storageClass,
            VolumeMode = mode,
            Resources = new VolumeResourceRequirements { Requests = new() { ["storage"] = size } },
        },
    };

    public static Pod Pod(string ns, string name, string image, IReadOnlyList<string> command, string restartPolicy = "Never",
        string? claim = null, bool block = false, string? terminationMessagePolicy = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new PodSpec
        {
            RestartPolicy = restartPolicy,
            Containers =
            [
                new Container
                {
                    Name = "main",
                    Image = image,
                    Command = [.. command],
                    Env = [new EnvVar { Name = "GREETING", Value = "hello" }],
                    TerminationMessagePolicy = terminationMessagePolicy,
                    VolumeMounts = claim is null || block ? null : [new VolumeMount { Name = "data", MountPath = "/data" }],
                    VolumeDevices = claim is not null && block ? [new VolumeDevice { Name = "data", DevicePath = "/dev/cdi-block-volume" }] : null,
                    Resources = new ResourceRequirements { Limits = new() { ["cpu"] = "1", ["memory"] = "1Gi" } },
                },
            ],
            Volumes = claim is null ? null : [new Volume { Name = "data", PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = claim } }],
        },
    };
}
