using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

/// <summary>
/// Kubernetes writes times as RFC 3339 in UTC with a <c>Z</c>; System.Text.Json's default writes <c>+00:00</c>.
/// Whole seconds stay whole (metav1.Time); sub-second parts are written as microseconds (metav1.MicroTime, Leases).
/// </summary>
public sealed class KubeTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("null time"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        var utc = value.ToUniversalTime();
        var format = utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
        writer.WriteStringValue(utc.ToString(format, CultureInfo.InvariantCulture));
    }
}
