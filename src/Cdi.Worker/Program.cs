using Cdi.Worker;

return await WorkerCommands.RunAsync(args).ConfigureAwait(false);
