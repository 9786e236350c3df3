using System.Net;

namespace Interweave.Sidecar.Flows.Engine;

/// <summary>
/// How text from records (labels, error messages: a Creatio or Intacct user can type any of it) is written into a
/// Case, so that markup never renders (security review 2026-12-07, F2). Symptoms is rich text in Creatio: the Case
/// pages edit it with crt.RichTextEditor (Cases_FormPage) and a MemoEdit of ContentType.RICH_TEXT (CasePage), in the
/// 8.1.0.6704 install on GitHub (shiva01chh/CreatioDemoProject, conf/content/); so it gets HTML-encoded text with a
/// &lt;br&gt; per line break. Subject is a plain text field: angle brackets are dropped.
/// </summary>
public static class CaseText
{
    public static string Subject(string text) => text.Replace("<", "", StringComparison.Ordinal).Replace(">", "", StringComparison.Ordinal);

    public static string Symptoms(string text) =>
        WebUtility.HtmlEncode(text.Replace("\r\n", "\n", StringComparison.Ordinal)).Replace("\n", "<br>", StringComparison.Ordinal);
}
