using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>A condition over one record, built from a readByQuery string or a query filter element.</summary>
internal delegate bool RecordPredicate(XElement record);

/// <summary>
/// Compares field values the way the object types them: dates as dates, numbers as numbers, text as text.
/// </summary>
internal static class FieldComparison
{
    public static int? Compare(ObjectDef definition, string field, string? actual, string literal, bool caseInsensitive)
    {
        if (actual is null) return null;
        var kind = IntacctValues.FieldAt(definition, field)?.Kind ?? FieldKind.Text;
        switch (kind)
        {
            case FieldKind.Date or FieldKind.DateTime:
                if (!IntacctValues.TryParseDate(literal, out var wanted))
                    throw IntacctFunctionException.Business($"'{literal}' is not a date; use MM/DD/YYYY or MM/DD/YYYY HH:MM:SS.", "Correct the date in the query.", "Invalid query");
                return IntacctValues.TryParseDate(actual, out var have) ? have.CompareTo(wanted) : null;
            case FieldKind.Integer or FieldKind.Decimal:
                if (!IntacctValues.TryParseDecimal(literal, out var number))
                    throw IntacctFunctionException.Business($"'{literal}' is not a number for {field}.", "Correct the value in the query.", "Invalid query");
                return IntacctValues.TryParseDecimal(actual, out var value) ? value.CompareTo(number) : null;
            default:
                return caseInsensitive ? string.Compare(actual, literal, StringComparison.OrdinalIgnoreCase) : string.CompareOrdinal(actual, literal);
        }
    }

    /// <summary>SQL LIKE: % any run, _ one character.</summary>
    public static bool Like(string? actual, string pattern, bool caseInsensitive)
    {
        if (actual is null) return false;
        var regex = "^" + string.Concat(pattern.Select(c => c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) })) + "$";
        return Regex.IsMatch(actual, regex, (caseInsensitive ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}

/// <summary>
/// Parses readByQuery's SQL-like query: comparisons (= != &lt;&gt; &lt; &gt; &lt;= &gt;=), LIKE, IN, IS [NOT] NULL,
/// NOT, AND, OR and parentheses. String literals are single-quoted; a quote inside one is written \' (as
/// the official SDKs do) or doubled; a backslash is written \\.
/// </summary>
internal sealed class ReadByQueryParser
{
    private readonly ObjectDef _definition;
    private readonly List<string> _tokens;
    private int _position;

    private ReadByQueryParser(ObjectDef definition, List<string> tokens)
    {
        _definition = definition;
        _tokens = tokens;
    }

    public static RecordPredicate Parse(ObjectDef definition, string? query)
    {
        if (string.IsNullOrWhiteSpace(query)) return _ => true;
        var parser = new ReadByQueryParser(definition, Tokenize(query));
        var predicate = parser.ParseOr();
        if (parser._position != parser._tokens.Count) throw parser.Error($"unexpected '{parser._tokens[parser._position]}'");
        return predicate;
    }

    private RecordPredicate ParseOr()
    {
        var left = ParseAnd();
        while (TakeKeyword("OR"))
        {
            var (l, r) = (left, ParseAnd());
            left = record => l(record) || r(record);
        }

        return left;
    }

    private RecordPredicate ParseAnd()
    {
        var left = ParseFactor();
        while (TakeKeyword("AND"))
        {
            var (l, r) = (left, ParseFactor());
            left = record => l(record) && r(record);
        }

        return left;
    }

    private RecordPredicate ParseFactor()
    {
        if (TakeKeyword("NOT"))
        {
            var inner = ParseFactor();
            return record => !inner(record);
        }

        if (Take("("))
        {
            var inner = ParseOr();
            Expect(")");
            return inner;
        }

        var field = Next("a field name");
        if (field.StartsWith('\'') || !char.IsLetter(field[0])) throw Error($"expected a field name, found {field}");
        if (IntacctValues.FieldAt(_definition, field) is null)
            throw IntacctFunctionException.Business($"Unknown field '{field}' in query on {_definition.Name}.", "Use a field the object has; inspect the object to list them.", "Invalid query");

        if (TakeKeyword("IS"))
        {
            var negate = TakeKeyword("NOT");
            ExpectKeyword("NULL");
            return record => (IntacctValues.ValueAt(record, field) is null) != negate;
        }

        var not = TakeKeyword("NOT");
        if (TakeKeyword("LIKE"))
        {
            var pattern = Literal();
            return record => FieldComparison.Like(IntacctValues.ValueAt(record, field), pattern, caseInsensitive: false) != not;
        }

        if (TakeKeyword("IN"))
        {
            Expect("(");
            var values = new List<string> { Literal() };
            while (Take(",")) values.Add(Literal());
            Expect(")");
            return record => values.Any(v => FieldComparison.Compare(_definition, field, IntacctValues.ValueAt(record, field), v, false) == 0) != not;
        }

        if (not) throw Error("NOT must be followed by LIKE or IN here");
        var op = Next("an operator");
        var literal = Literal();
        Func<int, bool> test = op switch
        {
            "=" => c => c == 0,
            "!=" or "<>" => c => c != 0,
            "<" => c => c < 0,
            ">" => c => c > 0,
            "<=" => c => c <= 0,
            ">=" => c => c >= 0,
            _ => throw Error($"unknown operator '{op}'"),
        };
        return record => FieldComparison.Compare(_definition, field, IntacctValues.ValueAt(record, field), literal, false) is { } c && test(c);
    }

    private string Literal()
    {
        var token = Next("a value");
        if (token.StartsWith('\'')) return token[1..];
        if (IntacctValues.TryParseDecimal(token, out _)) return token;
        throw Error($"expected a quoted value or a number, found {token}");
    }

    private static List<string> Tokenize(string query)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < query.Length)
        {
            var c = query[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '\'')
            {
                // A literal keeps its opening quote as a marker so it can never be mistaken for a keyword.
                var text = new StringBuilder("'");
                i++;
                while (true)
                {
                    if (i >= query.Length) throw IntacctFunctionException.Business("A quoted value in the query is not closed.", "Close every quoted value.", "Invalid query");
                    if (query[i] == '\\' && i + 1 < query.Length && query[i + 1] is '\'' or '\\') { text.Append(query[i + 1]); i += 2; continue; }
                    if (query[i] == '\'' && i + 1 < query.Length && query[i + 1] == '\'') { text.Append('\''); i += 2; continue; }
                    if (query[i] == '\'') { i++; break; }
                    text.Append(query[i++]);
                }

                tokens.Add(text.ToString());
                continue;
            }

            if ("(),".Contains(c)) { tokens.Add(c.ToString()); i++; continue; }
            if ("=<>!".Contains(c))
            {
                var op = i + 1 < query.Length && "=>".Contains(query[i + 1]) ? query.Substring(i, 2) : c.ToString();
                tokens.Add(op);
                i += op.Length;
                continue;
            }

            var start = i;
            while (i < query.Length && !char.IsWhiteSpace(query[i]) && !"(),=<>!'".Contains(query[i])) i++;
            tokens.Add(query[start..i]);
        }

        return tokens;
    }

    private bool Take(string token)
    {
        if (_position < _tokens.Count && _tokens[_position] == token) { _position++; return true; }
        return false;
    }

    private bool TakeKeyword(string keyword)
    {
        if (_position < _tokens.Count && string.Equals(_tokens[_position], keyword, StringComparison.OrdinalIgnoreCase)) { _position++; return true; }
        return false;
    }

    private void Expect(string token)
    {
        if (!Take(token)) throw Error($"expected '{token}'");
    }

    private void ExpectKeyword(string keyword)
    {
        if (!TakeKeyword(keyword)) throw Error($"expected {keyword}");
    }

    private string Next(string what) => _position < _tokens.Count ? _tokens[_position++] : throw Error($"expected {what} at the end");

    private IntacctFunctionException Error(string problem) =>
        IntacctFunctionException.Business($"Query could not be parsed: {problem}.", "Check the query syntax: FIELD = 'value' joined with AND / OR.", "Invalid query");
}

/// <summary>The query function's filter element: equalto, like, in, between, isnull, and/or groups...</summary>
internal static class QueryFilterParser
{
    public static RecordPredicate Parse(ObjectDef definition, XElement? filter, bool caseInsensitive)
    {
        var condition = filter?.Elements().SingleOrDefault();
        return condition is null ? (_ => true) : Condition(definition, condition, caseInsensitive);
    }

    private static RecordPredicate Condition(ObjectDef definition, XElement element, bool ci)
    {
        var name = element.Name.LocalName.ToLowerInvariant();
        if (name is "and" or "or")
        {
            var parts = element.Elements().Select(e => Condition(definition, e, ci)).ToList();
            if (parts.Count < 2) throw Invalid($"<{name}> needs at least two conditions.");
            return name == "and" ? r => parts.All(p => p(r)) : r => parts.Any(p => p(r));
        }

        var field = element.Element("field")?.Value ?? throw Invalid($"<{name}> needs a <field>.");
        if (IntacctValues.FieldAt(definition, field) is null)
            throw IntacctFunctionException.Business($"Unknown field '{field}' in filter on {definition.Name}.", "Use a field the object has.", "Invalid query");
        var values = element.Elements("value").Select(v => v.Value).ToList();
        string One() => values.Count == 1 ? values[0] : throw Invalid($"<{name}> needs exactly one <value>.");
        int? Cmp(XElement r, string v) => FieldComparison.Compare(definition, field, IntacctValues.ValueAt(r, field), v, ci);

        switch (name)
        {
            case "equalto": { var v = One(); return r => Cmp(r, v) == 0; }
            case "notequalto": { var v = One(); return r => Cmp(r, v) is not 0; }
            case "lessthan": { var v = One(); return r => Cmp(r, v) < 0; }
            case "lessthanoreqto": { var v = One(); return r => Cmp(r, v) <= 0; }
            case "greaterthan": { var v = One(); return r => Cmp(r, v) > 0; }
            case "greaterthanoreqto": { var v = One(); return r => Cmp(r, v) >= 0; }
            case "like": { var v = One(); return r => FieldComparison.Like(IntacctValues.ValueAt(r, field), v, ci); }
            case "notlike": { var v = One(); return r => !FieldComparison.Like(IntacctValues.ValueAt(r, field), v, ci); }
            case "in": return values.Count > 0 ? r => values.Any(v => Cmp(r, v) == 0) : throw Invalid("<in> needs values.");
            case "notin": return values.Count > 0 ? r => !values.Any(v => Cmp(r, v) == 0) : throw Invalid("<notin> needs values.");
            case "between":
                if (values.Count != 2) throw Invalid("<between> needs two <value> elements.");
                return r => Cmp(r, values[0]) >= 0 && Cmp(r, values[1]) <= 0;
            case "isnull": return r => IntacctValues.ValueAt(r, field) is null;
            case "isnotnull": return r => IntacctValues.ValueAt(r, field) is not null;
            default: throw Invalid($"Unknown filter operator <{name}>.");
        }
    }

    private static IntacctFunctionException Invalid(string problem) =>
        IntacctFunctionException.Business(problem, "Correct the query filter.", "Invalid query");
}

internal static class Text
{
    public static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
