namespace Cdi.Cluster.Admission;

/// <summary>The Pod Security Standards levels, least to most restrictive.</summary>
internal enum PodSecurityLevel
{
    Privileged,
    Baseline,
    Restricted,
}
