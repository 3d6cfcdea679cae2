using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Agents.Security.Identity;

public enum HolderKind { Vm, Router, Service }

/// <summary>
/// Who a certificate belongs to, named by a URI SAN: <c>urn:cloudstack:vm:{uuid}</c>,
/// <c>urn:cloudstack:router:{uuid}</c> or <c>urn:cloudstack:service:{name}</c>. The CA writes it
/// from what the requester is entitled to; bridges route commands by it.
/// </summary>
public sealed record HolderIdentity(HolderKind Kind, string Id)
{
    private const string Prefix = "urn:cloudstack:";

    public string Uri => $"{Prefix}{KindName(Kind)}:{Id}";

    public override string ToString() => Uri;

    public static HolderIdentity Vm(string id) => new(HolderKind.Vm, id);
    public static HolderIdentity Router(string id) => new(HolderKind.Router, id);
    public static HolderIdentity Service(string name) => new(HolderKind.Service, name);

    public static bool TryParse(string? uri, out HolderIdentity? identity)
    {
        identity = null;
        if (uri is null || !uri.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = uri[Prefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == rest.Length - 1) return false;
        var id = rest[(colon + 1)..];
        if (!IsSafeId(id)) return false;
        HolderKind? kind = rest[..colon] switch
        {
            "vm" => HolderKind.Vm,
            "router" => HolderKind.Router,
            "service" => HolderKind.Service,
            _ => null,
        };
        if (kind is null) return false;
        identity = new HolderIdentity(kind.Value, id);
        return true;
    }

    public static HolderIdentity Parse(string uri) =>
        TryParse(uri, out var identity) ? identity! : throw new FormatException($"'{uri}' is not a holder URI (urn:cloudstack:vm|router|service:<id>)");

    /// <summary>The holder named by the certificate's URI SANs; null when it names none or more than one.</summary>
    public static HolderIdentity? FromCertificate(X509Certificate2 certificate)
    {
        HolderIdentity? found = null;
        foreach (var uri in UriSans(certificate))
        {
            if (!TryParse(uri, out var identity)) continue;
            if (found is not null && found != identity) return null;
            found = identity;
        }
        return found;
    }

    /// <summary>Ids are uuids or simple names: letters, digits, '-', '_' and '.', at most 64 characters.</summary>
    public static bool IsSafeId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static string KindName(HolderKind kind) => kind switch
    {
        HolderKind.Vm => "vm",
        HolderKind.Router => "router",
        _ => "service",
    };

    private static IEnumerable<string> UriSans(X509Certificate2 certificate)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null) return [];
        var uris = new List<string>();
        var reader = new AsnReader(san.RawData, AsnEncodingRules.DER).ReadSequence();
        var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
        while (reader.HasData)
        {
            var tag = reader.PeekTag();
            if (tag == uriTag) uris.Add(reader.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
            else reader.ReadEncodedValue();
        }
        return uris;
    }
}
