using Cdi.Api;
using Cdi.Api.Config;
using Cdi.Api.DataVolumes;
using Cdi.Api.Operator;
using Cdi.Api.StorageProfiles;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Settings;
using Cdi.Controller.Workers;
using Cdi.Kube.Informers;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Watching;

namespace Cdi.Controller.Runtime;

/// <summary>
/// The informer caches every cdi decision reads: DataVolumes, the claims and pods cdi labels, storage classes, CDIConfig,
/// StorageProfiles and the legacy insecure-registries ConfigMap. One list and one watch per resource, whatever the load.
/// </summary>
public sealed class ControllerCaches
{
    public ControllerCaches(KubeClient client)
    {
        var labelled = new ReflectorOptions { LabelSelector = $"{Annotations.AppLabel}={Annotations.AppLabelValue}" };
        DataVolumes = new Informer<DataVolume>(client, CdiResources.DataVolumes);
        Claims = new Informer<PersistentVolumeClaim>(client, KubeResources.PersistentVolumeClaims, options: labelled);
        Pods = new Informer<Pod>(client, KubeResources.Pods, options: labelled);
        StorageClasses = new Informer<StorageClass>(client, KubeResources.StorageClasses);
        CdiConfigs = new Informer<CdiConfig>(client, CdiResources.CdiConfigs);
        StorageProfiles = new Informer<StorageProfile>(client, CdiResources.StorageProfiles);
        Installations = new Informer<CdiInstance>(client, CdiResources.Cdis);
        CdiNamespace = new Informer<Namespace>(client, KubeResources.Namespaces,
            options: new ReflectorOptions { FieldSelector = $"metadata.name={LegacyInsecureRegistries.Namespace}" });
        LegacyConfigMaps = new Informer<ConfigMap>(client, KubeResources.ConfigMaps, LegacyInsecureRegistries.Namespace,
            new ReflectorOptions { FieldSelector = $"metadata.name={LegacyInsecureRegistries.Name}" });
    }

    public Informer<DataVolume> DataVolumes { get; }
    public Informer<PersistentVolumeClaim> Claims { get; }
    public Informer<Pod> Pods { get; }
    public Informer<StorageClass> StorageClasses { get; }
    public Informer<CdiConfig> CdiConfigs { get; }
    public Informer<StorageProfile> StorageProfiles { get; }
    public Informer<ConfigMap> LegacyConfigMaps { get; }

    /// <summary>The CDI resource(s): worker placement comes from <c>spec.workload</c>.</summary>
    public Informer<CdiInstance> Installations { get; }

    /// <summary>cdi's own namespace, watched so its creation brings the legacy ConfigMap (it lives there).</summary>
    public Informer<Namespace> CdiNamespace { get; }

    public CdiConfig? CdiConfig => CdiConfigs.Store.Get(null, CdiConfig.SingletonName);

    public ConfigMap? LegacyConfigMap => LegacyConfigMaps.Store.Get(LegacyInsecureRegistries.Namespace, LegacyInsecureRegistries.Name);

    /// <summary>The settings a DataVolume decision uses, from the cached CDIConfig status and StorageProfiles.</summary>
    public EffectiveSettings Settings(ControllerOptions options) =>
        EffectiveSettings.From(CdiConfig, StorageProfiles.Store.List(), options, LegacyInsecureRegistries.Hosts(LegacyConfigMap)) with
        {
            // Upstream allows one CDI resource; with several, the first by name wins so the choice is stable.
            Placement = WorkerPlacement.From(Installations.Store.List().OrderBy(c => c.Metadata.Name, StringComparer.Ordinal).FirstOrDefault(), CdiConfig),
        };
}
