using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>
/// ConfigMap and Secret keys become file names in the volumes the pod runner writes: kube-apiserver's config-key rule
/// (<c>[-._a-zA-Z0-9]+</c>, at most 253, not '.', '..' or starting with '..'). Secret values are base64.
/// </summary>
internal static partial class DataKeysValidator
{
    private const string KeyFormat = "[-._a-zA-Z0-9]+";

    public static void ConfigMap(JsonObject cm, List<FieldError> errors)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, _) in JsonFields.StringMap(cm["data"], "data", errors))
        {
            Key(key, $"data[{key}]", errors);
            keys.Add(key);
        }
        foreach (var (key, value) in JsonFields.StringMap(cm["binaryData"], "binaryData", errors))
        {
            Key(key, $"binaryData[{key}]", errors);
            Base64(value, $"binaryData[{key}]", errors);
            if (keys.Contains(key))
            {
                errors.Add(FieldErrors.Invalid($"data[{key}]", key, "duplicate of key present in binaryData"));
            }
        }
    }

    public static void Secret(JsonObject secret, List<FieldError> errors)
    {
        foreach (var (key, value) in JsonFields.StringMap(secret["data"], "data", errors))
        {
            Key(key, $"data[{key}]", errors);
            Base64(value, $"data[{key}]", errors);
        }
        foreach (var (key, _) in JsonFields.StringMap(secret["stringData"], "stringData", errors))
        {
            Key(key, $"stringData[{key}]", errors);
        }
        JsonFields.String(secret, "type", "type", errors);
    }

    public static IReadOnlyList<string> KeyMessages(string key)
    {
        var messages = new List<string>();
        if (key.Length > DnsNames.SubdomainMaxLength)
        {
            messages.Add(DnsNames.MaxLength(DnsNames.SubdomainMaxLength));
        }
        if (!KeyRegex().IsMatch(key))
        {
            messages.Add(DnsNames.Regex("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", KeyFormat, "key.name", "KEY_NAME", "key-name"));
        }
        if (key is "." or "..")
        {
            messages.Add($"must not be '{key}'");
        }
        else if (key.StartsWith("..", StringComparison.Ordinal))
        {
            messages.Add("must not start with '..'");
        }
        return messages;
    }

    private static void Key(string key, string field, List<FieldError> errors) =>
        errors.AddRange(KeyMessages(key).Select(m => FieldErrors.Invalid(field, key, m)));

    private static void Base64(string value, string field, List<FieldError> errors)
    {
        var buffer = new byte[(value.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(value, buffer, out _))
        {
            errors.Add(FieldErrors.Invalid(field, "<secret contents redacted>", "must be base64-encoded"));
        }
    }

    [GeneratedRegex("^(?:" + KeyFormat + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyRegex();
}
