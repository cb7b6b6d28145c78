namespace Ingestion.Help.Tests;

/// <summary>A complete, valid cmdlet help source; tests break one thing in it at a time.</summary>
internal static class SampleHelp
{
    public const string FileName = "Get-Widget.md";

    public const string Text = """
        ---
        external help file: Sample.dll-Help.xml
        Module Name: Sample
        ---

        # Get-Widget

        ## SYNOPSIS
        Gets widgets.

        ## SYNTAX

        ### Name (Default)
        ```
        Get-Widget [[-Name] <String[]>] [-Force] [<CommonParameters>]
        ```

        ### Id
        ```
        Get-Widget -Id <String> [-Force] [<CommonParameters>]
        ```

        ## DESCRIPTION
        Gets widgets by name
        or by id.

        - First point.
        - Second point,
          continued.

        ## EXAMPLES

        ### Example 1: Get all widgets
        ```powershell
        Get-Widget
        ```

        Gets every widget.

        ### Example 2: Get one widget by id
        ```powershell
        Get-Widget -Id 42 |
            Format-List
        ```

        Gets widget 42.

        ## PARAMETERS

        ### -Force
        Includes hidden widgets.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Id
        The widget id.

        ```yaml
        Type: String
        Parameter Sets: Id
        Aliases: WidgetId

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: True (ByPropertyName)
        Accept wildcard characters: False
        ```

        ### -Name
        Widget names.

        ```yaml
        Type: String[]
        Parameter Sets: Name
        Aliases:
        Accepted values: Red, Green

        Required: False
        Position: 0
        Default value: *
        Accept pipeline input: True (ByValue, ByPropertyName)
        Accept wildcard characters: True
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String
        Names.

        ## OUTPUTS

        ### Sample.Widget
        A widget.

        ## NOTES
        Widgets are fictional.

        ## RELATED LINKS

        - [Online](https://example.invalid/widget)
        - [Set-Widget](Set-Widget.md)
        - about_Widgets

        """;

    /// <summary>The sample with <paramref name="original"/> replaced once; fails if it is not in the sample, so a test cannot pass by editing nothing.</summary>
    public static string With(string original, string replacement)
    {
        var index = Text.IndexOf(original, StringComparison.Ordinal);
        Assert.True(index >= 0, $"The sample does not contain '{original}'.");
        return string.Concat(Text.AsSpan(0, index), replacement, Text.AsSpan(index + original.Length));
    }

    /// <summary>The 1-based line of the first occurrence of <paramref name="fragment"/>.</summary>
    public static int LineOf(string text, string fragment)
    {
        var index = text.IndexOf(fragment, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{fragment}' is not in the text.");
        return text[..index].Count(c => c == '\n') + 1;
    }
}
