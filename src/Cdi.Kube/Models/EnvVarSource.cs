namespace Cdi.Kube.Models;

public sealed record EnvVarSource
{
    public KeySelector? SecretKeyRef { get; init; }
    public KeySelector? ConfigMapKeyRef { get; init; }
    public ObjectFieldSelector? FieldRef { get; init; }
}
