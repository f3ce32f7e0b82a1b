using System.CommandLine;
using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;
using Cdi.Doctor.Output;
using Cdi.Doctor.Snapshot;
using Cdi.Kube.Config;
using Cdi.Kube.Rest;

namespace Cdi.Cli.Commands;

/// <summary>
/// <c>cdi doctor</c>: walks DataVolume → claim → worker pod → scratch claim → storage class → PV → events to the
/// root cause of every catalogued failure, live or from a dump. Exit 0 without error findings, 1 with, 2 when it
/// could not look at all.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var scope = new ScopeOptions();
        var dataVolume = new Argument<string?>("DATAVOLUME") { Description = "Only this DataVolume (and cluster-wide findings)", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string>("--output", "-o") { Description = "table (default) or json (an array of findings)", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var from = new Option<string?>("--from") { Description = "Read a dump (cdi doctor dump, or kubectl get … -o json) instead of a cluster" };
        var command = new Command("doctor", "Diagnose DataVolumes that do not import: root cause, evidence and fix for each finding")
        {
            dataVolume, output, from, Dump(),
        };
        scope.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            ClusterSnapshot snapshot;
            string? ns = parse.GetValue(scope.Namespace);
            try
            {
                if (parse.GetValue(from) is { } dump)
                {
                    snapshot = DumpReader.ReadFile(dump);
                }
                else
                {
                    using var client = new KubeClient(KubeConfigLoader.Load(parse.GetValue(scope.Kubeconfig), parse.GetValue(scope.Context)));
                    ns = parse.GetValue(scope.AllNamespaces) ? null : ns ?? client.Config.Namespace;
                    snapshot = await new SnapshotCollector(client).CollectAsync(ns, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is DumpFormatException or KubeConfigException or KubeApiException or HttpRequestException)
            {
                Console.Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
                return 2;
            }
            var name = parse.GetValue(dataVolume);
            var findings = Examiner.Examine(snapshot, name is null ? null : $"{ns ?? "default"}/{name}")
                .Where(f => ns is null || f.Object.Namespace is null || f.Object.Namespace == ns).ToList();
            Console.Out.Write(parse.GetValue(output) == "json"
                ? FindingJson.Serialize(findings) + "\n"
                : FindingTable.Render(findings));
            return findings.Any(f => f.Severity == Severity.Error) ? 1 : 0;
        });
        return command;
    }

    private static Command Dump()
    {
        var scope = new ScopeOptions();
        var command = new Command("dump", "Write what the doctor reads (objects, events, worker log tails; no Secrets) as a JSON List to stdout");
        scope.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                using var client = new KubeClient(KubeConfigLoader.Load(parse.GetValue(scope.Kubeconfig), parse.GetValue(scope.Context)));
                var ns = parse.GetValue(scope.AllNamespaces) ? null : parse.GetValue(scope.Namespace) ?? client.Config.Namespace;
                var snapshot = await new SnapshotCollector(client).CollectAsync(ns, ct).ConfigureAwait(false);
                using var stdout = Console.OpenStandardOutput();
                DumpWriter.Write(snapshot, stdout);
                return 0;
            }
            catch (Exception e) when (e is KubeConfigException or KubeApiException or HttpRequestException)
            {
                Console.Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
                return 2;
            }
        });
        return command;
    }

    /// <summary>The options saying which cluster and which namespaces, as kubectl spells them.</summary>
    private sealed class ScopeOptions
    {
        public Option<string?> Namespace { get; } = new("--namespace", "-n") { Description = "Namespace (default: the kubeconfig's)" };
        public Option<bool> AllNamespaces { get; } = new("--all-namespaces", "-A") { Description = "Every namespace" };
        public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "Kubeconfig file (default: $KUBECONFIG, in-cluster, ~/.kube/config)" };
        public Option<string?> Context { get; } = new("--context") { Description = "Kubeconfig context" };

        public void AddTo(Command command)
        {
            command.Options.Add(Namespace);
            command.Options.Add(AllNamespaces);
            command.Options.Add(Kubeconfig);
            command.Options.Add(Context);
            command.Validators.Add(r =>
            {
                if (r.GetValue(Namespace) is not null && r.GetValue(AllNamespaces))
                {
                    r.AddError("give either --namespace or --all-namespaces, not both");
                }
            });
        }
    }
}
