using Interweave.Sidecar.Flows;

namespace Interweave.Sidecar.Tests;

/// <summary>The name the binding run matches on: what people type differently in two systems does not count, anything else does.</summary>
public sealed class NameMatchingTests
{
    [Theory]
    [InlineData("Acme Widgets, Inc.", "acme widgets")]
    [InlineData("ACME   WIDGETS", "acme widgets")]
    [InlineData("O'Brien & Sons <UK>", "obrien and sons uk")]
    [InlineData("O’BRIEN AND SONS (UK) LTD", "obrien and sons uk")]
    [InlineData("Müller Maschinenbau GmbH", "muller maschinenbau")]
    [InlineData("Société Générale d'Électricité S.A.", "societe generale delectricite")]
    [InlineData("Nordic Trading A/S", "nordic trading")]
    [InlineData("Smith & Co.", "smith")]
    [InlineData("Globex Corporation", "globex")]
    [InlineData("Initech L.L.C.", "initech")]
    [InlineData("Company", "company")] // a suffix alone is a name
    [InlineData("Inc Ltd", "inc")]
    [InlineData("ＡＣＭＥ", "acme")] // full-width letters
    [InlineData("Nørrebro Design ApS", "norrebro design")]
    [InlineData("Straße & Söhne GmbH", "strasse and sohne")]
    [InlineData("Łódź Trading", "lodz trading")]
    [InlineData("  ", "")]
    [InlineData(null, "")]
    public void Names_that_differ_only_in_case_accents_spacing_punctuation_and_legal_form_normalize_alike(string? name, string expected)
    {
        Assert.Equal(expected, NameMatching.Normalize(name));
    }

    [Theory]
    [InlineData("Acme Widgets", "Acme Widget")]
    [InlineData("Globex East", "Globex West")]
    [InlineData("Initech 2", "Initech")]
    public void Near_misses_stay_apart(string one, string other)
    {
        Assert.NotEqual(NameMatching.Normalize(one), NameMatching.Normalize(other));
    }
}
