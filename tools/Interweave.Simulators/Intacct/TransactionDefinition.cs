namespace Interweave.Simulators.Intacct;

/// <summary>A transaction definition of Order Entry: its name (DOCPARID), numbering prefix, and whether it posts an AR invoice.</summary>
internal sealed record TransactionDefinition(string Name, string Prefix, bool PostsArInvoice, string DefaultState);
