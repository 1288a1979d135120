using AutoencoderLab.Notebooks;
using AutoencoderLab.Tests.Support;
using AutoencoderLab.Training;

namespace AutoencoderLab.Tests.Notebooks;

/// <summary>In an editor the progress line is rewritten at every epoch's end; headless (one output per update) ten times a run.</summary>
[Collection(EnvironmentCollection.Name)]
public class LabProgressTests
{
    static List<string> Run(int epochs)
    {
        var lines = new List<string>();
        IProgress<TrainingProgress> progress = new ProgressLine("reconstruction", epochs, lines.Add, NotebookParameters.FromEnvironment().Headless);
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            for (int batch = 1; batch <= 3; batch++)
                progress.Report(new TrainingProgress("reconstruction", epoch, epochs, batch, 3, 0.1f, TimeSpan.Zero, TimeSpan.Zero, false));
            progress.Report(new TrainingProgress("reconstruction", epoch, epochs, 3, 3, 0.1f, TimeSpan.Zero, TimeSpan.Zero, true));
        }
        return lines;
    }

    [Fact]
    public void Headless_runs_write_ten_progress_lines_a_training_and_always_the_last()
    {
        using (new EnvironmentScope(NotebookParameters.HeadlessVariable, "1"))
        {
            var lines = Run(500);
            Assert.Equal(10, lines.Count);
            Assert.StartsWith("reconstruction: epoch 50/500", lines[0]);
            Assert.StartsWith("reconstruction: epoch 500/500", lines[^1]);
            Assert.Single(Run(1)); // quick mode: its one epoch
            Assert.Equal(7, Run(7).Count);
        }
        using (new EnvironmentScope(NotebookParameters.HeadlessVariable, null))
            Assert.Equal(500, Run(500).Count); // in an editor: every epoch's end
    }
}
