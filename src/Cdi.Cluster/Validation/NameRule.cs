namespace Cdi.Cluster.Validation;

/// <summary>
/// How a kind's names are checked. With <c>prefix</c> the value is a generateName: a trailing '-' is allowed there
/// since a random suffix follows it.
/// </summary>
internal delegate IReadOnlyList<string> NameRule(string name, bool prefix);
