using AutoencoderLab.Embedding;

namespace AutoencoderLab.Tests.Embedding;

public class WorkerTeamTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 5)]
    [InlineData(2, 1)]
    [InlineData(2, 1000)]
    [InlineData(4, 7)]
    [InlineData(4, 5000)]
    public void Every_item_runs_once_on_a_worker_of_the_team(int threads, int items)
    {
        var team = new WorkerTeam(threads);
        var runs = new int[items];
        var workers = new int[items];
        team.Run(items, (item, worker) => { Interlocked.Increment(ref runs[item]); workers[item] = worker; });
        Assert.All(runs, count => Assert.Equal(1, count));
        Assert.Equal(Math.Min(threads, Environment.ProcessorCount), team.Threads);
        Assert.All(workers, worker => Assert.InRange(worker, 0, team.Threads - 1));
    }

    [Fact]
    public void Many_short_loops_in_a_row_each_finish_before_the_next_begins()
    {
        var team = new WorkerTeam(Environment.ProcessorCount);
        long total = 0;
        for (int loop = 0; loop < 20_000; loop++)
        {
            long before = Interlocked.Read(ref total);
            team.Run(4, (_, _) => Interlocked.Increment(ref total));
            Assert.Equal(before + 4, Interlocked.Read(ref total));
        }
    }

    [Fact]
    public void A_failing_item_is_rethrown_and_the_team_stays_usable()
    {
        var team = new WorkerTeam(2);
        var error = Assert.Throws<InvalidOperationException>(() =>
            team.Run(1000, (item, _) => { if (item == 500) throw new InvalidOperationException("item 500"); }));
        Assert.Equal("item 500", error.Message);
        int done = 0;
        team.Run(100, (_, _) => Interlocked.Increment(ref done));
        Assert.Equal(100, done);
    }

    [SkippableFact]
    public void Helpers_end_when_idle_and_come_back_for_the_next_loop()
    {
        var team = new WorkerTeam(Environment.ProcessorCount);
        Skip.If(team.Threads < 2, "one core: a team has no helpers");
        AllArrive(team);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (team.Helpers > 0 && waited.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(5);
        Assert.Equal(0, team.Helpers);
        AllArrive(team);
    }

    [Fact]
    public void Worker_numbers_are_distinct_even_with_more_threads_than_cores()
    {
        var team = new WorkerTeam(4, maximum: 4);
        for (int round = 0; round < 20; round++) AllArrive(team);
    }

    /// <summary>One item per thread, each waiting for all the others: every thread of the team must be running it at once, under its own number.</summary>
    static void AllArrive(WorkerTeam team)
    {
        int arrived = 0;
        var workers = new int[team.Threads];
        var threads = new int[team.Threads];
        team.Run(team.Threads, (_, worker) =>
        {
            Interlocked.Increment(ref workers[worker]);
            threads[worker] = Environment.CurrentManagedThreadId;
            Interlocked.Increment(ref arrived);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (Volatile.Read(ref arrived) < team.Threads && waited.Elapsed < TimeSpan.FromSeconds(30)) Thread.Yield();
        });
        Assert.Equal(team.Threads, arrived);
        Assert.All(workers, count => Assert.Equal(1, count));
        Assert.Equal(team.Threads, threads.Distinct().Count());
    }
}
