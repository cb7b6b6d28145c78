using System.Text;
using System.Xml;
using Ingestion.HelpBuilder.About;
using Ingestion.HelpBuilder.Commands;
using Ingestion.HelpBuilder.Markdown;

namespace Ingestion.HelpBuilder;

/// <summary>
/// Turns a folder of help sources into the files PowerShell reads from a module's culture folder:
/// one MAML file per 'external help file' named in the sources, and one .help.txt per about topic.
/// </summary>
internal static class HelpCompiler
{
    public const string Culture = "en-US";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static HelpSources Read(string sourceDirectory)
    {
        if (!Directory.Exists(sourceDirectory))
        {
            throw new DirectoryNotFoundException($"Help source folder '{sourceDirectory}' does not exist.");
        }

        var files = Directory.GetFiles(sourceDirectory, "*.md").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new DirectoryNotFoundException($"Help source folder '{sourceDirectory}' holds no *.md file.");
        }

        var commands = new List<CommandHelp>();
        var topics = new List<AboutTopic>();
        foreach (var file in files)
        {
            var document = MarkdownDocument.Load(file);
            if (Path.GetFileName(file).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            {
                topics.Add(AboutTopicParser.Parse(document));
            }
            else
            {
                commands.Add(CommandHelpParser.Parse(document));
            }
        }

        return new HelpSources(commands, topics);
    }

    /// <summary>Writes the compiled help under <paramref name="outputDirectory"/>/en-US and returns the files written.</summary>
    public static IReadOnlyList<string> Compile(string sourceDirectory, string outputDirectory)
    {
        var sources = Read(sourceDirectory);
        var target = Path.Combine(outputDirectory, Culture);
        Directory.CreateDirectory(target);
        var written = new List<string>();
        foreach (var group in sources.Commands.GroupBy(c => c.ExternalHelpFile, StringComparer.Ordinal))
        {
            var path = Path.Combine(target, group.Key);
            WriteXml(path, MamlWriter.Write(group));
            written.Add(path);
        }

        foreach (var topic in sources.Topics)
        {
            var path = Path.Combine(target, topic.Name + ".help.txt");
            File.WriteAllText(path, AboutTextWriter.Write(topic), Utf8NoBom);
            written.Add(path);
        }

        return written;
    }

    private static void WriteXml(string path, System.Xml.Linq.XDocument document)
    {
        var settings = new XmlWriterSettings { Encoding = Utf8NoBom, Indent = true, IndentChars = "  " };
        using var writer = XmlWriter.Create(path, settings);
        document.Save(writer);
    }
}

internal sealed record HelpSources(IReadOnlyList<CommandHelp> Commands, IReadOnlyList<AboutTopic> Topics);
