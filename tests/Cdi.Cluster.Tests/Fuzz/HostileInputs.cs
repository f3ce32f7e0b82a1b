using System.Text;
using System.Text.Json.Nodes;

namespace Cdi.Cluster.Tests.Fuzz;

/// <summary>The building blocks of hostile requests, drawn from one seeded <see cref="Random"/> so a failure replays.</summary>
public sealed class HostileInputs(Random random)
{
    public static readonly string[] Names =
    [
        "../x", "../../../../../escape", "..", ".", "a/b", "a%2fb", "x\0y", "\0", "", " ", "名前", "\u202eevil", "a\nb",
        "UPPER", "-lead", "trail-", "a..b", "a_b", new string('a', 64), new string('a', 254), new string('n', 10_000),
        "\\..\\x", "%2e%2e", "~", "a b", "😀",
    ];

    public static readonly string[] QueryValues =
    [
        "-1", "abc", "1e3", "99999999999999999999999", "0x10", "", " ", "%00", "%ff%fe", "1.5", "+5", "NaN",
        "!!!", "a%20in%20b", "%3D%3D%3D", "a=b,c", "metadata.name%3D%3Dx%2Cfoo", "(", ")", "a%20notin%20(", "!",
        new string('z', 3000),
    ];

    private static readonly string[] Kinds = ["pods", "configmaps", "secrets", "services", "persistentvolumeclaims", "events", "serviceaccounts"];

    public Random Random => random;

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public string Kind() => Pick(Kinds);

    public string Name() => Pick(Names);

    public string QueryValue() => Pick(QueryValues);

    /// <summary>A plausible object of <paramref name="kind"/>, valid unless a mutation below breaks it.</summary>
    public static JsonObject Template(string kind, string name)
    {
        // The name goes in as a JSON value, so any string (quotes, NUL, newlines) makes a well-formed document.
        var obj = Shape(kind);
        obj["metadata"]!["name"] = name;
        return obj;
    }

    private static JsonObject Shape(string kind) => kind switch
    {
        "pods" => Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME","labels":{"a":"b"}},"spec":{"volumes":[{"name":"v","emptyDir":{}},{"name":"cm","configMap":{"name":"x","items":[{"key":"k","path":"k"}]}}],"containers":[{"name":"c","image":"cdi.local/cdi:latest","command":["sleep"],"env":[{"name":"A","value":"1"}],"resources":{"limits":{"cpu":"1","memory":"64Mi"}},"volumeMounts":[{"name":"v","mountPath":"/data","subPath":"s"}]}]}}"""),
        "configmaps" => Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"NAME"},"data":{"k":"v"}}"""),
        "secrets" => Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"NAME"},"data":{"k":"dg=="},"stringData":{"s":"t"}}"""),
        "services" => Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"NAME"},"spec":{"ports":[{"port":80,"targetPort":8080}],"selector":{"a":"b"}}}"""),
        "persistentvolumeclaims" => Parse("""{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"NAME"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"storageClassName":"none"}}"""),
        "events" => Parse("""{"apiVersion":"v1","kind":"Event","metadata":{"name":"NAME"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"R","message":"m","count":1}"""),
        _ => Parse("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"NAME"}}"""),
    };

    /// <summary>Replaces one random node of <paramref name="obj"/> (at any depth) with a value of another type or shape.</summary>
    public void Mutate(JsonObject obj)
    {
        var nodes = new List<(JsonNode Parent, object Key)>();
        Collect(obj, nodes);
        if (nodes.Count == 0)
        {
            return;
        }
        var (parent, key) = Pick(nodes);
        var value = HostileValue();
        if (parent is JsonObject o)
        {
            o[(string)key] = value;
        }
        else if (parent is JsonArray a)
        {
            a[(int)key] = value;
        }
    }

    public JsonNode? HostileValue() => random.Next(14) switch
    {
        0 => null,
        1 => 5,
        2 => -1.5e300,
        3 => true,
        4 => "",
        5 => Name(),
        6 => new JsonArray(1, "x", null),
        7 => new JsonObject { ["$patch"] = "delete", ["a"] = 1 },
        8 => new JsonArray(),
        9 => new JsonObject(),
        10 => HugeLabels(),
        11 => new JsonObject { [Name()] = Name() },
        12 => new string('v', random.Next(1, 300_000)),
        _ => long.MaxValue,
    };

    public JsonObject HugeLabels()
    {
        var labels = new JsonObject();
        var count = random.Next(1, 3000);
        for (var i = 0; i < count; i++)
        {
            labels[$"k{i}{(random.Next(3) == 0 ? " bad" : "")}"] = random.Next(4) == 0 ? new string('v', 100) : "v";
        }
        return labels;
    }

    /// <summary>The serialized document cut short, doubled, or wrapped in deep nesting.</summary>
    public string Damage(string json) => random.Next(6) switch
    {
        0 => json[..random.Next(json.Length)],
        1 => json + json,
        2 => string.Concat(Enumerable.Repeat("[", random.Next(60, 5000))) + json,
        3 => json.Replace("\"", "'", StringComparison.Ordinal),
        4 => json.Insert(random.Next(json.Length), ",\"dup\":1,\"dup\":2"),
        _ => "{\"metadata\":{\"name\":\"a\",\"name\":\"b\"}}",
    };

    public byte[] Bytes(int max)
    {
        var bytes = new byte[random.Next(max)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A protobuf envelope ("k8s\0" magic, then Unknown{typeMeta, raw}) with random or truncated contents.</summary>
    public byte[] Protobuf()
    {
        var body = new List<byte>(Encoding.ASCII.GetBytes("k8s\0"));
        switch (random.Next(4))
        {
            case 0:
                body.AddRange(Bytes(200));
                break;
            case 1:
                // A length-delimited field claiming more bytes than follow.
                body.AddRange([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]);
                break;
            case 2:
                body.AddRange([0x0a, 0x0c, 0x0a, 0x02, (byte)'v', (byte)'1', 0x12, 0x06, .. "Secret"u8.ToArray(), 0x12, 0x05, 0x0a, 0x03, 0x0a, 0x01]);
                body.AddRange(Bytes(20));
                break;
            default:
                // Varints that never end.
                body.AddRange(Enumerable.Repeat((byte)0xff, random.Next(1, 40)));
                break;
        }
        return [.. body];
    }

    /// <summary>A JSON patch with operations that may point nowhere, at arrays out of range, or be unknown.</summary>
    public string JsonPatch()
    {
        string[] ops = ["add", "remove", "replace", "move", "copy", "test", "bogus", ""];
        string[] paths = ["/metadata/name", "/metadata/labels/x", "/spec/containers/99", "/spec/containers/-", "/data/~2", "", "/", "no-slash", "/metadata/finalizers/0", "/metadata/ownerReferences/-", "/a/b/c/d", "/spec/volumes/0/hostPath"];
        var patch = new JsonArray();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var op = new JsonObject { ["op"] = Pick(ops), ["path"] = Pick(paths) };
            if (random.Next(2) == 0)
            {
                op["value"] = HostileValue();
            }
            if (random.Next(3) == 0)
            {
                op["from"] = Pick(paths);
            }
            patch.Add(op);
        }
        return random.Next(5) == 0 ? "{\"op\":\"add\"}" : patch.ToJsonString();
    }

    /// <summary>A strategic merge patch with directives that expect lists and maps where others stand.</summary>
    public string StrategicPatch() => Pick(new[]
    {
        """{"spec":{"containers":[{"name":"c","$patch":"delete"}]}}""",
        """{"spec":{"containers":{"$patch":"replace"}}}""",
        """{"spec":{"$setElementOrder/containers":[{"name":"zz"}],"containers":[{"image":"x"}]}}""",
        """{"spec":{"$setElementOrder/containers":"x"}}""",
        """{"metadata":{"$deleteFromPrimitiveList/finalizers":[1,{"a":1}]}}""",
        """{"$patch":"delete"}""",
        """{"$patch":"bogus"}""",
        """{"spec":{"containers":[5,"x",null]}}""",
        """{"spec":{"volumes":[{"$retainKeys":[1],"name":"v"}]}}""",
        """{"metadata":{"labels":[1,2]}}""",
        """[1,2,3]""",
        """null""",
    });

    /// <summary>A server-side apply body: YAML or JSON, with aliases, bad keys, deep nesting, or plain garbage.</summary>
    public string ApplyBody(string kind, string name) => random.Next(7) switch
    {
        0 => "a: &x [*x]\n",
        1 => "? [complex, key]\n: value\n",
        2 => "a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n",
        3 => "metadata:\n  name: " + name + "\n  managedFields: [1, {operation: Bogus, fieldsV1: 3}]\n",
        4 => "\t- :\n  ::: {{{\n",
        5 => $"apiVersion: v1\nkind: {kind}\nmetadata: {{name: {name}}}\nspec: " + new string('[', 300) + new string(']', 300) + "\n",
        _ => Template(kind, name).ToJsonString(),
    };

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static void Collect(JsonNode node, List<(JsonNode, object)> into)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList())
                {
                    into.Add((o, k));
                    if (v is not null)
                    {
                        Collect(v, into);
                    }
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    into.Add((a, i));
                    if (a[i] is { } item)
                    {
                        Collect(item, into);
                    }
                }
                break;
        }
    }
}
