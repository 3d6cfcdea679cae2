using Agents.Producers.Accounts;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Accounts;

/// <summary>The user parameters createAccount, createUser and updateUser share, and their checks.</summary>
public static class UserFields
{
    public static readonly ApiParameter Username = new("username", ApiParameterType.String, "Unique username.");
    public static readonly ApiParameter Password = new("password", ApiParameterType.String, "Clear text password (Default hashed to SHA256SALT).");
    public static readonly ApiParameter FirstName = new("firstname", ApiParameterType.String, "firstname");
    public static readonly ApiParameter LastName = new("lastname", ApiParameterType.String, "lastname");
    public static readonly ApiParameter Email = new("email", ApiParameterType.String, "email");

    /// <summary>A user name: the id rule plus '.' and '@' (e-mail-like names), at most 64.</summary>
    public static string? CheckedUsername(string? name) =>
        name is null || (name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@'))
            ? name : throw ApiException.Parameter("username may hold letters, digits, '-', '_', '.', '@' (at most 64)");

    public static string HashedPassword(string password) =>
        password.Length is >= 1 and <= 255 ? PasswordHasher.Hash(password) : throw ApiException.Parameter("password must be 1 to 255 characters");

    public static NewUser From(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new NewUser(CheckedUsername(call.Required(Username))!, HashedPassword(call.Required(Password)),
            call.Optional(FirstName), call.Optional(LastName), call.Optional(Email));
    }
}
