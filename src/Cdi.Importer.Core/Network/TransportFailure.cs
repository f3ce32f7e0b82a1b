using System.Security.Authentication;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Network;

/// <summary>
/// The one classification of a request that failed below HTTP, shared by the http, registry and S3 sources: a denied
/// address is <see cref="ImportFailureReason.NetworkAddressDenied"/> and a failed TLS handshake
/// <see cref="ImportFailureReason.CertificateRejected"/>, final on every source (retrying changes neither); anything
/// else is left to the caller as a retryable <see cref="ImportFailureReason.SourceUnavailable"/>.
/// </summary>
internal static class TransportFailure
{
    /// <param name="tlsMessage">The one line for a TLS failure, from the handshake's own message and whether it was
    /// the certificate that was refused (otherwise the peer likely speaks plain HTTP).</param>
    public static ImportException? Final(HttpRequestException e, Func<string, bool, string> tlsMessage)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AddressDeniedException denied)
            {
                return new ImportException(ImportFailureReason.NetworkAddressDenied, denied.Message, e);
            }
            if (inner is AuthenticationException auth)
            {
                var certificate = auth.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase);
                return new ImportException(ImportFailureReason.CertificateRejected, tlsMessage(auth.Message, certificate), e);
            }
        }
        return null;
    }
}
