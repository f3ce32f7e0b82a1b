using System.Text.Json.Nodes;

namespace Cdi.Cluster.Serialization.Protobuf;

/// <summary>Decodes a protobuf message into the JSON the Kubernetes API would have received for it.</summary>
internal static class ProtoDecoder
{
    public static JsonObject Decode(ReadOnlySpan<byte> data, ProtoMessage message)
    {
        var result = new JsonObject();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (message.Field(number) is not { } field)
            {
                reader.Skip(wire);
                continue;
            }
            switch (field.Type)
            {
                case ProtoType.MapStringString or ProtoType.MapStringBytes or ProtoType.MapStringQuantity:
                    var map = result[field.Name] as JsonObject ?? [];
                    var (key, value) = MapEntry(reader.ReadBytes(), field.Type);
                    map[key] = value;
                    result[field.Name] = map;
                    break;
                default:
                    var node = Value(ref reader, field, wire);
                    if (!field.Repeated && IsDefault(node))
                    {
                        // Protobuf writes zero values that the JSON form omits (omitempty).
                        break;
                    }
                    if (field.Repeated)
                    {
                        var list = result[field.Name] as JsonArray ?? [];
                        list.Add(node);
                        result[field.Name] = list;
                    }
                    else
                    {
                        result[field.Name] = node;
                    }
                    break;
            }
        }
        return result;
    }

    private static bool IsDefault(JsonNode? node) => node is JsonValue v && v.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => v.GetValue<string>().Length == 0,
        System.Text.Json.JsonValueKind.False => true,
        System.Text.Json.JsonValueKind.Number => v.ToJsonString() == "0",
        _ => false,
    };

    private static JsonNode? Value(ref ProtoReader reader, ProtoField field, int wire) => field.Type switch
    {
        ProtoType.String => reader.ReadString(),
        ProtoType.Bytes => Convert.ToBase64String(reader.ReadBytes()),
        ProtoType.Bool => reader.ReadVarint() != 0,
        ProtoType.Int64 => wire == 1 ? reader.ReadFixed64() : (long)reader.ReadVarint(),
        ProtoType.Message => Decode(reader.ReadBytes(), field.Message!),
        ProtoType.Quantity => Quantity(reader.ReadBytes()),
        ProtoType.IntOrString => IntOrString(reader.ReadBytes()),
        ProtoType.Time => Time(reader.ReadBytes()),
        _ => throw new FormatException($"unexpected field type {field.Type}"),
    };

    private static (string Key, JsonNode? Value) MapEntry(ReadOnlySpan<byte> entry, ProtoType type)
    {
        var reader = new ProtoReader(entry);
        string key = "";
        JsonNode? value = type == ProtoType.MapStringBytes ? "" : null;
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (number == 1)
            {
                key = reader.ReadString();
            }
            else if (number == 2)
            {
                value = type switch
                {
                    ProtoType.MapStringBytes => Convert.ToBase64String(reader.ReadBytes()),
                    ProtoType.MapStringQuantity => Quantity(reader.ReadBytes()),
                    _ => reader.ReadString(),
                };
            }
            else
            {
                reader.Skip(wire);
            }
        }
        return (key, value ?? "");
    }

    // resource.Quantity is a message with its canonical string in field 1.
    private static JsonNode? Quantity(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (number == 1)
            {
                return reader.ReadString();
            }
            reader.Skip(wire);
        }
        return "0";
    }

    // intstr.IntOrString: type (1: 0 int, 1 string), intVal (2), strVal (3).
    private static JsonValue IntOrString(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        ulong type = 0;
        long number = 0;
        var text = "";
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 1:
                    type = reader.ReadVarint();
                    break;
                case 2:
                    number = (long)reader.ReadVarint();
                    break;
                case 3:
                    text = reader.ReadString();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return type == 1 ? JsonValue.Create(text) : JsonValue.Create(number);
    }

    // metav1.Time: seconds (1) and nanos (2) since the epoch; the API prints whole seconds.
    private static JsonNode? Time(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        long seconds = 0;
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (number == 1)
            {
                seconds = (long)reader.ReadVarint();
            }
            else
            {
                reader.Skip(wire);
            }
        }
        return Storage.ObjectMeta.Timestamp(DateTimeOffset.FromUnixTimeSeconds(seconds));
    }
}
