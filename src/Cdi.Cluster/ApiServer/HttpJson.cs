using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cdi.Cluster.Serialization;
using Microsoft.AspNetCore.Http;

namespace Cdi.Cluster.ApiServer;

/// <summary>JSON in and out of HTTP requests.</summary>
internal static class HttpJson
{
    public static async Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        body.WriteTo(writer);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
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
            return JsonNode.Parse(text);
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw ApiErrors.BadRequest($"the body of the request could not be decoded: {e.Message}");
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        Parse(await ReadTextAsync(context).ConfigureAwait(false), context.Request.ContentType) as JsonObject
        ?? throw ApiErrors.BadRequest("the body of the request must be a JSON object");
}
