using System.Net;
using Microsoft.Extensions.Options;

namespace AgentHost.Cluster.Options;

/// <summary>Checks what data annotations cannot: connection strings the chosen providers need, a parseable address, distinct ports.</summary>
internal sealed class AgentHostClusterOptionsValidator : IValidateOptions<AgentHostClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentHostClusterOptions options)
    {
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static IEnumerable<string> Problems(AgentHostClusterOptions o)
    {
        if (o.Provider != ClusterProvider.Localhost && string.IsNullOrWhiteSpace(o.ConnectionString))
            yield return $"Cluster:ConnectionString is required with Cluster:Provider={o.Provider}.";
        if (o.SessionStore != SessionStoreProvider.Memory && string.IsNullOrWhiteSpace(o.SessionStoreConnectionString ?? o.ConnectionString))
            yield return $"Cluster:SessionStoreConnectionString (or Cluster:ConnectionString) is required with Cluster:SessionStore={o.SessionStore}.";
        if (!IPAddress.TryParse(o.AdvertisedAddress, out _))
            yield return $"Cluster:AdvertisedAddress must be an IP address, got '{o.AdvertisedAddress}'.";
        if (o.SiloPort == o.GatewayPort && o.SiloPort != 0)
            yield return $"Cluster:SiloPort and Cluster:GatewayPort must differ (both {o.SiloPort}).";
        if (!Enum.IsDefined(o.Provider)) yield return $"Cluster:Provider must be Localhost, Redis or PostgreSQL, got '{o.Provider}'.";
        if (!Enum.IsDefined(o.SessionStore)) yield return $"Cluster:SessionStore must be Memory, Redis or PostgreSQL, got '{o.SessionStore}'.";
    }

    /// <summary>Throws an <see cref="OptionsValidationException"/> naming every bad key (also the data annotations).</summary>
    public static void ThrowIfInvalid(AgentHostClusterOptions o)
    {
        var failures = new List<string>();
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(o, new(o), results, validateAllProperties: true))
            failures.AddRange(results.Select(r => r.ErrorMessage?.Contains("Cluster:") == true ? r.ErrorMessage : $"Cluster:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        failures.AddRange(Problems(o));
        if (failures.Count > 0) throw new OptionsValidationException(AgentHostClusterOptions.SectionName, typeof(AgentHostClusterOptions), failures);
    }
}
