namespace Cdi.Doctor.Findings;

/// <summary>The object a finding is about; <see cref="Namespace"/> is null for cluster-scoped kinds.</summary>
public sealed record ObjectRef(string Kind, string? Namespace, string Name)
{
    /// <summary>kubectl's <c>kind/name</c> form, with the namespace in front when there is one.</summary>
    public override string ToString() => Namespace is null ? $"{Kind.ToLowerInvariant()}/{Name}" : $"{Namespace}/{Kind.ToLowerInvariant()}/{Name}";
}
