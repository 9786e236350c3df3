using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>A condition over one record, built from a readByQuery string or a query filter element.</summary>
internal delegate bool RecordPredicate(XElement record);

/// <summary>
/// What a query sees of one object: its own fields, fields inside its groups (DISPLAYCONTACT.EMAIL1), and fields of
/// related objects through its relationships (CUSTOMER.NAME on SODOCUMENT), as lookup lists them.
/// </summary>
internal sealed class QueryScope(IntacctCompany company, ObjectDef definition)
{
    public ObjectDef Definition => definition;

    public IntacctCompany Company => company;

    /// <summary>The field a path names, or null; relationship paths resolve through the related object's definition.</summary>
    public FieldDef? FieldAt(string path, bool allowRelated = true) => FieldAt(definition, path, allowRelated, 0);

    /// <summary>True when the path goes through a relationship (a join).</summary>
    public bool IsRelated(string path) => path.Contains('.') && definition.Relationship(path.Split('.')[0]) is not null;

    /// <summary>A value by path; null when absent or empty.</summary>
    public string? ValueAt(XElement record, string path) => ValueAt(definition, record, path, 0);

    private FieldDef? FieldAt(ObjectDef owner, string path, bool allowRelated, int depth)
    {
        var parts = path.Split('.', 2);
        if (parts.Length == 2 && allowRelated && depth < 3 && owner.Relationship(parts[0]) is { } relationship && company.Definitions.Find(relationship.Object) is { } related)
            return FieldAt(related, parts[1], allowRelated, depth + 1);
        IReadOnlyList<FieldDef> fields = owner.Fields;
        FieldDef? field = null;
        foreach (var part in path.Split('.'))
        {
            field = fields.FirstOrDefault(f => string.Equals(f.Name, part, StringComparison.OrdinalIgnoreCase) && !f.WriteOnly);
            if (field is null) return null;
            fields = field.Children;
        }

        return field;
    }

    private string? ValueAt(ObjectDef owner, XElement record, string path, int depth)
    {
        var parts = path.Split('.', 2);
        if (parts.Length == 2 && depth < 3 && owner.Relationship(parts[0]) is { } relationship && company.Definitions.Find(relationship.Object) is { } related)
        {
            var key = record.Element(relationship.By)?.Value;
            var target = string.IsNullOrEmpty(key) ? null : company.All(related.Name).FirstOrDefault(r => r.Element(relationship.RelatedBy)?.Value == key);
            return target is null ? null : ValueAt(related, target, parts[1], depth + 1);
        }

        XElement? current = record;
        foreach (var part in path.Split('.'))
        {
            current = current.Elements().FirstOrDefault(e => string.Equals(e.Name.LocalName, part, StringComparison.OrdinalIgnoreCase));
            if (current is null) return null;
        }

        return current.HasElements || current.Value.Length == 0 ? null : current.Value;
    }

    /// <summary>
    /// Compares a value with a literal the way the field types it: dates as dates, numbers as numbers, text as text;
    /// a one-letter code stands for its enum value (SODOCUMENT STATE: O is Pending). Null when the record has no value.
    /// </summary>
    public int? Compare(string field, string? actual, string literal, bool caseInsensitive, Func<string, Exception> invalid)
    {
        if (actual is null) return null;
        var definition = FieldAt(field);
        switch (definition?.Kind ?? FieldKind.Text)
        {
            case FieldKind.Date or FieldKind.DateTime:
                if (!IntacctValues.TryParseDate(literal, out var wanted)) throw invalid($"'{literal}' is not a date; use MM/DD/YYYY or MM/DD/YYYY HH:MM:SS.");
                return IntacctValues.TryParseDate(actual, out var have) ? have.CompareTo(wanted) : null;
            case FieldKind.Integer or FieldKind.Decimal:
                if (!IntacctValues.TryParseDecimal(literal, out var number)) throw invalid($"'{literal}' is not a number for {field}.");
                return IntacctValues.TryParseDecimal(actual, out var value) ? value.CompareTo(number) : null;
            default:
                if (definition is not null && definition.Codes.TryGetValue(literal, out var meaning)) literal = meaning;
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
/// Parses readByQuery's SQL-like query with the operators Sage documents (&lt; &gt; &gt;= &lt;= = like, not like, in,
/// not in, IS NULL, IS NOT NULL, AND, OR) plus the NOT prefix and parentheses the official SDKs write
/// (intacct-sdk-js Functions/Common/Query: "NOT FIELD = 'x'", "(a AND b)"). String literals are single-quoted with \'
/// for a quote. Joins (related fields) are refused: "Joins are not supported" (Order Entry page). Anything else fails
/// as real readByQuery fails, with DL02000001.
/// </summary>
internal sealed class ReadByQueryParser
{
    private readonly QueryScope _scope;
    private readonly List<string> _tokens;
    private int _position;

    private ReadByQueryParser(QueryScope scope, List<string> tokens)
    {
        _scope = scope;
        _tokens = tokens;
    }

    public static RecordPredicate Parse(QueryScope scope, string? query)
    {
        if (string.IsNullOrWhiteSpace(query)) return _ => true;
        var parser = new ReadByQueryParser(scope, Tokenize(query));
        var predicate = parser.ParseOr();
        if (parser._position != parser._tokens.Count) throw Error($"unexpected '{parser._tokens[parser._position]}'");
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
        if (_scope.IsRelated(field)) throw Error($"{field} is a field of a related object; readByQuery does not join");
        if (_scope.FieldAt(field, allowRelated: false) is not { Kind: not FieldKind.Group }) throw Error($"{field} is not a field of {_scope.Definition.Name}");

        if (TakeKeyword("IS"))
        {
            var negate = TakeKeyword("NOT");
            ExpectKeyword("NULL");
            return record => (_scope.ValueAt(record, field) is null) != negate;
        }

        var not = TakeKeyword("NOT");
        if (TakeKeyword("LIKE"))
        {
            var pattern = Literal();
            return record => QueryScope.Like(_scope.ValueAt(record, field), pattern, caseInsensitive: false) != not;
        }

        if (TakeKeyword("IN"))
        {
            Expect("(");
            var values = new List<string> { Literal() };
            while (Take(",")) values.Add(Literal());
            Expect(")");
            foreach (var value in values) Compare(field, "", value); // a value of the wrong type fails now, not per record
            return record => values.Any(v => Compare(field, _scope.ValueAt(record, field), v) == 0) != not;
        }

        if (not) throw Error("NOT must be followed by LIKE or IN here");
        var op = Next("an operator");
        var literal = Literal();
        Func<int, bool> test = op switch
        {
            "=" => c => c == 0,
            "<" => c => c < 0,
            ">" => c => c > 0,
            "<=" => c => c <= 0,
            ">=" => c => c >= 0,
            _ => throw Error($"'{op}' is not an operator readByQuery documents (use NOT FIELD = 'value' for not equal)"),
        };
        Compare(field, "", literal);
        return record => Compare(field, _scope.ValueAt(record, field), literal) is { } c && test(c);
    }

    private int? Compare(string field, string? actual, string literal) => _scope.Compare(field, actual, literal, false, problem => Error(problem));

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
                    if (i >= query.Length) throw Error("a quoted value is not closed");
                    if (query[i] == '\\' && i + 1 < query.Length && query[i + 1] is '\'' or '\\') { text.Append(query[i + 1]); i += 2; continue; }
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

    private static IntacctFunctionException Error(string problem) => IntacctErrors.ReadByQueryFailed($"The query could not be processed: {problem}.");
}

/// <summary>
/// The query function's filter element, with the operator names all three official SDKs write (intacct-sdk-net
/// Functions/Common/NewQuery/QueryFilter; a recorded real request with greaterthanorequalto in hotgluexyz/tap-intacct's
/// VCRs): equalto, notequalto, lessthan, lessthanorequalto, greaterthan, greaterthanorequalto, between, in, notin, like,
/// notlike, isnull, isnotnull, and/or groups. Related fields (CUSTOMER.NAME) are allowed, as Sage documents.
/// </summary>
internal static class QueryFilterParser
{
    public static RecordPredicate Parse(QueryScope scope, XElement? filter, bool caseInsensitive)
    {
        var conditions = filter?.Elements().ToList() ?? [];
        if (conditions.Count > 1) throw IntacctErrors.Schema("filter holds one condition; join several with and or or.");
        return conditions.Count == 0 ? (_ => true) : Condition(scope, conditions[0], caseInsensitive);
    }

    private static RecordPredicate Condition(QueryScope scope, XElement element, bool ci)
    {
        var name = element.Name.LocalName;
        if (name is "and" or "or")
        {
            var parts = element.Elements().Select(e => Condition(scope, e, ci)).ToList();
            if (parts.Count < 2) throw IntacctErrors.Schema($"{name} needs at least two conditions.");
            return name == "and" ? r => parts.All(p => p(r)) : r => parts.Any(p => p(r));
        }

        var field = element.Element("field")?.Value.Trim() ?? throw IntacctErrors.Schema($"{name} needs a field.");
        var definition = scope.FieldAt(field);
        if (definition is null or { Kind: FieldKind.Group }) throw IntacctErrors.FieldNotValid(scope.Definition, field);
        if (!definition.Queryable) throw IntacctErrors.CannotBeQueried(scope.Definition, [field]);
        var values = element.Elements("value").Select(v => v.Value).ToList();
        string One() => values.Count == 1 ? values[0] : throw IntacctErrors.Schema($"{name} needs exactly one value.");
        int? Cmp(XElement r, string v) => scope.Compare(field, scope.ValueAt(r, field), v, ci, problem => IntacctErrors.Schema(problem));
        foreach (var value in values) if (name is not ("like" or "notlike")) scope.Compare(field, "", value, ci, problem => IntacctErrors.Schema(problem));

        switch (name)
        {
            case "equalto": { var v = One(); return r => Cmp(r, v) == 0; }
            case "notequalto": { var v = One(); return r => Cmp(r, v) is not 0; }
            case "lessthan": { var v = One(); return r => Cmp(r, v) < 0; }
            case "lessthanorequalto": { var v = One(); return r => Cmp(r, v) <= 0; }
            case "greaterthan": { var v = One(); return r => Cmp(r, v) > 0; }
            case "greaterthanorequalto": { var v = One(); return r => Cmp(r, v) >= 0; }
            case "like": { var v = One(); return r => QueryScope.Like(scope.ValueAt(r, field), v, ci); }
            case "notlike": { var v = One(); return r => !QueryScope.Like(scope.ValueAt(r, field), v, ci); }
            case "in": return values.Count > 0 ? r => values.Any(v => Cmp(r, v) == 0) : throw IntacctErrors.Schema("in needs values.");
            case "notin": return values.Count > 0 ? r => !values.Any(v => Cmp(r, v) == 0) : throw IntacctErrors.Schema("notin needs values.");
            case "between":
                if (values.Count != 2) throw IntacctErrors.Schema("between needs two values.");
                return r => Cmp(r, values[0]) >= 0 && Cmp(r, values[1]) <= 0;
            case "isnull": return r => scope.ValueAt(r, field) is null;
            case "isnotnull": return r => scope.ValueAt(r, field) is not null;
            default: throw IntacctErrors.Schema($"Element {name} is not a filter operator.");
        }
    }
}

internal static class Text
{
    public static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
