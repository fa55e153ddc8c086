using System.Text.Json;
using AgentHost.Plugins.Structured;

namespace AgentHost.Plugins.CustomerService.Storage;

/// <summary>Loads orders from a JSON array (snake_case, as in samples/CustomerServiceBot/data/orders.json) into the database.</summary>
public static class OrderImport
{
    public static async Task<int> ImportJsonAsync(string path, OrderRepository orders, CancellationToken cancellationToken = default)
    {
        List<Order>? list;
        await using (var stream = File.OpenRead(path))
        {
            try
            {
                list = await JsonSerializer.DeserializeAsync<List<Order>>(stream, StructuredOutput.JsonOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path} is not a JSON array of orders: {ex.Message}", ex);
            }
        }
        foreach (var order in list ?? []) await orders.UpsertAsync(order, cancellationToken).ConfigureAwait(false);
        return list?.Count ?? 0;
    }
}
