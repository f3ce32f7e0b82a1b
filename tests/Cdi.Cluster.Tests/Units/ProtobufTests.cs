using System.Text;
using Cdi.Cluster.Serialization.Protobuf;

namespace Cdi.Cluster.Tests.Units;

public sealed class ProtobufTests
{
    [Fact]
    public void A_configmap_in_the_kubernetes_envelope_decodes_to_its_json()
    {
        // metadata{name:"cm", labels{a:b}}, data{k:v}, wrapped as runtime.Unknown{typeMeta{v1, ConfigMap}, raw}.
        var meta = Message(Field(1, Str("cm")), Field(11, Message(Field(1, Str("a")), Field(2, Str("b")))));
        var raw = Message(Field(1, meta), Field(2, Message(Field(1, Str("k")), Field(2, Str("v")))));
        var typeMeta = Message(Field(1, Str("v1")), Field(2, Str("ConfigMap")));
        var body = new byte[] { 0x6b, 0x38, 0x73, 0x00 }.Concat(Message(Field(1, typeMeta), Field(2, raw))).ToArray();

        var obj = KubernetesProtobuf.Decode(body);

        obj.ToJsonString().Should().Be("""{"metadata":{"name":"cm","labels":{"a":"b"}},"data":{"k":"v"},"apiVersion":"v1","kind":"ConfigMap"}""");
    }

    private static byte[] Str(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Message(params byte[][] fields) => [.. fields.SelectMany(f => f)];

    // A length-delimited field (wire type 2); lengths here stay below 128, so one varint byte.
    private static byte[] Field(int number, byte[] payload) => [(byte)((number << 3) | 2), (byte)payload.Length, .. payload];
}
