using System.Text.Json.Nodes;

namespace Interweave.Simulators.Creatio;

/// <summary>Lookup values with Creatio's own ids, and (for demo) a small realistic sales pipeline.</summary>
internal static class CreatioDemoSeed
{
    public static readonly Guid ClosedWonStage = Guid.Parse("60d5310c-5be6-df11-971b-001d60e938c6");
    public static readonly Guid UsdCurrency = Guid.Parse("915e8a55-98d6-df11-9b2a-001d60e938c6");

    public static void Apply(CreatioData data, bool demo)
    {
        void Add(string entity, object values)
        {
            var body = System.Text.Json.JsonSerializer.SerializeToNode(values)!.AsObject();
            data.Insert(data.Model.Find(entity)!, body, CreatioData.SupervisorId);
        }

        Add("Contact", new { Id = CreatioData.SupervisorId, Name = "Supervisor" });
        Add("Currency", new { Id = UsdCurrency, Name = "US Dollar", Code = "USD", ShortName = "USD", Symbol = "$", Division = 100 });
        Add("Currency", new { Id = Guid.Parse("c1057119-53e6-df11-971b-001d60e938c6"), Name = "Euro", Code = "EUR", ShortName = "EUR", Symbol = "€", Division = 100 });
        foreach (var (id, name, number, end, success) in new[]
        {
            ("c2067b11-0ee0-df11-971b-001d60e938c6", "Qualification", 1, false, false),
            ("fb563df2-5ae6-df11-971b-001d60e938c6", "Presentation", 2, false, false),
            ("423774cb-5ae6-df11-971b-001d60e938c6", "Proposal", 3, false, false),
            ("60d5310c-5be6-df11-971b-001d60e938c6", "Closed won", 7, true, true),
            ("a9aafdfe-2242-4f42-8cd5-2ae3b9556d79", "Closed lost", 8, true, false),
        })
            Add("OpportunityStage", new { Id = Guid.Parse(id), Name = name, Number = number, End = end, Successful = success });
        foreach (var (id, name, final) in new[]
        {
            ("ae5f2f10-f46b-1410-fd9a-0050ba5d6c38", "New", false), ("7e9f1204-f46b-1410-fb9a-0050ba5d6c38", "In progress", false),
            ("ae7f411e-f46b-1410-009b-0050ba5d6c38", "Resolved", true), ("3e7f420c-f46b-1410-fc9a-0050ba5d6c38", "Closed", true),
        })
            Add("CaseStatus", new { Id = Guid.Parse(id), Name = name, IsFinal = final, IsResolved = final });
        foreach (var (id, name, priority) in new[]
        {
            ("afb33208-f46b-1410-ec8c-0050ba5d6c38", "Critical", 1), ("8b700f24-f46b-1410-ee8c-0050ba5d6c38", "High", 2),
            ("d9bd322c-f46b-1410-ee8c-0050ba5d6c38", "Medium", 3), ("cbb93036-f46b-1410-ef8c-0050ba5d6c38", "Low", 4),
        })
            Add("CasePriority", new { Id = Guid.Parse(id), Name = name, Priority = priority });
        Add("CaseOrigin", new { Id = Guid.Parse("5e5e202a-f46b-1410-3692-0050ba5d6c38"), Name = "Call" });
        Add("CaseOrigin", new { Id = Guid.Parse("7f9e1f1e-f46b-1410-3492-0050ba5d6c38"), Name = "Email" });
        Add("CaseCategory", new { Id = Guid.Parse("1b0bc159-150a-e111-a31b-00155d04c01d"), Name = "Incident" });
        Add("OpportunityType", new { Id = Guid.Parse("3c3865f2-ada4-480c-ac91-e2d39c5bbaf9"), Name = "Direct sale" });
        Add("Unit", new { Id = Guid.Parse("1c4c7d6e-1b5c-4d1b-9f52-0f6b7b0e1a01"), Name = "Piece", ShortName = "pcs" });

        if (!demo) return;

        var accounts = new[]
        {
            (Guid.Parse("a0000000-0000-4000-8000-000000000001"), "O'Brien & Sons <UK>", "Dublin"),
            (Guid.Parse("a0000000-0000-4000-8000-000000000002"), "Müller Maschinenbau GmbH", "Stuttgart"),
            (Guid.Parse("a0000000-0000-4000-8000-000000000003"), "Société Générale d'Électricité", "Lyon"),
            (Guid.Parse("a0000000-0000-4000-8000-000000000004"), "Acme Widgets, Inc.", "Portland"),
        };
        foreach (var (id, name, city) in accounts) Add("Account", new { Id = id, Name = name, Address = city, Phone = "+1 555 0100" });
        Add("Contact", new { Id = Guid.Parse("c0000000-0000-4000-8000-000000000001"), Name = "Siobhán O'Brien", AccountId = accounts[0].Item1, Email = "siobhan@obrien.example" });
        Add("Contact", new { Id = Guid.Parse("c0000000-0000-4000-8000-000000000002"), Name = "Jürgen Müller", AccountId = accounts[1].Item1, Email = "juergen@mueller.example" });

        var products = new[]
        {
            (Guid.Parse("b0000000-0000-4000-8000-000000000001"), "Standard Widget", "WIDGET-STD", 49.50m),
            (Guid.Parse("b0000000-0000-4000-8000-000000000002"), "Pro Widget \"XL\"", "WIDGET-PRO", 129.00m),
            (Guid.Parse("b0000000-0000-4000-8000-000000000003"), "Installation & Setup", "SVC-INSTALL", 450.00m),
        };
        foreach (var (id, name, code, price) in products) Add("Product", new { Id = id, Name = name, Code = code, Price = price, CurrencyId = UsdCurrency, Active = true });

        var opportunities = new[]
        {
            (Guid.Parse("d0000000-0000-4000-8000-000000000001"), "O'Brien & Sons — widget rollout", accounts[0].Item1, ClosedWonStage, new[] { (products[0].Item1, 10m, 49.50m), (products[2].Item1, 1m, 450m) }),
            (Guid.Parse("d0000000-0000-4000-8000-000000000002"), "Müller — Pro Widgets", accounts[1].Item1, Guid.Parse("423774cb-5ae6-df11-971b-001d60e938c6"), new[] { (products[1].Item1, 20m, 129m) }),
            (Guid.Parse("d0000000-0000-4000-8000-000000000003"), "Acme — first order", accounts[3].Item1, Guid.Parse("c2067b11-0ee0-df11-971b-001d60e938c6"), new[] { (products[0].Item1, 4m, 49.50m) }),
        };
        foreach (var (id, title, account, stage, lines) in opportunities)
        {
            Add("Opportunity", new { Id = id, Title = title, AccountId = account, StageId = stage, CurrencyId = UsdCurrency, Amount = lines.Sum(l => l.Item2 * l.Item3), DueDate = "2026-12-15T00:00:00Z" });
            foreach (var (product, quantity, price) in lines)
                Add("OpportunityProductInterest", new { OpportunityId = id, ProductId = product, Quantity = quantity, Price = price, Amount = quantity * price });
        }
    }
}
