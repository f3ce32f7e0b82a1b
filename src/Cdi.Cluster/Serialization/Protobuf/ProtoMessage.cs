namespace Cdi.Cluster.Serialization.Protobuf;

/// <summary>A message's fields by number. Unknown field numbers are skipped.</summary>
internal sealed class ProtoMessage(params ProtoField[] fields)
{
    private readonly Dictionary<int, ProtoField> _fields = fields.ToDictionary(f => f.Number);

    public ProtoField? Field(int number) => _fields.GetValueOrDefault(number);
}
