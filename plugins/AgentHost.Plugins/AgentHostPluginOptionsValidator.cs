using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AgentHost.Plugins;

/// <summary>Validates <see cref="AgentHostPluginOptions"/> and its sections at start, each failure naming the configuration key.</summary>
public sealed class AgentHostPluginOptionsValidator : IValidateOptions<AgentHostPluginOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentHostPluginOptions options)
    {
        var failures = new List<string>();
        Check(options, AgentHostPluginOptions.SectionName, failures);
        Check(options.CustomerService, $"{AgentHostPluginOptions.SectionName}:CustomerService", failures);
        Check(options.Translation, $"{AgentHostPluginOptions.SectionName}:Translation", failures);
        if (options.PromptsDirectory is { Length: > 0 } prompts && !Directory.Exists(prompts))
            failures.Add($"{AgentHostPluginOptions.SectionName}:PromptsDirectory: folder not found: {Path.GetFullPath(prompts)}");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(object section, string prefix, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true)) return;
        foreach (var r in results)
            failures.Add($"{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}");
    }
}
