using System.Text;

namespace Ingestion.Core.Aep;

/// <summary>
/// Cuts a stream of JSON objects into one text per object without reading it whole: JSON Lines, objects
/// pretty-printed over several lines, and objects inside a top-level array all split the same way.
/// Anything at the top level that is not an object comes back as the rest of its line, for the caller to report.
/// </summary>
internal sealed class JsonObjectSplitter(TextReader reader, int maxChars)
{
    private readonly StringBuilder current = new();
    private readonly char[] buffer = new char[16 * 1024];
    private int position;
    private int length;
    private long line = 1;

    /// <summary>The 1-based line on which the last returned text starts.</summary>
    public long Line { get; private set; }

    /// <summary>The next top-level text, or null at the end; throws <see cref="InvalidDataException"/> past <c>maxChars</c>.</summary>
    public async Task<string?> NextAsync(CancellationToken cancellationToken)
    {
        current.Clear();
        var depth = 0;
        var inString = false;
        var escaped = false;
        var stray = false;
        while (true)
        {
            if (position == length)
            {
                length = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                position = 0;
                if (length == 0)
                {
                    // A truncated object or a stray last line is still handed back; parsing it will say what is wrong.
                    return current.Length > 0 ? current.ToString() : null;
                }
            }

            var c = buffer[position++];
            if (current.Length == 0 && depth == 0 && !stray)
            {
                if (c == '\n')
                {
                    line++;
                }

                if (char.IsWhiteSpace(c) || c is ',' or '[' or ']' or '\uFEFF')
                {
                    continue;
                }

                Line = line;
                stray = c != '{';
            }

            if (stray)
            {
                if (c == '\n')
                {
                    line++;
                    return current.ToString().TrimEnd('\r');
                }

                Append(c);
                continue;
            }

            Append(c);
            if (c == '\n')
            {
                line++;
            }

            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    depth--;
                    if (depth == 0)
                    {
                        return current.ToString();
                    }

                    break;
            }
        }
    }

    private void Append(char c)
    {
        if (current.Length >= maxChars)
        {
            throw new InvalidDataException($"a value is longer than {maxChars:N0} characters");
        }

        current.Append(c);
    }
}
