namespace AgentHost.Plugins;

/// <summary>Argument checks shared by the tools; each failure is a <see cref="PluginInputException"/> naming the argument.</summary>
public static class Require
{
    /// <summary>Non-blank text of at most <paramref name="maxCharacters"/> characters, with no control characters other than tab and newlines.</summary>
    public static string Text(string? value, string parameter, int maxCharacters)
    {
        if (value is null || string.IsNullOrWhiteSpace(value)) throw new PluginInputException(parameter, "must not be empty");
        if (value.Length > maxCharacters)
            throw new PluginInputException(parameter, $"is {value.Length:N0} characters; the limit is {maxCharacters:N0}");
        foreach (var c in value)
        {
            // Control characters cannot travel through SK's XML chat prompt and are never meaningful text.
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
                throw new PluginInputException(parameter, $"contains the control character U+{(int)c:X4}");
        }
        return value;
    }

    /// <summary>Optional text: null or blank becomes null, otherwise checked like <see cref="Text"/>.</summary>
    public static string? OptionalText(string? value, string parameter, int maxCharacters) =>
        string.IsNullOrWhiteSpace(value) ? null : Text(value, parameter, maxCharacters);

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned in its canonical spelling.</summary>
    public static string OneOf(string? value, string parameter, params string[] allowed)
    {
        var match = allowed.FirstOrDefault(a => string.Equals(a, value?.Trim(), StringComparison.OrdinalIgnoreCase));
        return match ?? throw new PluginInputException(parameter, $"must be one of {string.Join(", ", allowed)} (was '{value}')");
    }

    /// <summary>A defined member of <typeparamref name="TEnum"/> by name (case-insensitive, '-' and '_' ignored).</summary>
    public static TEnum Enum<TEnum>(string? value, string parameter) where TEnum : struct, System.Enum
    {
        var normalized = value?.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Trim();
        if (!string.IsNullOrEmpty(normalized) && !normalized.All(char.IsDigit) && System.Enum.TryParse<TEnum>(normalized, ignoreCase: true, out var parsed)
            && System.Enum.IsDefined(parsed))
            return parsed;
        var names = System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant());
        throw new PluginInputException(parameter, $"must be one of {string.Join(", ", names)} (was '{value}')");
    }

    public static int InRange(int value, string parameter, int min, int max) =>
        value < min || value > max ? throw new PluginInputException(parameter, $"must be between {min} and {max} (was {value})") : value;
}
