using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Cdi.Cluster.ApiServer;

/// <summary>/version: we speak the Kubernetes 1.32 API (the kubectl on this machine), so kubectl sees no version skew.</summary>
internal static class VersionInfo
{
    public const string GitVersion = "v1.32.0+cdi";

    public static JsonObject Document() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = RuntimeInformation.FrameworkDescription,
        ["compiler"] = "dotnet",
        ["platform"] = $"linux/{(RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64")}",
    };
}
