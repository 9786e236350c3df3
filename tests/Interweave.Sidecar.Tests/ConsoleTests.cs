using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Deque.AxeCore.Commons;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Interweave.Simulators.Creatio;
using Microsoft.Playwright;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// The admin console in real headless Chromium, against the sidecar as a real process and both simulators: what an
/// admin does on each page, by keyboard and mouse, at 1280 and 390 pixels wide, checked with axe-core. The pages'
/// screenshots go to INTERWEAVE_CONSOLE_SCREENSHOTS when it is set (docs/console/ holds the committed ones).
/// </summary>
public sealed partial class ConsoleTests(PostgresServer postgres, Chromium chromium)
    : SimulatedSystemsTestBase(StoreProvider.Sqlite, postgres, intacctRandomSeed: 61), IClassFixture<Chromium>
{
    private static readonly Guid OBrien = Guid.Parse("a0000000-0000-4000-8000-000000000001");
    private const string Hostile = "Evil <img src=x onerror=\"window.__pwned=1\"> & Co";
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("interweave-console-").FullName;
    private SidecarProcess? _process;
    private IBrowserContext? _context;
    private Uri? _address;

    private Uri Address => _address!;

    /// <summary>Starts the sidecar process on this test's store (both connections already stored) and a browser page on it.</summary>
    private async Task<IPage> OpenAsync(int width = 1280, string? timezone = null)
    {
        var browser = chromium.Require();
        _process = SidecarProcess.Start(_workingDirectory, SidecarProcessEnvironment(pageSize: 100), "--urls", "http://127.0.0.1:0");
        _address = await _process.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        _context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            BaseURL = Address.ToString(),
            TimezoneId = timezone,
            Locale = "en-US",
        });
        _context.SetDefaultTimeout(15_000);
        return await _context.NewPageAsync();
    }

    private static async Task SignInAsync(IPage page, string key = SidecarFactory.AdminKey)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("INTERWEAVE_CONSOLE_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }

    [Fact]
    public async Task Sign_in_works_by_keyboard_refuses_a_wrong_key_and_a_creatio_key_sees_the_status_only()
    {
        var page = await OpenAsync();
        await page.GotoAsync("/");
        await ScreenshotAsync(page, "sign-in");

        // Keyboard only: Tab past the skip link to the key field, type, Enter.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("iw-not-a-key-at-all-0000000000000000");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That key was not accepted.");

        await page.GetByLabel("API key").FillAsync(SidecarFactory.AdminKey);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Error queue", Exact = true })).ToBeVisibleAsync();
        Assert.Equal(SidecarFactory.AdminKey, await page.EvaluateAsync<string>("sessionStorage.getItem('interweave.apiKey')"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Interweave" })).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('interweave.apiKey')"));

        var creatioKey = (await CreateKeyAsync("package", "creatio")).Key;
        await SignInAsync(page, creatioKey);
        await Assertions.Expect(page.GetByText("creatio key (status only)")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Error queue", Exact = true })).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Intacct connection" })).ToContainTextAsync("connected");
        await page.GotoAsync("/#/keys");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not available" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Connections_show_intacct_s_error_and_correction_then_a_green_banner_naming_the_company()
    {
        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Connections" }).ClickAsync();
        var intacct = page.GetByRole(AriaRole.Form, new() { Name = "Intacct connection" });
        await Assertions.Expect(intacct.GetByLabel("Sender password")).ToHaveAttributeAsync("placeholder", "unchanged");
        await Assertions.Expect(intacct.GetByLabel("Sender password")).ToHaveValueAsync(""); // a secret is never shown back

        await intacct.GetByLabel("Sender password").FillAsync("wrong-sender-password");
        await intacct.GetByRole(AriaRole.Button, new() { Name = "Save and test" }).ClickAsync();
        var refusal = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(refusal).ToContainTextAsync("XL03000006");
        await Assertions.Expect(refusal).ToContainTextAsync("Correction: Check the Web Services sender ID and sender password.");
        await Assertions.Expect(refusal).ToContainTextAsync("Where to look:");
        await ScreenshotAsync(page, "connections-refused");

        await intacct.GetByLabel("Sender password").FillAsync(Intacct.Options.SenderPassword);
        await intacct.GetByRole(AriaRole.Button, new() { Name = "Save and test" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected to" }).First).ToContainTextAsync($"Connected to {Intacct.Options.CompanyId}");

        var creatio = page.GetByRole(AriaRole.Form, new() { Name = "Creatio connection" });
        await creatio.GetByLabel("Password").FillAsync("not-the-password");
        await creatio.GetByRole(AriaRole.Button, new() { Name = "Save and test" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Creatio");
        await creatio.GetByLabel("Password").FillAsync("Supervisor");
        await creatio.GetByRole(AriaRole.Button, new() { Name = "Save and test" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = Creatio.BaseAddress.ToString().TrimEnd('/') })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "connections");

        // OAuth 2.0 client credentials, the same pattern: a wrong secret is refused, the right one connects.
        await creatio.GetByLabel("Sign-in").SelectOptionAsync("oauth");
        await Assertions.Expect(creatio.GetByLabel("User name")).ToBeHiddenAsync();
        await creatio.GetByLabel("Client ID").FillAsync(Creatio.Options.ClientId);
        await creatio.GetByLabel("Client secret").FillAsync("not-the-secret");
        await creatio.GetByLabel("Identity service URL").FillAsync(Creatio.BaseAddress.ToString()); // the simulator issues tokens itself
        await creatio.GetByRole(AriaRole.Button, new() { Name = "Save and test" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("refused the client credentials");
        await creatio.GetByLabel("Client secret").FillAsync(Creatio.Options.ClientSecret);
        await creatio.GetByRole(AriaRole.Button, new() { Name = "Save and test" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = Creatio.BaseAddress.ToString().TrimEnd('/') })).ToBeVisibleAsync();
        var stored = await AdminClient().GetFromJsonAsync<JsonObject>("/api/connections/creatio", Cancellation);
        Assert.Equal(("oauth", "********"), ((string?)stored!["authMode"], (string?)stored["clientSecret"]));
    }

    [Fact]
    public async Task A_mapping_edit_is_saved_or_refused_in_place_and_a_run_is_followed_to_100_percent()
    {
        for (var i = 0; i < 30; i++)
            IntacctDirect.Create(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", $"UI-{i:000}"), new XElement("NAME", i == 29 ? Hostile : $"Console customer {i:000}"),
                new XElement("STATUS", "active")));
        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Flows", Exact = true }).ClickAsync();
        var row = page.Locator("tr[data-flow='intacct-customers']");
        await Assertions.Expect(row).ToContainTextAsync("every 15 minutes, from minute 5 (UTC)");
        await ScreenshotAsync(page, "flows");

        await row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Run now: ") }).ClickAsync();
        var progress = row.GetByRole(AriaRole.Progressbar);
        await Assertions.Expect(progress).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = 60_000 });
        await Assertions.Expect(row).ToContainTextAsync("succeeded");
        await Assertions.Expect(row).ToContainTextAsync("30 of 30 read");

        // The run's records, searched by a customer's name.
        await page.GetByRole(AriaRole.Link, new() { Name = "Runs", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex(@"^#\d+$") }).First.ClickAsync();
        await page.GetByLabel("Search").FillAsync("Console customer 007");
        var found = page.Locator("tbody tr");
        await Assertions.Expect(found).ToHaveCountAsync(1);
        await Assertions.Expect(found).ToContainTextAsync("UI-007");
        await ScreenshotAsync(page, "run-records");
        // Names from the systems are text, never markup: the hostile one shows as written and runs nothing.
        await page.GetByLabel("Search").FillAsync("UI-029");
        await Assertions.Expect(found).ToContainTextAsync(Hostile);
        Assert.Equal(0, await page.Locator("tbody img").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("window.__pwned === undefined"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Flows", Exact = true }).ClickAsync();
        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = "Mapping" })).ToBeVisibleAsync();
        // The systems' own fields are offered: Intacct's lookup (custom fields counted) and Creatio's $metadata.
        await Assertions.Expect(page.GetByText(new Regex(@"\d+ intacct fields of CUSTOMER \([1-9]\d* custom\) and \d+ creatio fields of Account"))).ToBeVisibleAsync();
        Assert.True(await page.Locator("#source-fields option[value='ACCOUNTID']").CountAsync() == 1);
        Assert.True(await page.Locator("#target-fields option[value='UsrIntacctCustomerId']").CountAsync() == 1);
        await page.GetByLabel("Quartz cron expression (UTC, seconds first)").FillAsync("0 0 6 * * ?");
        await Assertions.Expect(page.Locator("#schedule-preview")).ToHaveTextAsync("every day at 06:00 UTC");
        var constants = page.GetByLabel("Constant", new() { Exact = true });
        await constants.Last.FillAsync("x"); // a source and a constant: refused, with the field named, before anything is stored
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the flow" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("mapping[5]: Give exactly one of source");
        await Assertions.Expect(page.Locator("tr.row-error")).ToContainTextAsync("mapping[5]"); // under the row itself
        await Assertions.Expect(constants.Last).ToHaveAttributeAsync("aria-invalid", "true");
        var unchanged = await AdminClient().GetFromJsonAsync<JsonObject>("/api/flows/intacct-customers", Cancellation);
        Assert.Equal("0 5/15 * * * ?", (string?)unchanged!["schedule"]);

        await constants.Last.FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a field" }).ClickAsync();
        await page.GetByLabel("Target field").Last.FillAsync("UsrIntacctLastSyncError");
        await page.GetByLabel("Source field").Last.FillAsync("NAME");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the flow" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved." })).ToBeVisibleAsync();
        var saved = await AdminClient().GetFromJsonAsync<JsonObject>("/api/flows/intacct-customers", Cancellation);
        Assert.Equal("0 0 6 * * ?", (string?)saved!["schedule"]);
        Assert.Contains(saved["mapping"]!.AsArray(), m => (string?)m!["target"] == "UsrIntacctLastSyncError" && (string?)m["source"] == "NAME");
        await ScreenshotAsync(page, "flow-mapping");

        // The run's calls reach the dashboard: Intacct calls this month and each system's latency, under the Performance fold.
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await page.GetByText("Performance", new() { Exact = true }).ClickAsync();
        var calls = page.GetByRole(AriaRole.Region, new() { Name = "Intacct API calls this month" });
        await Assertions.Expect(calls.Locator(".metric")).Not.ToHaveTextAsync("0");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "intacct latency" })).ToContainTextAsync(new Regex(@"24 hours: p50 [\d.]+ m?s, p95 [\d.]+ m?s"));
        // Read at once with the 24 hours: the month's figures include this hour too.
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "intacct latency" })).ToContainTextAsync(new Regex(@"30 days: p50 [\d.]+ m?s, p95 [\d.]+ m?s"));
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "creatio latency" })).ToContainTextAsync(new Regex(@"24 hours: p50 [\d.]+ m?s"));
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { NameRegex = new Regex(@"^Intacct latency per hour, last 24 hours: p50 \d+ ms, p95 \d+ ms") })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { NameRegex = new Regex(@"^Creatio latency per day, last 30 days: p50 \d+ ms") })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "dashboard");
    }

    [Fact]
    public async Task A_bulk_load_started_in_the_browser_is_followed_to_its_end()
    {
        for (var c = 0; c < 3; c++)
        {
            IntacctDirect.Create(Intacct, new XElement("CUSTOMER", new XElement("CUSTOMERID", $"B-{c}"), new XElement("NAME", $"Bulk {c}"), new XElement("STATUS", "active")));
            for (var i = 0; i < 4; i++) IntacctDirect.Invoice(Intacct, $"B-{c}", new DateOnly(2026, 3, 1 + i), 100m + i);
        }

        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Flows", Exact = true }).ClickAsync();
        var card = page.GetByRole(AriaRole.Region, new() { Name = "Bulk history load" });
        await card.GetByLabel("From").FillAsync("2026-01-01");
        await card.GetByRole(AriaRole.Button, new() { Name = "Start a load" }).ClickAsync();
        // It asks first, with Intacct's counts: 3 customers and 12 invoices; a page of 100 per request and a count per step.
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Load 15 records from Intacct?" });
        await Assertions.Expect(confirm).ToContainTextAsync("3 customers, 0 items, 12 invoices, 0 adjustments, 0 payments");
        await Assertions.Expect(confirm).ToContainTextAsync("At least 10 Intacct requests");
        Assert.Empty((await AdminClient().GetFromJsonAsync<JsonArray>("/api/bulk-loads", Cancellation))!); // nothing started before the answer
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Start the load" }).ClickAsync();

        await Assertions.Expect(card.GetByRole(AriaRole.Progressbar, new() { Name = "Bulk load" })).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = 60_000 });
        await Assertions.Expect(card).ToContainTextAsync("succeeded");
        await Assertions.Expect(card).ToContainTextAsync("15 of 15"); // 3 customers and 12 invoices
        Assert.Equal(12, Creatio.Data.Rows("UsrIntacctInvoice").Count);
    }

    [Fact]
    public async Task Errors_are_grouped_by_cause_and_a_retry_from_the_group_clears_them()
    {
        for (var i = 0; i < 2; i++)
        {
            await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", $"C-90{i}"), ("NAME", $"Unlinked customer {i}"));
            IntacctDirect.Invoice(Intacct, $"C-90{i}", new DateOnly(2026, 11, 2), 120.00m + i);
        }

        await RunAsync("intacct-invoices");
        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Error queue", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Region).Filter(new() { HasText = "Retry all 2" })).ToHaveCountAsync(1); // both in one group
        await Assertions.Expect(page.GetByText("ACCOUNTID").First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "errors");

        // Someone links both customers in Intacct; a retry of the group then resolves them.
        for (var i = 0; i < 2; i++) IntacctDirect.Update(Intacct, "CUSTOMER", ("CUSTOMERID", $"C-90{i}"), ("ACCOUNTID", OBrien.ToString()));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await AdminClient().PostAsync($"/api/accounts/{OBrien}/sync", null, Cancellation)).StatusCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Retry all 2" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No open errors.")).ToBeVisibleAsync();
        Assert.Equal(2, Creatio.Data.Rows("UsrIntacctInvoice").Count);
    }

    [Fact]
    public async Task A_binding_run_report_is_reviewed_in_the_browser_and_only_the_accepted_pairs_are_committed()
    {
        var globex = Guid.NewGuid();
        var initech = Guid.NewGuid();
        lock (Creatio.Data.Lock)
        {
            Creatio.Data.Insert(Creatio.Data.Model.Find("Account")!, new JsonObject { ["Id"] = globex.ToString(), ["Name"] = "Globex Corporation" }, CreatioData.SupervisorId);
            Creatio.Data.Insert(Creatio.Data.Model.Find("Account")!, new JsonObject { ["Id"] = initech.ToString(), ["Name"] = "Initech, Inc." }, CreatioData.SupervisorId);
        }

        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-GLX"), ("NAME", "GLOBEX corporation"));
        await IntacctDirect.CreateAsync(Intacct, "CUSTOMER", ("CUSTOMERID", "C-INI"), ("NAME", "Initech"));
        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Bindings" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start a dry run" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("Binding run #\\d+: account-customer") })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Accept Initech, Inc. with Initech" }).UncheckAsync();
        await ScreenshotAsync(page, "binding-run");
        await page.GetByRole(AriaRole.Button, new() { Name = "Commit the accepted pairs" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Link 1 pair?" });
        await Assertions.Expect(confirm).ToContainTextAsync("Writes the Creatio Id into ACCOUNTID of 1 customer in Intacct, and the Intacct id into 1 account in Creatio.");
        await Assertions.Expect(confirm).ToContainTextAsync("1 pair you unticked stays unlinked.");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Link 1 pair" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Committed:" })).ToBeVisibleAsync();

        Assert.Equal("C-GLX", (string?)Creatio.Data.Find("Account", globex)!["UsrIntacctCustomerId"]);
        Assert.True(string.IsNullOrEmpty((string?)Creatio.Data.Find("Account", initech)!["UsrIntacctCustomerId"])); // rejected: left alone
        Assert.Equal(globex.ToString(), Intacct.Gateway.Company.All("CUSTOMER").Single(c => c.Element("CUSTOMERID")!.Value == "C-GLX").Element("ACCOUNTID")?.Value);

        // A pull then runs over the now-linked customer; its history shows on the bindings page.
        await RunAsync("intacct-customers");
        await page.GetByRole(AriaRole.Link, new() { Name = "← Bindings" }).ClickAsync();
        await page.GetByLabel("Search").FillAsync("C-GLX");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = globex.ToString() })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "History of C-GLX" }).ClickAsync();
        var history = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "intacct-customers" });
        await Assertions.Expect(history.First).ToContainTextAsync("C-GLX");
        await ScreenshotAsync(page, "bindings");
    }

    [Fact]
    public async Task The_audit_page_shows_who_changed_a_flow_and_an_operator_sees_runs_and_errors_but_no_settings()
    {
        var page = await OpenAsync();
        using var admin = AdminClientFor(Address);
        var ops = await (await admin.PostAsJsonAsync("/api/keys", new { name = "ops on call", role = "admin" }, Cancellation)).Content.ReadFromJsonAsync<Interweave.Sidecar.Api.CreatedApiKey>(Cancellation);
        using var opsClient = AdminClientFor(Address);
        opsClient.DefaultRequestHeaders.Remove("X-Api-Key");
        opsClient.DefaultRequestHeaders.Add("X-Api-Key", ops!.Key);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await opsClient.PutAsJsonAsync("/api/flows/intacct-payments", new { schedule = "0 0 6 * * ?" }, Cancellation)).StatusCode);
        var finance = await (await admin.PostAsJsonAsync("/api/keys", new { name = "finance lead", role = "operator" }, Cancellation)).Content.ReadFromJsonAsync<Interweave.Sidecar.Api.CreatedApiKey>(Cancellation);

        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await page.GetByLabel("Show").SelectOptionAsync("flow");
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Audit log" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "intacct-payments" });
        await Assertions.Expect(row).ToContainTextAsync("ops on call");
        await Assertions.Expect(row).ToContainTextAsync("schedule: 0 0/15 * * * ? → 0 0 6 * * ?");
        await ScreenshotAsync(page, "audit");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await SignInAsync(page, finance!.Key);
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Console" });
        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Runs" })).ToBeVisibleAsync();
        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Error queue" })).ToBeVisibleAsync();
        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToBeHiddenAsync();
        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Connections" })).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Records waiting on an error" })).ToBeVisibleAsync(); // the dashboard's operations cards
        await nav.GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_new_key_is_shown_once_with_a_copy_button_and_a_revoked_key_stops_working()
    {
        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Creatio production");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var key = await page.Locator("#new-key").TextContentAsync();
        Assert.StartsWith("iw_", key);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy the key" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "keys");

        using var withKey = new HttpClient { BaseAddress = Address };
        withKey.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await withKey.GetAsync("/api/status", Cancellation)).StatusCode);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke Creatio production" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Creatio production" })).ToContainTextAsync("revoked");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await withKey.GetAsync("/api/status", Cancellation)).StatusCode);
        await page.ReloadAsync(); // the key is shown once: nothing shows it again
        await Assertions.Expect(page.GetByText(key!)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Behind_a_proxy_that_serves_it_under_a_path_prefix_the_console_signs_in_and_runs_a_flow()
    {
        var page = await OpenAsync();
        await using var proxy = await PrefixProxy.StartAsync(Address, "/interweave");
        var prefixed = new Uri(proxy.Address, "/interweave/");

        await page.GotoAsync(prefixed.ToString());
        await page.GetByLabel("API key").FillAsync(SidecarFactory.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Flows", Exact = true }).ClickAsync();
        var row = page.Locator("tr[data-flow='intacct-invoices']");
        await row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Run now: ") }).ClickAsync();
        await Assertions.Expect(row.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = 60_000 });
        Assert.StartsWith(prefixed.ToString(), page.Url); // never left the prefix
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task Every_page_has_no_serious_accessibility_violations_and_fits_the_width(int width)
    {
        await RunAsync("intacct-customers");
        var page = await OpenAsync(width);
        await SignInAsync(page);
        foreach (var (route, heading) in new[] { ("#/", "Dashboard"), ("#/connections", "Connections"), ("#/flows", "Flows"), ("#/flows/intacct-invoices", "Intacct invoices to Creatio"),
                     ("#/runs", "Runs"), ("#/errors", "Error queue"), ("#/bindings", "Bindings"), ("#/keys", "API keys") })
        {
            await page.GotoAsync($"/{route}");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = heading })).ToBeVisibleAsync();
            var serious = await SeriousAccessibilityViolationsAsync(page);
            Assert.True(serious.Count == 0, $"{route} at {width} px: {string.Join("; ", serious)}");
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{route} at {width} px is {overflow} px wider than the window");
            if (width == 390 && route == "#/flows") await ScreenshotAsync(page, "flows-390");
            if (width == 1280 && route == "#/runs") await ScreenshotAsync(page, "runs");
        }
    }

    private static readonly string AxeScript = new BundledAxeScriptProvider().GetScript();

    /// <summary>
    /// axe-core's serious and critical violations on the page as it stands. The script is loaded once per document
    /// (the console's routes change only the fragment) and asked for violations alone: Deque's RunAxe loads it
    /// again for each call and sends every passing check back, which took 2 to 4 s a page instead of 0.3 s.
    /// </summary>
    private static async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'")) await page.EvaluateAsync(AxeScript);
        return await page.EvaluateAsync<string[]>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id}: ${v.help} (${v.nodes.slice(0, 2).map(n => n.html).join(', ')})`)
            """);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_context is not null) await _context.DisposeAsync();
        if (_process is not null) await _process.DisposeAsync();
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
