namespace Cdi.Doctor.Analysis;

/// <summary>Remedy commands more than one rule gives, spelled once.</summary>
public static class Remedies
{
    public static string MarkDefault(string storageClass, bool isDefault = true) =>
        $"kubectl patch storageclass {storageClass} -p '{{\"metadata\":{{\"annotations\":{{\"storageclass.kubernetes.io/is-default-class\":\"{(isDefault ? "true" : "false")}\"}}}}}}'";

    public static string Recreate(DataVolumeContext dv) =>
        $"recreate the DataVolume (its spec is immutable): kubectl delete dv {dv.Name} -n {dv.Namespace} and create it again";
}
