using AgentHost.Plugins.CustomerService;
using AgentHost.Plugins.CustomerService.Storage;

// Usage: TicketWriter DATABASE [MAX]. Creates tickets one after another and prints "ACK <id> <subject>" only after
// each commit, the moment a support assistant would tell the customer the id. It is meant to be killed; MAX bounds
// it in case nobody does.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: TicketWriter DATABASE [MAX]");
    return 2;
}
var max = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000;
var database = new SupportDatabase(args[0]);
var tickets = new TicketRepository(database);
await database.MigrateAsync();
Console.Out.WriteLine("READY");
Console.Out.Flush();
for (var i = 1; i <= max; i++)
{
    var subject = $"durability ticket {i}";
    var ticket = await tickets.CreateAsync(new NewTicket("C-KILL", subject, $"created by process {Environment.ProcessId}", TicketPriority.High, RequestId: $"kill-{i}"));
    Console.Out.WriteLine($"ACK {ticket.TicketId} {subject}");
    Console.Out.Flush();
}
return 0;
