using Agents.Producers.Hosting;

var app = ProducersApp.Build(args);
await app.RunAsync();
