using System.Globalization;
using System.Text.Json;

namespace AgentHost.Plugins.CustomerService.Storage;

/// <summary>How values are written to the support database: ISO 8601 UTC times, snake_case enum names.</summary>
internal static class StorageFormat
{
    public static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public static string Enum<T>(T value) where T : struct, System.Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static T ParseEnum<T>(string value) where T : struct, System.Enum =>
        System.Enum.Parse<T>(value.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    public static object Db(string? value) => value is null ? DBNull.Value : value;
}
