using System.Text.Json;
using Interweave.Sidecar.Flows;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Quartz;

namespace Interweave.Sidecar.Api;

/// <summary>A flow as the API shows it: the definition plus an admin's choices and where its pulls stand.</summary>
public sealed record FlowView(
    string Id, string Name, string Description, string Kind, int TemplateVersion, bool Enabled, string? Schedule,
    IReadOnlyDictionary<string, string> Settings, DateTimeOffset? Watermark, FlowEndpoint Source, FlowEndpoint Target,
    IReadOnlyList<FieldMap> Mapping, IReadOnlyList<FlowFilter> Filter, string? RollUp, string? Binding)
{
    public static FlowView From(StoredFlow stored)
    {
        var d = stored.Parse();
        return new FlowView(d.Id, d.Name, d.Description, d.Kind, stored.TemplateVersion, stored.Enabled, stored.Schedule, stored.ParsedSettings(),
            stored.Watermark, d.Source, d.Target, d.Mapping, d.Filter, d.RollUp, d.Binding);
    }
}

/// <summary>What an admin may change: each property left out stays as it is.</summary>
public sealed record FlowChange(bool? Enabled, string? Schedule, IReadOnlyDictionary<string, string>? Settings, IReadOnlyList<FieldMap>? Mapping, IReadOnlyList<FlowFilter>? Filter);

public static partial class FlowsApi
{
    public static IEndpointRouteBuilder MapFlows(this IEndpointRouteBuilder endpoints)
    {
        var flows = endpoints.MapGroup("/api/flows").WithTags("Flows").RequireAuthorization(Policies.Admin);
        flows.MapGet("/", List).WithName("ListFlows");
        flows.MapGet("/{flowId}", Get).WithName("GetFlow").ProducesProblem(StatusCodes.Status404NotFound);
        flows.MapPut("/{flowId}", Update).WithName("UpdateFlow").ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem();
        flows.MapPost("/{flowId}/runs", StartRun).WithName("StartFlowRun")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var runs = endpoints.MapGroup("/api/runs").WithTags("Runs").RequireAuthorization(Policies.Admin);
        runs.MapGet("/", ListRuns).WithName("ListRuns");
        runs.MapGet("/{runId:long}", GetRun).WithName("GetRun").ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapGet("/{runId:long}/records", ListRunRecords).WithName("ListRunRecords").ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    internal static async Task<Ok<FlowView[]>> List(FlowStore flows, CancellationToken cancellationToken) =>
        TypedResults.Ok((await flows.ListAsync(cancellationToken)).Select(FlowView.From).ToArray());

    internal static async Task<Results<Ok<FlowView>, ProblemHttpResult>> Get(string flowId, FlowStore flows, CancellationToken cancellationToken) =>
        await flows.GetAsync(flowId, cancellationToken) is { } flow ? TypedResults.Ok(FlowView.From(flow)) : NotFound(flowId);

    /// <summary>Enable, disable, schedule (Quartz cron, UTC, seconds first), change settings, mapping or filter.</summary>
    internal static async Task<Results<Ok<FlowView>, ProblemHttpResult, ValidationProblem>> Update(
        string flowId, FlowChange change, FlowStore flows, FlowScheduler scheduler, CancellationToken cancellationToken)
    {
        if (await flows.GetAsync(flowId, cancellationToken) is not { } stored) return NotFound(flowId);
        var definition = stored.Parse();
        var errors = new Dictionary<string, string[]>();
        if (!string.IsNullOrWhiteSpace(change.Schedule) && !CronExpression.TryParse(change.Schedule, out _))
            errors["schedule"] = [$"'{change.Schedule}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week), e.g. \"0 0/15 * * * ?\"."];
        if (change.Mapping is { } mapping)
        {
            foreach (var (field, index) in mapping.Select((f, i) => (f, i)))
            {
                if (field is null)
                {
                    errors[$"mapping[{index}]"] = ["A mapping entry cannot be null."];
                    continue;
                }

                if (string.IsNullOrWhiteSpace(field.Target)) errors[$"mapping[{index}].target"] = ["Name the target field."];
                var ways = new[] { field.Source is not null, field.Constant is not null, field.Sources is { Count: > 0 } }.Count(w => w);
                if (ways != 1) errors[$"mapping[{index}]"] = ["Give exactly one of source, sources (with format) or constant."];
                if (field.Type is not ("text" or "decimal" or "int" or "date" or "datetime" or "guid" or "bool")) errors[$"mapping[{index}].type"] = ["Use text, decimal, int, date, datetime, guid or bool."];
                if (field.Lookup is { } lookup && (lookup.Ways != 1 || (lookup.Entity is null) != (lookup.By is null)))
                    errors[$"mapping[{index}].lookup"] = ["Give exactly one of binding, flow, or entity with by (a Creatio object and the column that holds the value)."];
                else if (field.Lookup?.Binding is { } kind && kind is not (BindingKinds.AccountCustomer or BindingKinds.ProductItem or BindingKinds.OpportunityDocument))
                    errors[$"mapping[{index}].lookup.binding"] = [$"Use {BindingKinds.AccountCustomer}, {BindingKinds.ProductItem} or {BindingKinds.OpportunityDocument}."];
                if (field.SystemOfRecord is not (null or "intacct" or "creatio")) errors[$"mapping[{index}].systemOfRecord"] = ["Use intacct or creatio."];
                if (flowId == SendOpportunityToIntacct.FlowId && SendOpportunityToIntacct.FieldsItSets.Contains(field.Target, StringComparer.Ordinal))
                    errors[$"mapping[{index}].target"] = [$"Send to Intacct sets {field.Target} itself ({string.Join(", ", SendOpportunityToIntacct.FieldsItSets)}); map other header elements."];
                else if (flowId == SendOpportunityToIntacct.FlowId && !SendOpportunityToIntacct.IsMappableHeader(field.Target))
                    errors[$"mapping[{index}].target"] = [$"{field.Target} is not a header element of create_sotransaction; use one of {string.Join(", ", SendOpportunityToIntacct.SalesTransactionElements.Where(SendOpportunityToIntacct.IsMappableHeader))} (lower case, as Intacct names them)."];
            }
        }

        // Filters travel in the OData query string of every run. Creatio on IIS refuses query strings longer than
        // 2,048 bytes by default (requestLimits maxQueryString, learn.microsoft.com/en-us/iis/wmi-provider/requestlimitselement-class),
        // so conditions are kept short and few. That Creatio keeps IIS's default is our assumption.
        if (change.Filter is { Count: > MaxFilterConditions } tooMany)
            errors["filter"] = [$"Use at most {MaxFilterConditions} conditions (there are {tooMany.Count})."];
        else if (change.Filter is { } filter)
            foreach (var (condition, index) in filter.Select((f, i) => (f, i)))
            {
                if (condition is null)
                {
                    errors[$"filter[{index}]"] = ["A filter entry cannot be null."];
                    continue;
                }

                // Checked now, so that no later run fails on it: the field is a name, the value is there.
                if (string.IsNullOrWhiteSpace(condition.Field) || condition.Field.Length > MaxFilterFieldLength || !FieldName().IsMatch(condition.Field))
                    errors[$"filter[{index}].field"] = [$"Name the source field (letters, digits and underscores, with dots for related fields; at most {MaxFilterFieldLength} characters)."];
                if (condition.Op is not ("equals" or "notEquals")) errors[$"filter[{index}].op"] = ["Use equals or notEquals."];
                if (condition.Value is null) errors[$"filter[{index}].value"] = ["Give the value to compare with (\"\" for empty)."];
                else if (condition.Value.Any(char.IsControl)) errors[$"filter[{index}].value"] = ["The value must not contain control characters."];
                else if (condition.Value.Length > MaxFilterValueLength) errors[$"filter[{index}].value"] = [$"The value must be at most {MaxFilterValueLength} characters long."];
            }

        if (change.Settings is { } settings)
            foreach (var key in settings.Keys.Where(k => !definition.Settings.ContainsKey(k)))
                errors[$"settings.{key}"] = [$"Flow '{flowId}' has no setting '{key}'. Known: {string.Join(", ", definition.Settings.Keys)}."];
        var merged = new Dictionary<string, string>(stored.ParsedSettings());
        foreach (var (key, value) in change.Settings ?? new Dictionary<string, string>()) merged[key] = value;
        if (change.Settings?.GetValueOrDefault("documentType") is { } documentType && !SendOpportunityToIntacct.DocumentTypes.Contains(documentType))
            errors["settings.documentType"] = ["Use \"Sales Order\", \"Sales Invoice\" or \"AR Invoice\"."];
        else if (flowId == SendOpportunityToIntacct.FlowId && merged.GetValueOrDefault("documentType") == SendOpportunityToIntacct.ArInvoice
                 && string.IsNullOrWhiteSpace(merged.GetValueOrDefault("arRevenueAccount")))
            errors["settings.arRevenueAccount"] = ["An AR invoice needs the GL account its lines post to (e.g. \"4000\")."];
        if (change.Settings?.GetValueOrDefault("dueInDays") is { } dueInDays && !(int.TryParse(dueInDays, out var days) && days is >= 0 and <= 3650))
            errors["settings.dueInDays"] = ["Use a whole number of days from 0 to 3650."];
        if (change.Settings?.GetValueOrDefault("sendCurrency") is { } sendCurrency && sendCurrency is not ("true" or "false"))
            errors["settings.sendCurrency"] = ["Use \"true\" or \"false\"."];
        if (change.Settings?.GetValueOrDefault(PushToIntacct.ScopeSetting) is { } scope && scope is not ("linked" or "all"))
            errors["settings.scope"] = ["Use \"linked\" (only records already paired) or \"all\" (pair or create every changed record)."];
        if (change.Settings?.GetValueOrDefault(PullFromIntacct.CreateInCreatioSetting) is { } create && create is not ("true" or "false"))
            errors["settings.createInCreatio"] = ["Use \"true\" or \"false\"."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        definition = definition with { Mapping = change.Mapping ?? definition.Mapping, Filter = change.Filter ?? definition.Filter };
        var updated = stored with
        {
            Definition = JsonSerializer.Serialize(definition, FlowDefinition.Json),
            EnabledValue = (change.Enabled ?? stored.Enabled) ? 1 : 0,
            Schedule = change.Schedule is null ? stored.Schedule : string.IsNullOrWhiteSpace(change.Schedule) ? null : change.Schedule,
            Settings = JsonSerializer.Serialize(merged, FlowDefinition.Json),
        };
        await flows.UpdateAsync(updated, cancellationToken);
        updated = (await flows.GetAsync(flowId, cancellationToken))!;
        await scheduler.RescheduleAsync(updated, cancellationToken);
        return TypedResults.Ok(FlowView.From(updated));
    }

    /// <summary>Starts a run now; it continues in the background. Follow it at the Location given.</summary>
    internal static async Task<Results<Accepted<FlowRun>, ProblemHttpResult>> StartRun(string flowId, FlowRunner runner, CancellationToken cancellationToken)
    {
        try
        {
            var run = await runner.StartAsync(flowId, "manual", cancellationToken);
            return TypedResults.Accepted($"/api/runs/{run.Id}", run);
        }
        catch (RunRefusedException ex)
        {
            return TypedResults.Problem(title: "The run did not start.", detail: ex.Message, statusCode: ex.Status);
        }
    }

    internal static async Task<Ok<FlowRun[]>> ListRuns(string? flowId, int? limit, FlowStore flows, CancellationToken cancellationToken) =>
        TypedResults.Ok((await flows.ListRunsAsync(flowId, Math.Clamp(limit ?? 50, 1, 500), cancellationToken)).ToArray());

    internal static async Task<Results<Ok<FlowRun>, ProblemHttpResult>> GetRun(long runId, FlowStore flows, CancellationToken cancellationToken) =>
        await flows.GetRunAsync(runId, cancellationToken) is { } run ? TypedResults.Ok(run) : RunNotFound(runId);

    internal static async Task<Results<Ok<FlowRunRecord[]>, ProblemHttpResult>> ListRunRecords(long runId, FlowStore flows, CancellationToken cancellationToken) =>
        await flows.GetRunAsync(runId, cancellationToken) is null ? RunNotFound(runId) : TypedResults.Ok((await flows.ListRunRecordsAsync(runId, cancellationToken)).ToArray());

    private static ProblemHttpResult NotFound(string flowId) =>
        TypedResults.Problem(title: "No such flow.", detail: $"There is no flow '{flowId}'. GET /api/flows lists them.", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult RunNotFound(long runId) =>
        TypedResults.Problem(title: "No such run.", detail: $"There is no run {runId}.", statusCode: StatusCodes.Status404NotFound);

    private const int MaxFilterConditions = 20;
    private const int MaxFilterFieldLength = 128; // SQL Server's identifier limit (sysname), which Creatio's column names live under
    private const int MaxFilterValueLength = 500;

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial System.Text.RegularExpressions.Regex FieldName();
}
