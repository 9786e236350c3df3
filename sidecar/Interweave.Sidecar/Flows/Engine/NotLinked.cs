namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// The refusal of a pairing only the Creatio side claims: an Intacct id in a Creatio column (which a Creatio user can
/// type) that the Intacct record's own key field does not confirm. Such records are paired only by a committed binding
/// run or an admin's link call (security review 2026-12-07, F1); until then neither side is touched.
/// </summary>
public static class NotLinked
{
    public const string Kind = "not-linked";

    public static MappingException Refusal(PairedObjects pair, string creatioId, string intacctId) => new(Kind,
        $"{pair.CreatioEntity} {creatioId} names Intacct {pair.IntacctObject} {intacctId} in {pair.IntacctIdColumn}, but the two are not linked: "
        + $"{pair.IntacctObject} {intacctId} does not name it in {pair.KeyField}, and an id typed in Creatio never links records.",
        $"If they belong together, an admin links them: PUT /api/bindings/{pair.Kind}/{creatioId} with {{\"intacctId\": \"{intacctId}\"}}. "
        + $"If not, DELETE /api/bindings/{pair.Kind}/{creatioId} clears {pair.IntacctIdColumn}; a binding run can then pair the {pair.CreatioEntity.ToLowerInvariant()} by name, "
        + "or Sync with Intacct make its own. Then retry.");
}
