namespace Cdi.Cluster.Discovery;

/// <summary>A CRD additionalPrinterColumn: shown by <c>kubectl get</c> through server-side Table output.</summary>
internal sealed record PrinterColumn(string Name, string Type, string JsonPath, string? Format, string Description, int Priority);
