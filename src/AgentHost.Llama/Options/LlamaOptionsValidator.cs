using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AgentHost.Llama.Options;

/// <summary>Checks <see cref="LlamaOptions"/> at start-up; every message names the configuration key.</summary>
public sealed class LlamaOptionsValidator : IValidateOptions<LlamaOptions>
{
    public ValidateOptionsResult Validate(string? name, LlamaOptions options)
    {
        var errors = Errors(options, requireModelPath: true).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static void ThrowIfInvalid(LlamaOptions options, bool requireModelPath = true)
    {
        var errors = Errors(options, requireModelPath).ToList();
        if (errors.Count > 0) throw new OptionsValidationException(LlamaOptions.SectionName, typeof(LlamaOptions), errors);
    }

    public static IEnumerable<string> Errors(LlamaOptions o, bool requireModelPath)
    {
        const string s = LlamaOptions.SectionName;
        if (requireModelPath && string.IsNullOrWhiteSpace(o.ModelPath))
            yield return $"{s}:ModelPath is required (a path to a .gguf file).";
        foreach (var e in Annotations(o, s)) yield return e;
        foreach (var e in Annotations(o.Defaults, $"{s}:Defaults")) yield return e;
        foreach (var e in Annotations(o.Reasoning, $"{s}:Reasoning")) yield return e;
        if (o.Parallel > o.BatchSize)
            yield return $"{s}:Parallel ({o.Parallel}) must not exceed {s}:BatchSize ({o.BatchSize}): every slot needs a place in each batch.";
        if (o.MicroBatchSize > o.BatchSize)
            yield return $"{s}:MicroBatchSize ({o.MicroBatchSize}) must not exceed {s}:BatchSize ({o.BatchSize}).";
    }

    private static IEnumerable<string> Annotations(object target, string prefix)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(target, new ValidationContext(target), results, validateAllProperties: true);
        foreach (var r in results)
            foreach (var member in r.MemberNames)
            {
                var value = target.GetType().GetProperty(member)?.GetValue(target);
                yield return $"{prefix}:{member} = {value}: {r.ErrorMessage}";
            }
    }
}
