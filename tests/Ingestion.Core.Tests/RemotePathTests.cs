using Ingestion.Core.Aep;
using Ingestion.Core.Errors;

namespace Ingestion.Core.Tests;

public class RemotePathTests
{
    [Theory]
    [InlineData("x.json", "x.json")]
    [InlineData("with space.json", "with%20space.json")]
    [InlineData("données été.json", "donn%C3%A9es%20%C3%A9t%C3%A9.json")]
    [InlineData("a#b.json", "a%23b.json")]
    [InlineData("what?.json", "what%3F.json")]
    [InlineData("100%.json", "100%25.json")]
    [InlineData("part1=a/part2=b/x.json", "part1%3Da/part2%3Db/x.json")]
    [InlineData("...json", "...json")]
    [InlineData("a..b/c", "a..b/c")]
    public void Escape_keeps_folders_and_escapes_each_segment(string name, string escaped)
    {
        Assert.Equal(name, RemotePath.Validate(name));
        Assert.Equal(escaped, RemotePath.Escape(name));
        Assert.Equal(name, string.Join('/', RemotePath.Escape(name).Split('/').Select(Uri.UnescapeDataString)));
    }

    [Fact]
    public void The_longest_allowed_name_is_accepted()
    {
        var name = new string('n', RemotePath.MaxLength);
        Assert.Equal(name, RemotePath.Validate(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("../x.json")]
    [InlineData("a/../x.json")]
    [InlineData("a/./x.json")]
    [InlineData("a//x.json")]
    [InlineData("/x.json")]
    [InlineData("a/")]
    [InlineData("a\\x.json")]
    [InlineData(" ")]
    [InlineData("   ")]
    [InlineData("a/  /x.json")]
    public void Invalid_names_are_refused_with_the_name_as_target(string name)
    {
        var ex = Assert.Throws<IngestionException>(() => RemotePath.Escape(name));
        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(name, ex.Target);
        Assert.Null(ex.StatusCode);
        if (name.Length > 0)
        {
            Assert.Contains($"'{name}'", ex.Message);
        }
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x09)]
    [InlineData(0x0A)]
    [InlineData(0x0D)]
    [InlineData(0x1F)]
    [InlineData(0x7F)]
    [InlineData(0x85)]
    public void Control_characters_are_refused_and_not_echoed(int code)
    {
        var name = "a" + (char)code + "b.json";
        var ex = Assert.Throws<IngestionException>(() => RemotePath.Escape(name));
        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(name, ex.Target);
        Assert.DoesNotContain((char)code, ex.Message);
        Assert.Contains($"code {code}", ex.Message);
    }

    [Fact]
    public void A_name_one_past_the_limit_is_refused_naming_both_lengths()
    {
        var ex = Assert.Throws<IngestionException>(() => RemotePath.Validate(new string('n', RemotePath.MaxLength + 1)));
        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("1025", ex.Message);
        Assert.Contains("1024", ex.Message);
    }
}
