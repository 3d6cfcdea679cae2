using Agents.Messaging.Hosting;
using Agents.Producers.Hosting;
using Agents.Producers.Storage;
using Agents.Storage.Audit;
using Agents.Storage.Copying;

// migrate-store: the API's store (or the audit log it reads) of a SQLite install copied onto MariaDB
if (args.Length > 0 && args[0] == StoreCopyCommand.Name)
    return await StoreCopyCommand.RunAsync("agents-api", [ProducersSchema.Schema, AuditStore.Schema], args[1..], Console.Out, Console.Error);

if (ServiceCommandLine.Handle("agents-api", $"the CloudStack-style API and the operator console (producers; also: {StoreCopyCommand.Name}, a SQLite store copied onto MariaDB)", args) is { } exit)
    return exit;
var app = ProducersApp.Build(args);
await app.RunAsync();
return 0;
