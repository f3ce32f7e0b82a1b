using Cdi.Importer.Core.Network;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>no_proxy rules as curl reads them.</summary>
public sealed class ImportProxyTests
{
    private static readonly Uri Proxy = new("http://proxy.corp:3128");

    [Theory]
    [InlineData("example.com", "http://example.com/a", true)]
    [InlineData("example.com", "http://images.example.com/a", true)]
    [InlineData(".example.com", "https://images.example.com/a", true)]
    [InlineData("example.com", "http://notexample.com/a", false)]
    [InlineData("10.0.0.0/8", "http://10.1.2.3/a", true)]
    [InlineData("10.0.0.0/8", "http://11.1.2.3/a", false)]
    [InlineData("192.168.1.5", "http://192.168.1.5:8080/a", true)]
    [InlineData("*", "http://anything/a", true)]
    [InlineData("", "http://example.com/a", false)]
    [InlineData("localhost:8080, example.org", "http://localhost/a", true)]
    public void No_proxy_rules(string noProxy, string url, bool bypassed)
    {
        var proxy = new ImportProxy(Proxy, noProxy);
        proxy.IsBypassed(new Uri(url)).Should().Be(bypassed);
        proxy.GetProxy(new Uri(url)).Should().Be(bypassed ? null : Proxy);
    }

    [Fact]
    public void Credentials_in_the_proxy_url_are_used_for_the_proxy()
    {
        var proxy = new ImportProxy(new Uri("http://bob:p%40ss@proxy.corp:3128"), null);
        var credential = proxy.Credentials.Should().BeOfType<System.Net.NetworkCredential>().Subject;
        credential.UserName.Should().Be("bob");
        credential.Password.Should().Be("p@ss");
        new ImportProxy(Proxy, null).Credentials.Should().BeNull();
    }

    [Fact]
    public void Proxy_must_be_an_http_url()
    {
        var act = () => new ImportProxy(new Uri("socks5://proxy:1080"), null);
        act.Should().Throw<FormatException>();
    }
}
