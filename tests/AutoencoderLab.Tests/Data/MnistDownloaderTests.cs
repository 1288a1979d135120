using System.Net;
using AutoencoderLab.Data;
using AutoencoderLab.Runtime;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Data;

public class MnistDownloaderTests
{
    static readonly Uri Down = new("http://mirror-down.test/mnist/");
    static readonly Uri Good = new("http://mirror-good.test/mnist/");
    static readonly Uri Bad = new("http://mirror-bad.test/mnist/");

    /// <summary>A fake network: one mirror refuses connections, one serves the real files, one serves wrong bytes.</summary>
    sealed class FakeMirrors : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            Requests.Add(uri);
            if (uri.Host == Down.Host) throw new HttpRequestException("Connection refused");
            var name = uri.Segments[^1];
            var path = Path.Combine(TestPaths.SharedMnist, name);
            if (!File.Exists(path)) return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            var bytes = File.ReadAllBytes(path);
            if (uri.Host == Bad.Host) bytes[^5] ^= 0xFF;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) });
        }
    }

    [Fact]
    public async Task Falls_back_to_the_next_mirror_verifies_md5_and_leaves_no_partial_files()
    {
        using var dir = new TempDirectory();
        var network = new FakeMirrors();
        var reports = new List<DownloadProgress>();
        var downloader = new MnistDownloader(new HttpClient(network), [Down, Bad, Good]);

        var path = await downloader.DownloadAsync(MnistFile.TestLabels, dir.Path, new SyncProgress<DownloadProgress>(reports.Add));

        Assert.Equal(MnistFile.TestLabels.Md5, Checksum.Md5OfFile(path));
        Assert.Equal([Down, Bad, Good], network.Requests.Select(u => new Uri(u, ".")));
        Assert.Equal([MnistFile.TestLabels.Name], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.Equal(4542, reports[^1].Bytes);
    }

    [Fact]
    public async Task Wrong_bytes_everywhere_is_a_clear_error_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        var downloader = new MnistDownloader(new HttpClient(new FakeMirrors()), [Down, Bad]);

        var error = await Assert.ThrowsAsync<DataUnavailableException>(() => downloader.DownloadAsync(MnistFile.TrainLabels, dir.Path));

        Assert.Contains("Connection refused", error.Message);
        Assert.Contains($"expected {MnistFile.TrainLabels.Md5}", error.Message);
        foreach (var file in MnistFile.All) Assert.Contains(file.Md5, error.Message); // the offline advice lists all four
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Ensure_fetches_only_missing_files_and_never_touches_present_ones()
    {
        using var dir = new TempDirectory();
        var present = dir.File(MnistFile.TrainImages.Name);
        File.WriteAllText(present, "a user's own file, even a wrong one, is never replaced");
        var network = new FakeMirrors();
        var downloader = new MnistDownloader(new HttpClient(network), [Good]);
        var location = new MnistLocation(dir.Path);

        var fetched = await downloader.EnsureAsync(location);

        Assert.Equal(3, fetched.Count);
        Assert.DoesNotContain(network.Requests, u => u.AbsolutePath.EndsWith(MnistFile.TrainImages.Name, StringComparison.Ordinal));
        Assert.Equal("a user's own file, even a wrong one, is never replaced", File.ReadAllText(present));
        Assert.Empty(location.Missing());
        Assert.All(fetched, f => Assert.StartsWith(location.DownloadDirectory, f));
    }

}

[Collection(EnvironmentCollection.Name)]
public class MnistMirrorConfigurationTests
{
    [Fact]
    public void Mirrors_come_from_the_environment_when_set()
    {
        using (new EnvironmentScope(MnistDownloader.MirrorsVariable, null))
            Assert.Equal(MnistDownloader.DefaultMirrors, MnistDownloader.ConfiguredMirrors());
        using (new EnvironmentScope(MnistDownloader.MirrorsVariable, "http://a.test/x; http://b.test/y/"))
            Assert.Equal([new Uri("http://a.test/x/"), new Uri("http://b.test/y/")], MnistDownloader.ConfiguredMirrors());
        using (new EnvironmentScope(MnistDownloader.MirrorsVariable, "not-a-url"))
            Assert.Contains("not-a-url", Assert.Throws<InvalidSettingsException>(() => MnistDownloader.ConfiguredMirrors()).Message);
    }
}
