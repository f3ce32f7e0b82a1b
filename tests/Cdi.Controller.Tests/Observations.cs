using System.Text.Json;
using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Api.StorageProfiles;
using Cdi.Controller.DataVolumes;
using Cdi.Kube.Models;

namespace Cdi.Controller.Tests;

/// <summary>Builders for observed states: the decider's whole world.</summary>
internal static class Observations
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    public static readonly ControllerOptions Options = new("cdi.local/cdi:latest");

    public static StorageClass Class(string name, bool isDefault = false, string binding = "Immediate") => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name,
            Annotations = isDefault ? new() { ["storageclass.kubernetes.io/is-default-class"] = "true" } : null,
            CreationTimestamp = Now.AddDays(-1),
        },
        Provisioner = "cdi.local/hostpath",
        VolumeBindingMode = binding,
    };

    public static DataVolume HttpDv(string url = "http://example.com/disk.qcow2", string size = "1Gi", string? storageClass = null,
        string? volumeMode = null, DataVolumeStatus? status = null, Dictionary<string, string>? annotations = null) => new()
    {
        Metadata = new ObjectMeta { Name = "dv1", Namespace = "ns", Uid = "uid-dv1", Annotations = annotations },
        Spec = new DataVolumeSpec
        {
            Source = new DataVolumeSource { Http = new HttpDataSource { Url = url } },
            Storage = new PersistentVolumeClaimSpec
            {
                StorageClassName = storageClass,
                VolumeMode = volumeMode,
                Resources = new VolumeResourceRequirements { Requests = new() { ["storage"] = size } },
            },
        },
        Status = status,
    };

    public static PersistentVolumeClaim Claim(string phase = "Bound", string storageClass = "local", string size = "1142947840") => new()
    {
        Metadata = new ObjectMeta { Name = "dv1", Namespace = "ns", Uid = "uid-pvc", OwnerReferences = [new OwnerReference { Uid = "uid-dv1", Kind = "DataVolume", Name = "dv1" }] },
        Spec = new PersistentVolumeClaimSpec
        {
            StorageClassName = storageClass,
            VolumeMode = "Filesystem",
            AccessModes = ["ReadWriteOnce"],
            Resources = new VolumeResourceRequirements { Requests = new() { ["storage"] = size } },
        },
        Status = new PersistentVolumeClaimStatus { Phase = phase, Capacity = phase == "Bound" ? new() { ["storage"] = size } : null },
    };

    public static Pod Pod(string phase, ImporterResult? result = null, string? waitingReason = null, DateTimeOffset? finishedAt = null,
        int exitCode = 0, int? attempt = null) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = "importer-dv1", Namespace = "ns", Uid = "uid-pod",
            Annotations = attempt is null ? null : new() { [Annotations.AttemptAnnotation] = attempt.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
        Spec = new PodSpec { Containers = [new Container { Name = "importer", Image = "cdi.local/cdi:latest" }] },
        Status = new PodStatus
        {
            Phase = phase,
            ContainerStatuses =
            [
                new ContainerStatus
                {
                    Name = "importer",
                    State = new ContainerState
                    {
                        Waiting = waitingReason is null ? null : new ContainerStateWaiting { Reason = waitingReason, Message = "cannot pull" },
                        Running = phase == "Running" ? new ContainerStateRunning() : null,
                        Terminated = phase is "Succeeded" or "Failed"
                            ? new ContainerStateTerminated
                            {
                                ExitCode = exitCode,
                                FinishedAt = finishedAt ?? Now.AddMinutes(-5),
                                Message = result is null ? null : JsonSerializer.Serialize(result, Cdi.Api.ApiJsonContext.Default.ImporterResult),
                            }
                            : null,
                    },
                },
            ],
        },
    };

    public static DataVolumeObservation Observe(DataVolume dv, PersistentVolumeClaim? claim = null, Pod? pod = null,
        PersistentVolumeClaim? scratch = null, StorageClass[]? classes = null, ImportProgress? progress = null) =>
        new(dv, claim, pod, scratch, classes ?? [Class("local", isDefault: true), Class("local-wffc", binding: "WaitForFirstConsumer")],
            LocalSettings, progress, Now);

    /// <summary>The local provisioner's StorageProfiles, as the settings controller writes them for both test classes.</summary>
    public static readonly IReadOnlyList<ClaimPropertySet> LocalProfile =
        [new() { AccessModes = ["ReadWriteOnce"], VolumeMode = "Filesystem" }, new() { AccessModes = ["ReadWriteOnce"], VolumeMode = "Block" }];

    public static Cdi.Controller.Settings.EffectiveSettings LocalSettings => Cdi.Controller.Settings.EffectiveSettings.Defaults(Options) with
    {
        Profiles = new Dictionary<string, IReadOnlyList<ClaimPropertySet>> { ["local"] = LocalProfile, ["local-wffc"] = LocalProfile },
    };
}
