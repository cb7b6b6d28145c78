using Ingestion.Core.Uploads;

namespace Ingestion.Core.Tests;

public sealed class XxHash64Tests
{
    [Theory]
    [InlineData("", "ef46db3751d8e999")]
    [InlineData("a", "d24ec4f1a98c6e5b")]
    [InlineData("abc", "44bc2cf5ad770999")]
    public void Known_answers(string text, string expected) =>
        Assert.Equal(expected, XxHash64.HashToHex(System.Text.Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Matches_the_reference_for_every_length_around_the_stripe_and_tail_boundaries()
    {
        var random = new Random(11);
        var data = new byte[300];
        random.NextBytes(data);
        for (var length = 0; length <= data.Length; length++)
        {
            Assert.Equal(Reference(data.AsSpan(0, length)), XxHash64.HashToHex(data.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Fed_in_pieces_of_any_size_gives_the_same_hash_as_at_once()
    {
        var random = new Random(5);
        var data = new byte[(1 << 20) + 77];
        random.NextBytes(data);
        var expected = Reference(data);
        for (var trial = 0; trial < 20; trial++)
        {
            var hash = new XxHash64();
            var offset = 0;
            while (offset < data.Length)
            {
                var piece = Math.Min(data.Length - offset, trial % 4 == 0 ? random.Next(0, 40) : random.Next(0, 200_000));
                hash.Append(data.AsSpan(offset, piece));
                offset += piece;
            }

            Assert.Equal(expected, hash.ToHex());
        }
    }

    private static string Reference(ReadOnlySpan<byte> data) => System.IO.Hashing.XxHash64.HashToUInt64(data).ToString("x16");
}
