namespace Cdi.Importer.Core.Network;

/// <summary>One scheduled retry, as reported to <see cref="HttpSourceOptions.OnRetry"/>.</summary>
/// <param name="Attempt">The failed attempt's number (1 for the first failure since the last progress).</param>
/// <param name="Delay">How long the importer waits before trying again.</param>
/// <param name="Offset">The byte the next request starts at (0 unless resuming).</param>
/// <param name="Cause">What failed, one line.</param>
public sealed record HttpRetry(int Attempt, TimeSpan Delay, long Offset, string Cause);
