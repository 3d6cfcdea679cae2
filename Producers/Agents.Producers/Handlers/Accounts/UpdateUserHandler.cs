using System.Text.Json.Nodes;
using Agents.Producers.Accounts;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Accounts;

/// <summary>
/// updateUser: an admin changes any user; a user only itself, and a user changing its own
/// password must give the current one (CloudStack's rule), so a stolen session cannot lock the owner out.
/// </summary>
public sealed class UpdateUserHandler(IAccountStore accounts) : IApiHandler
{
    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "User uuid") { Required = true, Entity = AccountResponse.UserObject };
    private static readonly ApiParameter CurrentPassword = new("currentpassword", ApiParameterType.String, "Current password that was being used by the user. You must inform the current password when updating the password.");

    public ApiDefinition Definition { get; } = new("updateUser", "Updates a user account")
    {
        Parameters = [Id, UserFields.Username, UserFields.Password, CurrentPassword, UserFields.FirstName, UserFields.LastName, UserFields.Email],
        ResponseObject = AccountResponse.UserObject,
        Response = AccountResponse.UserFields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var id = call.RequiredId(Id);
        var user = await accounts.FindUserAsync(id, ct).ConfigureAwait(false) ?? throw ApiException.NotFound($"user {id}");
        if (!call.Caller.IsAdmin && user.Id != call.Caller.UserId)
            throw ApiException.Denied($"Account {call.Caller.Account} cannot update user {id}");
        string? hash = null;
        if (call.Optional(UserFields.Password) is { } password)
        {
            if (!call.Caller.IsAdmin)
            {
                var current = call.Optional(CurrentPassword) ?? throw ApiException.Parameter("Current password is required when updating the password.");
                var login = await accounts.FindLoginAsync(user.Username, ct).ConfigureAwait(false);
                if (!PasswordHasher.Verify(current, login?.PasswordHash)) throw ApiException.Parameter("Current password is incorrect.");
            }
            hash = UserFields.HashedPassword(password);
        }
        UserInfo? updated;
        try
        {
            updated = await accounts.UpdateUserAsync(id, new UserUpdate(UserFields.CheckedUsername(call.Optional(UserFields.Username)), hash,
                call.Optional(UserFields.FirstName), call.Optional(UserFields.LastName), call.Optional(UserFields.Email)), ct).ConfigureAwait(false);
        }
        catch (InvalidOperationException) { throw ApiException.Parameter($"The user name {call.Optional(UserFields.Username)} is taken"); }
        return new JsonObject { [AccountResponse.UserObject] = AccountResponse.User(updated ?? throw ApiException.NotFound($"user {id}")) };
    }
}
