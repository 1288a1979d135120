using AutoencoderLab.Cli.Console;
using AutoencoderLab.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary><c>aelab data</c>: download MNIST if missing, then load and verify all four files.</summary>
public sealed class DataCommand(IAnsiConsole console) : Command<DataCommand.Settings>
{
    public sealed class Settings : CommonSettings { }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var location = DataPreparation.Ensure(console, settings.Data, cancellationToken);
        var data = MnistDataset.Load(location);
        var table = new Table().AddColumns("file", "md5", "status");
        foreach (var file in MnistFile.All) table.AddRow(file.Name, data.Checksums[file.Name], "[green]ok[/]");
        console.Write(table);
        console.MarkupLine($"{data.TrainImages.shape[0]:N0} training and {data.TestImages.shape[0]:N0} test images in [bold]{Markup.Escape(location.Directory)}[/].");
        return 0;
    }
}
