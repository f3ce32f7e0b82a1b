namespace Cdi.Kube.Models;

/// <summary>How a <see cref="Quantity"/> is written back: the family of the suffix it was parsed with, as Kubernetes keeps it.</summary>
public enum QuantityFormat
{
    /// <summary>Powers of ten as suffixes: <c>n u m k M G T P E</c> (and no suffix).</summary>
    DecimalSI,

    /// <summary>Powers of 1024: <c>Ki Mi Gi Ti Pi Ei</c>.</summary>
    BinarySI,

    /// <summary><c>e</c> or <c>E</c> followed by a power of ten.</summary>
    DecimalExponent,
}
