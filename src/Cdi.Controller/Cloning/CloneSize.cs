using Cdi.Api.DataVolumes;
using Cdi.Controller.Settings;
using Cdi.Controller.Storage;
using Cdi.Kube.Models;

namespace Cdi.Controller.Cloning;

/// <summary>
/// Sizes in a clone are compared by what the data can use: a Block volume all of it, a Filesystem volume what the file
/// system overhead leaves. So a Filesystem source fits a Block target of its usable size and the other way round.
/// </summary>
public static class CloneSize
{
    /// <summary>Bytes of the source claim the data may fill: its capacity (its request while unbound), less the overhead for Filesystem.</summary>
    public static long SourceUsable(PersistentVolumeClaim source, EffectiveSettings settings)
    {
        var size = source.Status?.Capacity?.GetValueOrDefault("storage") ?? ClaimFactory.RequestedStorage(source.Spec) ?? "0";
        var bytes = Quantity.Parse(size).ToBytes();
        return ClaimFactory.IsBlock(source.Spec) ? bytes : (long)decimal.Floor(bytes * (1m - settings.OverheadFor(source.Spec?.StorageClassName)));
    }

    /// <summary>
    /// Bytes the target will let the data fill, from the DataVolume: <c>spec.storage</c>'s request is already what it
    /// can use (the claim is grown for the overhead), <c>spec.pvc</c>'s is the volume's. Null for a sizeless clone.
    /// </summary>
    public static long? TargetUsable(DataVolume dv, EffectiveSettings settings, string? storageClass)
    {
        var spec = dv.Spec.Pvc ?? dv.Spec.Storage;
        if (ClaimFactory.RequestedStorage(spec) is not { } size)
        {
            return null;
        }
        var bytes = Quantity.Parse(size).ToBytes();
        return dv.Spec.Pvc is null || ClaimFactory.IsBlock(dv.Spec.Pvc) ? bytes : (long)decimal.Floor(bytes * (1m - settings.OverheadFor(storageClass)));
    }

    /// <summary>A sizeless clone's DataVolume with the source's usable size filled in (only <c>spec.storage</c> may be sizeless).</summary>
    public static DataVolume WithSourceSize(DataVolume dv, long sourceUsable)
    {
        if (dv.Spec.Storage is not { } storage || ClaimFactory.RequestedStorage(storage) is not null)
        {
            return dv;
        }
        var requests = new Dictionary<string, string>(storage.Resources?.Requests ?? []) { ["storage"] = sourceUsable.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var sized = storage with { Resources = new VolumeResourceRequirements { Requests = requests, Limits = storage.Resources?.Limits } };
        return dv with { Spec = dv.Spec with { Storage = sized } };
    }
}
