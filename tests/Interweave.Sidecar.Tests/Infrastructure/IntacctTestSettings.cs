using Interweave.Sidecar.Intacct;
using Interweave.Simulators.Intacct;

namespace Interweave.Sidecar.Tests.Infrastructure;

internal static class IntacctTestSettings
{
    public static IntacctConnectionSettings For(IntacctSimulator simulator, Func<IntacctConnectionSettings, IntacctConnectionSettings>? change = null)
    {
        var o = simulator.Options;
        var settings = new IntacctConnectionSettings(o.CompanyId, o.SenderId, o.SenderPassword, o.UserId, o.UserPassword, null, simulator.EndpointUrl.ToString());
        return change is null ? settings : change(settings);
    }

    /// <summary>The request body for PUT /api/connections/intacct.</summary>
    public static object Request(IntacctSimulator simulator, string? userPassword = null, string? senderId = null, string? senderPassword = null) => new
    {
        companyId = simulator.Options.CompanyId,
        senderId = senderId ?? simulator.Options.SenderId,
        senderPassword = senderPassword ?? simulator.Options.SenderPassword,
        userId = simulator.Options.UserId,
        userPassword = userPassword ?? simulator.Options.UserPassword,
        endpointUrl = simulator.EndpointUrl.ToString(),
    };
}
