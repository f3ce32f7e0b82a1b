using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Cdi.Api.Upload;
using Cdi.Testing;

namespace Cdi.Cli.Tests.Uploads;

/// <summary>Uploads into DataVolumes on the local cluster, through its upload proxy, the way virtctl sends them.</summary>
[Collection(UploadCollection.Name)]
public sealed class UploadTests(UploadEnvironment env)
{
    private LocalCluster Cluster => env.Cluster;

    private string Disk(string ns, string claim) => Path.Combine(Cluster.VolumePath(ns, claim), "disk.img");

    [Fact]
    public async Task Qcow2_uploaded_with_virtctls_sequence_holds_qemu_imgs_conversion_and_a_second_upload_is_refused()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(VirtctlClient.DataVolume("up"), ns);
        var client = new VirtctlClient(env, ns, "up");

        var (status, body, url) = await client.UploadAsync(env.Qcow2);

        status.Should().Be(HttpStatusCode.OK, body);
        url.AbsolutePath.Should().Be("/v1beta1/upload-async", "the proxy answers virtctl's HEAD probe with 200");
        LocalCluster.WaitUntil(() => client.Phase() == "Succeeded", TimeSpan.FromMinutes(1), () => Cluster.Kubectl("describe", "dv", "up", "-n", ns).Stdout);
        ProcessRunner.Sh($"cmp -n {UploadEnvironment.DiskSize} '{Disk(ns, "up")}' '{env.Qcow2Reference}' && echo same").Trim().Should().Be("same");
        Cluster.Ok("describe", "dv", "up", "-n", ns).Should().Contain("UploadScheduled").And.Contain("UploadReady").And.Contain("UploadSucceeded");
        LocalCluster.WaitUntil(() => Cluster.Ok("get", "pods", "-n", ns, "-o", "name").Length == 0, TimeSpan.FromMinutes(1), () => "the upload pod is deleted after success");
        client.ClaimAnnotation("cdi.kubevirt.io/storage.pod.phase").Should().Be("Succeeded", "virtctl's wait reads it after the pod is gone");

        using var again = await client.PostAsync(new Uri(env.ProxyUrl, "/v1beta1/upload"), client.Token(), VirtctlClient.FileContent(env.Qcow2));
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await again.Content.ReadAsStringAsync()).Should().Contain("already completed");
    }

    [Fact]
    public async Task Bad_expired_foreign_unsigned_and_wrongly_signed_tokens_get_401_with_the_reason()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(VirtctlClient.DataVolume("guarded"), ns);
        var client = new VirtctlClient(env, ns, "guarded");
        client.WaitUploadReady();
        using var key = env.SigningKey();
        var now = DateTimeOffset.UtcNow;
        var good = client.Token();
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var claims = Claims(ns, "guarded", now);
        var unsigned = string.Join('.', good.Split('.')[..2]
            .Select((part, i) => i == 0 ? Base64UrlNone() : part)) + ".";

        async Task<(HttpStatusCode, string)> Send(string? token)
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(env.ProxyUrl, "/v1beta1/upload")) { Content = new ByteArrayContent(new byte[4096]) };
            if (token is not null)
            {
                post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            using var response = await env.Proxy.SendAsync(post);
            return (response.StatusCode, (await response.Content.ReadAsStringAsync()).Trim());
        }

        var cases = new (string What, string? Token, string Reason)[]
        {
            ("no token", null, "needs Authorization: Bearer"),
            ("not a JWT", "not-a-token", "not a signed JWT"),
            ("alg none", unsigned, "algorithm \"none\" is not accepted"),
            ("another key", UploadTokens.Sign(stranger, claims), "signature does not verify"),
            ("expired", UploadTokens.Sign(key, claims with { IssuedAt = now.AddMinutes(-10).ToUnixTimeSeconds(), Expires = now.AddMinutes(-5).ToUnixTimeSeconds() }), "expired"),
            ("clone scope", UploadTokens.Sign(key, claims with { Operation = "Clone" }), "does not allow uploads"),
            ("pod scope", UploadTokens.Sign(key, claims with { Resource = new UploadTokenResource { Version = "v1", Resource = "pods" } }), "does not allow uploads"),
        };
        foreach (var (what, token, reason) in cases)
        {
            var (status, body) = await Send(token);
            status.Should().Be(HttpStatusCode.Unauthorized, what);
            body.Should().Contain(reason, what).And.NotContain("\n", "one line");
        }
        Cluster.Apply("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: plain\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Mi\n", ns);
        var (plainStatus, plainBody) = await Send(UploadTokens.Sign(key, claims with { Name = "plain" }));
        plainStatus.Should().Be(HttpStatusCode.BadRequest, "a claim without a DataVolume upload source");
        plainBody.Should().Contain("is not an upload target");
        var (otherStatus, otherBody) = await Send(UploadTokens.Sign(key, claims with { Name = "not-an-upload" }));
        otherStatus.Should().Be(HttpStatusCode.NotFound, "a validly signed token for a claim that does not exist");
        otherBody.Should().Contain("does not exist");
        client.Phase().Should().Be("UploadReady", "no refused request reached the upload server's data");
    }

    [Fact]
    public async Task A_second_concurrent_upload_is_refused_a_bad_checksum_fails_and_the_right_one_is_verified()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(VirtctlClient.DataVolume("busy"), ns);
        var client = new VirtctlClient(env, ns, "busy");
        client.WaitUploadReady();
        var token = client.Token();
        var sync = new Uri(env.ProxyUrl, "/v1beta1/upload");
        var bytes = await File.ReadAllBytesAsync(env.Raw);
        var wrong = "sha256:" + new string('0', 64);
        var right = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

        // A first upload that sends 1 MiB, then holds until told to go on.
        var gate = new TaskCompletionSource();
        var held = new HeldContent(bytes, 1 << 20, gate.Task, wrong);
        var first = client.PostAsync(sync, token, held);
        (await Poll.UntilAsync(async () => await OffsetAsync(token) > 0, TimeSpan.FromMinutes(1))).Should().BeTrue("the first upload is under way");

        using (var second = await client.PostAsync(sync, token, VirtctlClient.FileContent(env.Raw)))
        {
            second.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await second.Content.ReadAsStringAsync()).Should().Contain("in progress: one at a time");
        }

        gate.SetResult();
        using (var failed = await first)
        {
            failed.StatusCode.Should().Be(HttpStatusCode.BadRequest, "the bytes do not match the checksum sent");
            (await failed.Content.ReadAsStringAsync()).Should().ContainEquivalentOf("checksum");
        }
        client.Phase().Should().Be("UploadReady", "a failed upload leaves the server ready for another");

        var verified = VirtctlClient.FileContent(env.Raw);
        verified.Headers.Add(UploadPaths.ChecksumHeader, right);
        using var ok = await client.PostAsync(sync, token, verified);
        ok.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ok.Content.ReadAsStringAsync()).Should().Contain($"{right} verified");
        client.WaitProcessingComplete();
        ProcessRunner.Sh($"cmp -n {UploadEnvironment.DiskSize} '{Disk(ns, "busy")}' '{env.Raw}' && echo same").Trim().Should().Be("same");
    }

    [Fact]
    public async Task An_upload_cut_off_halfway_resumes_from_the_offset_the_server_reports()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(VirtctlClient.DataVolume("resume"), ns);
        var client = new VirtctlClient(env, ns, "resume");
        client.WaitUploadReady();
        var token = client.Token();
        var bytes = await File.ReadAllBytesAsync(env.DenseQcow2);
        var half = bytes.Length / 2;

        using (var cut = new CancellationTokenSource())
        {
            var gate = new TaskCompletionSource();
            var post = new HttpRequestMessage(HttpMethod.Post, new Uri(env.ProxyUrl, "/v1beta1/upload")) { Content = new HeldContent(bytes, half, gate.Task, null) };
            post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var sending = env.Proxy.SendAsync(post, cut.Token);
            (await Poll.UntilAsync(async () => await OffsetAsync(token) >= half / 2, TimeSpan.FromMinutes(1))).Should().BeTrue("half of it arrives");
            // The connection drops mid-body.
            await cut.CancelAsync();
            var act = async () => await sending;
            await act.Should().ThrowAsync<OperationCanceledException>();
            post.Dispose();
        }

        // A resume that does not continue where the server is gets 416 and the offset to use.
        (await Poll.UntilAsync(async () =>
            {
                using var refused = await client.PostAsync(new Uri(env.ProxyUrl, "/v1beta1/upload"), token, new ByteArrayContent(bytes, 1, bytes.Length - 1)
                {
                    Headers = { ContentRange = new ContentRangeHeaderValue(1, bytes.Length - 1, bytes.Length) },
                });
                return refused.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable
                    && refused.Headers.TryGetValues(UploadPaths.OffsetHeader, out var at) && long.Parse(at.First(), System.Globalization.CultureInfo.InvariantCulture) > 1;
            }, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(250))).Should().BeTrue("a resume at the wrong offset is refused with the right one");

        // Ask how much is committed, continue from there (a resuming client polls until the server saw the drop).
        HttpStatusCode status = 0;
        string answer = "";
        long offset = -1;
        (await Poll.UntilAsync(async () =>
        {
            offset = await OffsetAsync(token);
            var rest = new ByteArrayContent(bytes, (int)offset, bytes.Length - (int)offset);
            rest.Headers.ContentRange = new ContentRangeHeaderValue(offset, bytes.Length - 1, bytes.Length);
            using var response = await client.PostAsync(new Uri(env.ProxyUrl, "/v1beta1/upload"), token, rest);
            status = response.StatusCode;
            answer = await response.Content.ReadAsStringAsync();
            return status != HttpStatusCode.ServiceUnavailable;
        }, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(250))).Should().BeTrue();

        status.Should().Be(HttpStatusCode.OK, answer);
        offset.Should().BeGreaterThan(0, "the resume continued, it did not start over");
        client.WaitProcessingComplete();
        ProcessRunner.Sh($"cmp -n {UploadEnvironment.DenseSize} '{Disk(ns, "resume")}' '{env.DenseReference}' && echo same").Trim().Should().Be("same");
    }

    [Fact]
    public async Task Raw_xz_through_the_sync_path_and_an_archive_through_the_form_path_go_through_the_importers_decoders()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(VirtctlClient.DataVolume("xz"), ns);
        Cluster.Apply(VirtctlClient.DataVolume("files", contentType: "archive"), ns);
        var xz = new VirtctlClient(env, ns, "xz");
        var files = new VirtctlClient(env, ns, "files");
        xz.WaitUploadReady();
        files.WaitUploadReady();

        using (var sync = await xz.PostAsync(new Uri(env.ProxyUrl, "/v1beta1/upload"), xz.Token(), VirtctlClient.FileContent(env.RawXz)))
        {
            sync.StatusCode.Should().Be(HttpStatusCode.OK, await sync.Content.ReadAsStringAsync());
        }
        xz.ClaimAnnotation("cdi.kubevirt.io/storage.pod.phase").Should().NotBe("Failed");
        xz.WaitProcessingComplete();
        ProcessRunner.Sh($"cmp -n {UploadEnvironment.DiskSize} '{Disk(ns, "xz")}' '{env.Raw}' && echo same").Trim().Should().Be("same");

        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(env.Archive)), "file", "files.tar.gz" } };
        using (var posted = await files.PostAsync(new Uri(env.ProxyUrl, "/v1beta1/upload-form-async"), files.Token(), form))
        {
            posted.StatusCode.Should().Be(HttpStatusCode.OK, await posted.Content.ReadAsStringAsync());
        }
        files.WaitProcessingComplete();
        File.ReadAllText(Path.Combine(Cluster.VolumePath(ns, "files"), "etc", "motd")).Should().Be("hello\n");
    }

    /// <summary>What HEAD says the server holds of the current upload.</summary>
    private async Task<long> OffsetAsync(string token)
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(env.ProxyUrl, "/v1beta1/upload-async"));
        head.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await env.Proxy.SendAsync(head);
        return response.Headers.TryGetValues(UploadPaths.OffsetHeader, out var values) ? long.Parse(values.First(), System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    private static UploadTokenClaims Claims(string ns, string name, DateTimeOffset now) => new()
    {
        Issuer = UploadTokens.Issuer,
        IssuedAt = now.ToUnixTimeSeconds(),
        NotBefore = now.ToUnixTimeSeconds(),
        Expires = now.AddMinutes(5).ToUnixTimeSeconds(),
        Operation = UploadTokenClaims.UploadOperation,
        Name = name,
        Namespace = ns,
        Resource = new UploadTokenResource { Group = "", Version = "v1", Resource = UploadTokenClaims.ClaimsResource },
    };

    private static string Base64UrlNone() => System.Buffers.Text.Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8);
}
