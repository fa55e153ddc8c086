namespace AgentHost.Models;

/// <summary>
/// Where models are cached and how they are fetched. <see cref="FromEnvironment"/> fills it the way the CLI does:
/// an explicit folder wins, then <c>AGENTHOST_MODELS</c>, then <c>~/.cache/agenthost/models</c>.
/// </summary>
public sealed class ModelCacheOptions
{
    /// <summary>Environment variable that overrides the cache folder.</summary>
    public const string ModelsDirectoryVariable = "AGENTHOST_MODELS";

    /// <summary>Environment variable naming a Hugging Face endpoint or mirror (same name as huggingface_hub uses).</summary>
    public const string HuggingFaceEndpointVariable = "HF_ENDPOINT";

    /// <summary>Environment variable holding a Hugging Face access token, sent as a Bearer token to the endpoint only.</summary>
    public const string HuggingFaceTokenVariable = "HF_TOKEN";

    /// <summary>The public Hugging Face endpoint.</summary>
    public static Uri DefaultHuggingFaceEndpoint { get; } = new("https://huggingface.co/");

    /// <summary>The cache folder. Defaults to <see cref="GetDefaultRootDirectory"/>.</summary>
    public string RootDirectory { get; set; } = GetDefaultRootDirectory();

    /// <summary>Base URL of the Hugging Face hub (or a mirror) that hf: references resolve against.</summary>
    public Uri HuggingFaceEndpoint { get; set; } = DefaultHuggingFaceEndpoint;

    /// <summary>Access token for gated or private repositories; sent only to <see cref="HuggingFaceEndpoint"/>'s host.</summary>
    public string? HuggingFaceToken { get; set; }

    /// <summary>
    /// How long a pull waits for another process that is downloading the same file. Infinite by default: the lock
    /// is released by the operating system when that process exits, and the wait can be cancelled.
    /// </summary>
    public TimeSpan LockWaitTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>A download that receives no bytes for this long fails as a network error (and can be resumed).</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Options from the environment: <paramref name="rootDirectory"/> if given, else <c>AGENTHOST_MODELS</c>, else the default folder;
    /// <c>HF_ENDPOINT</c> and <c>HF_TOKEN</c> (or the older <c>HUGGING_FACE_HUB_TOKEN</c>).
    /// </summary>
    /// <param name="rootDirectory">An explicit cache folder (e.g. from a --models-dir option); wins over the environment.</param>
    /// <param name="environment">Reads a variable; defaults to the process environment (tests pass their own).</param>
    /// <exception cref="ArgumentException">HF_ENDPOINT is not an absolute http(s) URL.</exception>
    public static ModelCacheOptions FromEnvironment(string? rootDirectory = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var options = new ModelCacheOptions
        {
            RootDirectory = NonEmpty(rootDirectory) ?? NonEmpty(environment(ModelsDirectoryVariable)) ?? GetDefaultRootDirectory(environment),
            HuggingFaceToken = NonEmpty(environment(HuggingFaceTokenVariable)) ?? NonEmpty(environment("HUGGING_FACE_HUB_TOKEN")),
        };
        if (NonEmpty(environment(HuggingFaceEndpointVariable)) is { } endpoint)
            options.HuggingFaceEndpoint = ParseEndpoint(endpoint, HuggingFaceEndpointVariable);
        return options;
    }

    /// <summary>
    /// <c>$XDG_CACHE_HOME/agenthost/models</c>, or <c>~/.cache/agenthost/models</c>; <c>AGENTHOST_CACHE</c> (the build's cache
    /// folder) moves it to <c>$AGENTHOST_CACHE/models</c>.
    /// </summary>
    public static string GetDefaultRootDirectory(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (NonEmpty(environment("AGENTHOST_CACHE")) is { } agentHostCache) return Path.Combine(agentHostCache, "models");
        var cacheHome = NonEmpty(environment("XDG_CACHE_HOME"));
        if (cacheHome is null)
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            cacheHome = home.Length > 0 ? Path.Combine(home, ".cache") : Path.Combine(Path.GetTempPath(), "agenthost-cache");
        }
        return Path.Combine(cacheHome, "agenthost", "models");
    }

    /// <summary>Checks the settings, naming the bad one.</summary>
    /// <exception cref="ArgumentException">A setting is missing or malformed.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(RootDirectory))
            throw new ArgumentException("The model cache folder (RootDirectory) is empty.", nameof(RootDirectory));
        ParseEndpoint(HuggingFaceEndpoint?.OriginalString ?? "", nameof(HuggingFaceEndpoint));
        if (StallTimeout <= TimeSpan.Zero && StallTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentException($"StallTimeout must be positive or infinite, not {StallTimeout}.", nameof(StallTimeout));
        if (LockWaitTimeout < TimeSpan.Zero && LockWaitTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentException($"LockWaitTimeout must be zero, positive or infinite, not {LockWaitTimeout}.", nameof(LockWaitTimeout));
    }

    private static Uri ParseEndpoint(string text, string source)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            return uri;
        throw new ArgumentException($"{source} '{text}' is not an absolute http(s) URL (for example https://huggingface.co).", source);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
