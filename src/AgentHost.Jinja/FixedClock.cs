namespace AgentHost.Jinja;

/// <summary>A <see cref="TimeProvider"/> frozen at one instant, for reproducible prompts and tests.</summary>
public sealed class FixedClock(DateTimeOffset now, TimeZoneInfo? localZone = null) : TimeProvider
{
    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone { get; } = localZone ?? TimeZoneInfo.Utc;
}
