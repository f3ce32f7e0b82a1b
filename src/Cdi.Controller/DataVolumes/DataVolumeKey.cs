namespace Cdi.Controller.DataVolumes;

public readonly record struct DataVolumeKey(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
