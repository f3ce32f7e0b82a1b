namespace Cdi.Cluster.ApiServer;

/// <summary>One validation failure: the field path, Kubernetes' cause reason (FieldValueRequired, FieldValueNotSupported, ...) and the detail.</summary>
internal sealed record FieldError(string Field, string Reason, string Detail)
{
    public override string ToString() => $"{Field}: {Detail}";
}
