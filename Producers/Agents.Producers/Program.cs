using Agents.Messaging.Hosting;
using Agents.Producers.Hosting;

if (ServiceCommandLine.Handle("agents-api", "the CloudStack-style API and the operator console (producers)", args) is { } exit)
    return exit;
var app = ProducersApp.Build(args);
await app.RunAsync();
return 0;
