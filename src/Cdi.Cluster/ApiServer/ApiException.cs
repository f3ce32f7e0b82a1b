using System.Text.Json.Nodes;

namespace Cdi.Cluster.ApiServer;

/// <summary>A request refused with a Kubernetes <c>Status</c> body (see <see cref="ApiErrors"/> for the shapes).</summary>
internal sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Details is not null)
        {
            status["details"] = Details.DeepClone();
        }
        status["code"] = Code;
        return status;
    }
}
