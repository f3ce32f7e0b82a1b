using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cdi.Cluster.Serialization;
using Microsoft.AspNetCore.Http;

namespace Cdi.Cluster.ApiServer;

/// <summary>JSON in and out of HTTP requests.</summary>
internal static class HttpJson
{
    /// <summary>Kubernetes escapes only what JSON requires; so do we (quotes as \", not \u0022).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body, WriterOptions);
        body.WriteTo(writer);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static bool IsProtobuf(HttpContext context) =>
        context.Request.ContentType?.Contains("protobuf", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The body as a JSON node: JSON, YAML, or the protobuf kubectl's typed clients send.</summary>
    public static async Task<JsonNode?> ReadNodeAsync(HttpContext context)
    {
        if (IsProtobuf(context))
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            return buffer.Length == 0 ? null : Serialization.Protobuf.KubernetesProtobuf.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        var text = await ReadTextAsync(context).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? null : Parse(text, context.Request.ContentType);
    }

    public static async Task<string> ReadTextAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The body as a JSON object; YAML is accepted too (server-side apply bodies may be either).</summary>
    public static JsonNode? Parse(string text, string? contentType)
    {
        try
        {
            if (contentType?.Contains("yaml", StringComparison.OrdinalIgnoreCase) == true && !text.TrimStart().StartsWith('{'))
            {
                return YamlJson.Parse(text);
            }
            // A repeated key is refused rather than left to fail later, when the object is first read.
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw ApiErrors.BadRequest($"the body of the request could not be decoded: {e.Message}");
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        await ReadNodeAsync(context).ConfigureAwait(false) as JsonObject
        ?? throw ApiErrors.BadRequest("the body of the request must be a JSON object");
}
