using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>What one kind is held to: its name rule and the checks of its own fields (none for most kinds).</summary>
internal sealed record KindRule(NameRule Names, params IReadOnlyList<Action<JsonObject, List<FieldError>>> Fields);
