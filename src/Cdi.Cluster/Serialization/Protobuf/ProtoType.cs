namespace Cdi.Cluster.Serialization.Protobuf;

/// <summary>How a protobuf field maps to JSON in the Kubernetes API types.</summary>
internal enum ProtoType
{
    String,
    Bytes,
    Bool,
    Int64,
    Message,
    MapStringString,
    MapStringBytes,
    MapStringQuantity,
    Time,
    Quantity,
    IntOrString,
}
