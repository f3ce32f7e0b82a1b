namespace Cdi.Cluster.Serialization.Protobuf;

/// <summary>One field of a message: its number, JSON name, type, nested message (for <see cref="ProtoType.Message"/>) and repetition.</summary>
internal sealed record ProtoField(int Number, string Name, ProtoType Type, ProtoMessage? Message = null, bool Repeated = false);
