using SeriesPlatform.Server.Feed;

namespace SeriesPlatform.Server.Tests.Integrations;

public sealed class ContractTests
{
    private static string Repo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SeriesPlatform.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("SeriesPlatform.sln not found above the test binaries.");
    }

    [Fact]
    public void Every_public_event_type_is_documented_with_an_example()
    {
        var doc = File.ReadAllText(Path.Combine(Repo(), "docs", "integrations.md"));
        foreach (var type in PublicTypes.All)
            Assert.True(doc.Contains($"`{type}`"), $"{type} is not documented in docs/integrations.md");
        Assert.All(PublicTypes.All, t => Assert.Matches(@"^org\.seriesplatform\.[a-z-]+\.[a-z-]+\.v\d+$", t));
    }
}
