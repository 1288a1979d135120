using AutoencoderLab.Cli.Commands;
using AutoencoderLab.Cli.Console;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli;

/// <summary>The <c>aelab</c> commands, each writing to one console: the terminal in Program, a test console in tests.</summary>
public static class AelabApp
{
    /// <summary>The command app whose commands (constructor-injected), help and errors all write to <paramref name="console"/>.</summary>
    public static CommandApp Create(IAnsiConsole console)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("aelab");
            config.ConfigureConsole(console);
            config.Settings.Registrar.RegisterInstance(console);
            config.UseStrictParsing();
            config.AddCommand<ReproduceCommand>("reproduce")
                .WithDescription("Run the whole assignment end to end: data, Problems 1-4, results.json and weights.")
                .WithExample("reproduce", "--epochs", "2", "--contrastive-epochs", "2", "--out", "/tmp/run");
            config.AddCommand<SweepCommand>("sweep")
                .WithDescription("Train Problem 2 (and 4) once per seed; sweep.json and sweep.html give mean, spread and range of loss, accuracy and alive units.")
                .WithExample("sweep", "--seeds", "1-3", "--epochs", "500", "--problem", "2");
            config.AddCommand<ReportCommand>("report")
                .WithDescription("Write report.html (offline, every figure) and PNG figures for a finished run.");
            config.AddCommand<GradeCommand>("grade")
                .WithDescription("Autograde a class's notebooks: gradebook.csv/json, a feedback page per student and notebook, executed copies.")
                .WithExample("grade", "submitted", "--out", "grades", "--quick");
            config.AddCommand<DataCommand>("data")
                .WithDescription("Download MNIST if missing and verify the four files against their md5.");
            config.AddBranch("bench", bench =>
            {
                bench.SetDescription("Measure speed and memory.");
                bench.AddCommand<BenchTrainCommand>("train")
                    .WithDescription("Seconds per epoch and resident memory of Problem 2's training.");
                bench.AddCommand<BenchTsneCommand>("tsne")
                    .WithDescription("Seconds per phase and quality of the t-SNE on the assignment's subsample.");
                bench.AddCommand<BenchGradeCommand>("grade")
                    .WithDescription("Grade a class of solved submissions (--quick): notebooks per minute and kernel start-up per notebook.");
            });
            config.AddBranch("notebooks", notebooks =>
            {
                notebooks.SetDescription("The Polyglot notebooks: kernel setup, headless runs, student release.");
                notebooks.AddCommand<NotebooksSetupCommand>("setup")
                    .WithDescription("Publish the library for notebook kernels (artifacts/kernel) and restore dotnet-repl.");
                notebooks.AddCommand<NotebooksRunCommand>("run")
                    .WithDescription("Run notebooks headless in a real .NET Interactive kernel; report each cell; exit 1 on any error.");
                notebooks.AddCommand<NotebooksReleaseCommand>("release")
                    .WithDescription("Write the student notebooks (solutions stubbed, hidden tests removed, outputs cleared).");
            });
            config.SetExceptionHandler((exception, _) => ErrorReport.Show(exception, console));
        });
        return app;
    }
}
