using Interweave.Sidecar.Storage;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Creatio;

/// <summary>
/// The addresses of record pages in Creatio. A record is addressed the way Creatio links to one itself, through its
/// navigation service: <c>{site}/Navigation/Navigation.aspx?schemaName={entity}&amp;recordId={id}</c>. Creatio's
/// NavigationServiceUtility client module builds record links from that template under the site's loader base
/// (<c>…/0/</c>), and the Creatio Mobile FAQ gives the same format for links to a record
/// (https://academy.creatio.com/docs/8.x/mobile/basics/mobile-application-faq, "How does the app open Creatio links?").
/// The service opens the page the site registers for the entity, Freedom UI or classic (the package registers its two
/// entities' pages in SysModuleEntity and SysModule), so the sidecar names no page schema: the classic form
/// <c>Nui/ViewModule.aspx#CardModuleV2/CasePage/edit/{id}</c> named one, and a site whose Case page is Freedom UI's
/// Cases_FormPage does not open it.
/// </summary>
public sealed class CreatioLinks(ConnectionSettingsStore connections, IOptions<CreatioOptions> options)
{
    /// <summary>The Creatio site's root for page addresses (with /0 where its OData lives under /0), or null before it is configured.</summary>
    public async Task<string?> SiteAsync(CancellationToken cancellationToken) =>
        await connections.GetAsync<CreatioConnectionSettings>(CreatioConnectionSettings.System, cancellationToken) is { } settings
            ? settings.BaseUrl.TrimEnd('/') + (options.Value.ODataPath.Trim('/').StartsWith("0/", StringComparison.Ordinal) ? "/0" : "")
            : null;

    /// <summary>The page of one record; null without a site, or for an id that is not a record's Id (a GUID).</summary>
    public static string? RecordUrl(string? site, string entity, string? id) =>
        site is null || !Guid.TryParse(id, out var recordId) ? null
            : $"{site}/Navigation/Navigation.aspx?schemaName={Uri.EscapeDataString(entity)}&recordId={recordId:D}";
}
