namespace Cdi.Cluster.Tests.Kubectl;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}
