using System.Globalization;
using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Settings;
using Cdi.Kube.Models;

namespace Cdi.Controller.Workers;

/// <summary>
/// The pod skeleton every cdi worker shares (importer, upload server, clone source): the cdi image running one
/// cdi-worker command with its typed spec in one variable, the pod's own address (workers serve progress there), the
/// DataVolume's labels, the attempt annotation, restartPolicy Never (the controller decides about retries, not the
/// kubelet) and the termination message the controller reads the typed result from. Callers say only what differs.
/// </summary>
public sealed record WorkerPod
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }

    /// <summary>The <c>cdi.kubevirt.io</c> label (upstream's role names); also the container's name unless <see cref="ContainerName"/>.</summary>
    public required string Role { get; init; }
    public string? ContainerName { get; init; }

    /// <summary>The cdi-worker command (the native worker binary in the cdi image), such as <c>importer</c>.</summary>
    public required string Subcommand { get; init; }

    /// <summary>The typed spec: its variable's name and JSON.</summary>
    public required (string Name, string Json) Spec { get; init; }

    /// <summary>The claim (or nothing, across namespaces, where Kubernetes forbids owner references) whose deletion takes the pod.</summary>
    public OwnerReference? Owner { get; init; }
    public Dictionary<string, string> ExtraLabels { get; init; } = [];
    public List<Volume> Volumes { get; init; } = [];
    public List<VolumeMount> Mounts { get; init; } = [];
    public List<VolumeDevice>? Devices { get; init; }

    public Pod Build(DataVolume dv, int attempt, ControllerOptions options, EffectiveSettings settings)
    {
        var labels = new Dictionary<string, string>
        {
            [Annotations.AppLabel] = Annotations.AppLabelValue,
            [Annotations.RoleLabel] = Role,
            [Annotations.DataVolumeLabel] = dv.Metadata.Name!,
            [Annotations.PrometheusLabel] = "true",
        };
        foreach (var (k, v) in ExtraLabels)
        {
            labels[k] = v;
        }
        // Upstream's pass-through annotations (Multus networks, sidecar opt-outs), then cdi's own.
        var annotations = WorkerPodAnnotations.For(dv);
        annotations[Annotations.AttemptAnnotation] = attempt.ToString(CultureInfo.InvariantCulture);
        return new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = Name,
                Namespace = Namespace,
                Labels = labels,
                Annotations = annotations,
                OwnerReferences = Owner is { } owner ? [owner] : null,
            },
            Spec = new PodSpec
            {
                RestartPolicy = "Never",
                PriorityClassName = dv.Spec.PriorityClassName,
                SecurityContext = WorkerSecurity.Pod,
                NodeSelector = settings.Placement.NodeSelector,
                Tolerations = settings.Placement.Tolerations,
                Affinity = settings.Placement.Affinity?.DeepClone().AsObject(),
                ImagePullSecrets = settings.Placement.ImagePullSecrets,
                Containers =
                [
                    new Container
                    {
                        Name = ContainerName ?? Role,
                        Image = options.Image,
                        Command = ["cdi-worker", Subcommand],
                        Env =
                        [
                            new EnvVar { Name = Spec.Name, Value = Spec.Json },
                            // Workers serve their progress (and upload servers their uploads) on their own address.
                            new EnvVar { Name = ImportProgress.PodIpVariable, ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } },
                        ],
                        Resources = settings.PodResources,
                        VolumeMounts = Mounts.Count > 0 ? Mounts : null,
                        VolumeDevices = Devices,
                        TerminationMessagePath = "/dev/termination-log",
                        TerminationMessagePolicy = "FallbackToLogsOnError",
                        SecurityContext = WorkerSecurity.Container,
                    },
                ],
                Volumes = Volumes,
            },
        };
    }
}
