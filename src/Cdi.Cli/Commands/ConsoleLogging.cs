using Microsoft.Extensions.Logging;

namespace Cdi.Cli.Commands;

/// <summary>One-line log output on stderr for the long-running commands (controller), as a container log wants it.</summary>
internal static class ConsoleLogging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(builder => builder
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        })
        .SetMinimumLevel(LogLevel.Information));
}
