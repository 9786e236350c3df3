using System.Buffers;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Interweave.Sidecar;

/// <summary>An answer longer than the client's cap: reading stopped there, so memory stays bounded whatever the remote sends.</summary>
public sealed class RemoteAnswerTooLargeException(long limitBytes)
    : Exception($"The answer was longer than {limitBytes / (1024 * 1024)} MB and was not read further.")
{
    public long LimitBytes { get; } = limitBytes;
}

/// <summary>How the clients read what a remote system sends: with a size cap while reading, and XML without DTDs.</summary>
internal static class RemoteAnswers
{
    /// <summary>
    /// Reads the body as text, stopping with <see cref="RemoteAnswerTooLargeException"/> as soon as it passes
    /// <paramref name="maxBytes"/> (a declared Content-Length is refused before reading). Needs a response read with
    /// <see cref="HttpCompletionOption.ResponseHeadersRead"/>, or the whole body was buffered already.
    /// </summary>
    public static async Task<string> ReadAsStringAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > maxBytes) throw new RemoteAnswerTooLargeException(maxBytes);
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81_920);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes) throw new RemoteAnswerTooLargeException(maxBytes);
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        buffer.Position = 0;
        using var reader = new StreamReader(buffer, EncodingOf(content), detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>
    /// Parses XML the way a remote answer must be parsed: a DTD is refused (neither Intacct nor Creatio sends one, and
    /// it is how entity expansion and external entities get in), nothing is resolved. Throws <see cref="XmlException"/>.
    /// </summary>
    public static XDocument ParseXml(string text)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            // As XDocument.Parse without LoadOptions: whitespace between elements is not kept.
            IgnoreWhitespace = true,
        };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        return XDocument.Load(reader);
    }

    private static Encoding EncodingOf(HttpContent content)
    {
        var charset = content.Headers.ContentType?.CharSet?.Trim('"');
        if (string.IsNullOrEmpty(charset)) return Encoding.UTF8;
        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }
}
