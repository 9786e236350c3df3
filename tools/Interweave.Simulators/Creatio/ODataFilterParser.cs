using System.Globalization;

namespace Interweave.Simulators.Creatio;

internal delegate bool RowPredicate(IReadOnlyDictionary<string, object?> row);

/// <summary>
/// OData $filter as Creatio accepts it: eq ne gt ge lt le, and or not, parentheses, contains/startswith/endswith,
/// string literals in single quotes (a quote doubled), GUIDs and dates unquoted. Lookups are filtered through their
/// navigation path (Account/Id eq …); the flat AccountId fails as it does in Creatio.
/// </summary>
internal sealed class ODataFilterParser
{
    private readonly EntityDef _entity;
    private readonly Func<string, Guid, IReadOnlyDictionary<string, object?>?> _resolve;
    private readonly List<string> _tokens;
    private int _position;

    private ODataFilterParser(EntityDef entity, Func<string, Guid, IReadOnlyDictionary<string, object?>?> resolve, List<string> tokens)
    {
        _entity = entity;
        _resolve = resolve;
        _tokens = tokens;
    }

    public static RowPredicate Parse(EntityDef entity, string? filter, Func<string, Guid, IReadOnlyDictionary<string, object?>?> resolve)
    {
        if (string.IsNullOrWhiteSpace(filter)) return _ => true;
        var parser = new ODataFilterParser(entity, resolve, Tokenize(filter));
        var predicate = parser.Or();
        if (parser._position < parser._tokens.Count) throw CreatioODataException.BadQuery($"Syntax error at '{parser._tokens[parser._position]}'.");
        return predicate;
    }

    private RowPredicate Or()
    {
        var left = And();
        while (Keyword("or")) { var (l, r) = (left, And()); left = row => l(row) || r(row); }
        return left;
    }

    private RowPredicate And()
    {
        var left = Unary();
        while (Keyword("and")) { var (l, r) = (left, Unary()); left = row => l(row) && r(row); }
        return left;
    }

    private RowPredicate Unary()
    {
        if (Keyword("not")) { var inner = Unary(); return row => !inner(row); }
        if (Take("("))
        {
            var inner = Or();
            Expect(")");
            return inner;
        }

        var token = Next();
        if (token is "contains" or "startswith" or "endswith" && Take("("))
        {
            var (kind, read) = Path(Next());
            Expect(",");
            var literal = Next();
            Expect(")");
            if (kind != ColumnKind.Text || !literal.StartsWith('\''))
                throw CreatioODataException.BadQuery($"The function '{token}' needs a text property and a string literal.");
            var text = literal[1..];
            return token switch
            {
                "contains" => row => (read(row) as string)?.Contains(text, StringComparison.OrdinalIgnoreCase) == true,
                "startswith" => row => (read(row) as string)?.StartsWith(text, StringComparison.OrdinalIgnoreCase) == true,
                _ => row => (read(row) as string)?.EndsWith(text, StringComparison.OrdinalIgnoreCase) == true,
            };
        }

        var (columnKind, value) = Path(token);
        var op = Next();
        var right = Literal(Next(), columnKind, token);
        Func<int, bool> test = op switch
        {
            "eq" => c => c == 0,
            "ne" => c => c != 0,
            "gt" => c => c > 0,
            "ge" => c => c >= 0,
            "lt" => c => c < 0,
            "le" => c => c <= 0,
            _ => throw CreatioODataException.BadQuery($"Unknown operator '{op}'."),
        };
        return row => Compare(value(row), right) is { } c ? test(c) : op == "ne";
    }

    /// <summary>Resolves Name, or a lookup's navigation path Account/Id, Account/Name.</summary>
    private (ColumnKind, Func<IReadOnlyDictionary<string, object?>, object?>) Path(string path)
    {
        var parts = path.Split('/');
        if (parts.Length == 1)
        {
            var column = _entity.ByProperty(parts[0]);
            if (column is null) throw CreatioODataException.UnknownProperty(parts[0], _entity.Name);
            if (column.Kind == ColumnKind.Lookup)
                throw CreatioODataException.Generic($"Column by path {parts[0]} not found in schema {_entity.Name}.", "Terrasoft.Common.ItemNotFoundException");
            return (column.Kind, row => row.GetValueOrDefault(column.Name));
        }

        if (parts.Length == 2 && _entity.Lookup(parts[0]) is { } lookup)
        {
            if (parts[1] == "Id") return (ColumnKind.Guid, row => row.GetValueOrDefault(lookup.Name));
            return (ColumnKind.Text, row => row.GetValueOrDefault(lookup.Name) is Guid id && _resolve(lookup.Target!, id) is { } target ? target.GetValueOrDefault(parts[1]) : null);
        }

        throw CreatioODataException.UnknownProperty(parts[0], _entity.Name);
    }

    private static object? Literal(string token, ColumnKind kind, string path)
    {
        if (token == "null") return null;
        var quoted = token.StartsWith('\'');
        switch (kind)
        {
            case ColumnKind.Guid or ColumnKind.Lookup:
                if (quoted || !Guid.TryParse(token, out var guid))
                    throw CreatioODataException.BadQuery($"A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and '{(quoted ? "Edm.String" : "Edm.Int32")}' for operator kind 'Equal'.");
                return guid;
            case ColumnKind.DateTime or ColumnKind.Date:
                if (quoted || !DateTimeOffset.TryParse(token, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                    throw CreatioODataException.BadQuery($"A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'Equal'.");
                return date;
            case ColumnKind.Integer or ColumnKind.Decimal:
                return !quoted && decimal.TryParse(token, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
                    ? number
                    : throw CreatioODataException.BadQuery($"A binary operator with incompatible types was detected for '{path}'.");
            case ColumnKind.Boolean:
                return token is "true" or "false" ? token == "true" : throw CreatioODataException.BadQuery($"'{token}' is not a Boolean literal.");
            default:
                return quoted ? token[1..] : throw CreatioODataException.BadQuery($"A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for '{path}'.");
        }
    }

    internal static int? Compare(object? left, object? right) => (left, right) switch
    {
        (null, null) => 0,
        (null, _) or (_, null) => null,
        (string a, string b) => string.Compare(a, b, StringComparison.OrdinalIgnoreCase),
        (Guid a, Guid b) => a.CompareTo(b),
        (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
        (long a, decimal b) => ((decimal)a).CompareTo(b),
        (decimal a, decimal b) => a.CompareTo(b),
        (bool a, bool b) => a.CompareTo(b),
        _ => null,
    };

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '(' or ')' or ',') { tokens.Add(c.ToString()); i++; continue; }
            if (c == '\'')
            {
                var value = new System.Text.StringBuilder("'");
                i++;
                while (true)
                {
                    if (i >= text.Length) throw CreatioODataException.BadQuery("Unterminated string literal.");
                    if (text[i] == '\'' && i + 1 < text.Length && text[i + 1] == '\'') { value.Append('\''); i += 2; continue; }
                    if (text[i] == '\'') { i++; break; }
                    value.Append(text[i++]);
                }

                tokens.Add(value.ToString());
                continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or ',' or '\'')) i++;
            tokens.Add(text[start..i]);
        }

        return tokens;
    }

    private bool Keyword(string keyword)
    {
        if (_position < _tokens.Count && _tokens[_position] == keyword) { _position++; return true; }
        return false;
    }

    private bool Take(string token) => Keyword(token);

    private void Expect(string token)
    {
        if (!Take(token)) throw CreatioODataException.BadQuery($"Expected '{token}'.");
    }

    private string Next() => _position < _tokens.Count ? _tokens[_position++] : throw CreatioODataException.BadQuery("The filter ends too early.");
}
