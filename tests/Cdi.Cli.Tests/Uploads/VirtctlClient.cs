using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Cdi.Testing;

namespace Cdi.Cli.Tests.Uploads;

/// <summary>
/// What <c>virtctl image-upload dv</c> does over HTTP, step by step (kubevirt pkg/virtctl/imageupload): wait for the
/// DataVolume's UploadReady and the claim's <c>storage.pod.ready</c>, create an UploadTokenRequest, probe
/// <c>HEAD /v1beta1/upload-async</c> (falling back to the sync path unless 200), POST the file as
/// application/octet-stream with the Bearer token and its length, then wait for the claim's
/// <c>storage.pod.phase</c> to be Succeeded. The steps are public so tests can replace one.
/// </summary>
internal sealed class VirtctlClient(UploadEnvironment env, string ns, string name)
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(2);
    private LocalCluster Cluster => env.Cluster;

    public static string DataVolume(string name, string size = "64Mi", string? contentType = null) => $$"""
        apiVersion: cdi.kubevirt.io/v1beta1
        kind: DataVolume
        metadata:
          name: {{name}}
        spec:
        {{(contentType is null ? "" : $"  contentType: {contentType}")}}
          source:
            upload: {}
          storage:
            resources:
              requests:
                storage: {{size}}
        """;

    public string ClaimAnnotation(string key) =>
        Cluster.Kubectl("get", "pvc", name, "-n", ns, "-o", $"jsonpath={{.metadata.annotations.{key.Replace(".", "\\.", StringComparison.Ordinal)}}}").Stdout.Trim();

    public string Phase() => Cluster.Kubectl("get", "dv", name, "-n", ns, "-o", "jsonpath={.status.phase}").Stdout.Trim();

    public void WaitUploadReady()
    {
        LocalCluster.WaitUntil(() => Phase() == "UploadReady", Wait, () => Cluster.Kubectl("describe", "dv", name, "-n", ns).Stdout);
        LocalCluster.WaitUntil(() => ClaimAnnotation("cdi.kubevirt.io/storage.pod.ready") == "true", Wait,
            () => Cluster.Kubectl("get", "pvc", name, "-n", ns, "-o", "yaml").Stdout);
    }

    /// <summary>virtctl's UploadTokenRequest ("token-for-virtctl"), created with the real kubectl.</summary>
    public string Token()
    {
        var body = Path.Combine(Cluster.Directory, $"utr-{Guid.NewGuid():N}.json");
        File.WriteAllText(body, new JsonObject
        {
            ["apiVersion"] = "upload.cdi.kubevirt.io/v1beta1",
            ["kind"] = "UploadTokenRequest",
            ["metadata"] = new JsonObject { ["name"] = "token-for-virtctl", ["namespace"] = ns },
            ["spec"] = new JsonObject { ["pvcName"] = name },
        }.ToJsonString());
        var answer = Cluster.Ok("create", "--raw", $"/apis/upload.cdi.kubevirt.io/v1beta1/namespaces/{ns}/uploadtokenrequests", "-f", body);
        return JsonNode.Parse(answer)!["status"]!["token"]!.GetValue<string>();
    }

    /// <summary>virtctl's probe: the async path when HEAD answers 200, else the sync path.</summary>
    public async Task<Uri> UploadUrlAsync(string token)
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(env.ProxyUrl, "/v1beta1/upload-async"));
        head.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await env.Proxy.SendAsync(head);
        return new Uri(env.ProxyUrl, response.StatusCode == HttpStatusCode.OK ? "/v1beta1/upload-async" : "/v1beta1/upload");
    }

    public async Task<HttpResponseMessage> PostAsync(Uri url, string token, HttpContent content)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await env.Proxy.SendAsync(post);
    }

    public static HttpContent FileContent(string path)
    {
        var content = new StreamContent(File.OpenRead(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = new FileInfo(path).Length;
        return content;
    }

    public void WaitProcessingComplete() =>
        LocalCluster.WaitUntil(() => ClaimAnnotation("cdi.kubevirt.io/storage.pod.phase") == "Succeeded", Wait,
            () => Cluster.Kubectl("describe", "dv", name, "-n", ns).Stdout + Cluster.Kubectl("get", "pvc", name, "-n", ns, "-o", "yaml").Stdout);

    /// <summary>The whole sequence for one file; returns the POST's status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body, Uri Url)> UploadAsync(string file)
    {
        WaitUploadReady();
        var token = Token();
        var url = await UploadUrlAsync(token);
        using var response = await PostAsync(url, token, FileContent(file));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            WaitProcessingComplete();
        }
        return (response.StatusCode, body, url);
    }
}
