using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace AutoencoderLab.Embedding;

/// <summary>
/// Parallel loops for t-SNE's iterations: a few short loops every millisecond. The thread pool lets its threads
/// sleep between them, and waking a sleeping core costs about as much as the loop (on these virtual machines the
/// mean iteration of a 5,000-point map took as long on two threads as on one). Here the calling thread works
/// alongside <see cref="Threads"/> - 1 helpers that wait for the next loop spinning, and end themselves after
/// <see cref="IdleMilliseconds"/> without one, so a team need not be disposed.
/// </summary>
internal sealed class WorkerTeam
{
    /// <summary>How long a helper spins without work before its thread ends.</summary>
    public const int IdleMilliseconds = 20;

    readonly object gate = new();
    Action<int, int>? body;
    int count, next, working;
    long generation;
    Exception? failure;
    readonly bool[] alive; // per worker number 1..Threads-1: a helper thread holds it (guarded by gate)

    /// <summary>
    /// A team of <paramref name="threads"/> threads, the caller's included, at least 1 and at most one per core: a
    /// thread that waits by spinning must not take a core from one that works.
    /// </summary>
    public WorkerTeam(int threads) : this(threads, Environment.ProcessorCount) { }

    /// <summary>A team allowed up to <paramref name="maximum"/> threads (tests run more threads than cores).</summary>
    internal WorkerTeam(int threads, int maximum)
    {
        Threads = Math.Clamp(threads, 1, Math.Max(1, maximum));
        alive = new bool[Threads];
    }

    /// <summary>Threads that run a loop, the caller's included.</summary>
    public int Threads { get; }

    /// <summary>Helper threads alive now (they end after <see cref="IdleMilliseconds"/> without a loop).</summary>
    public int Helpers { get { lock (gate) return alive.Count(a => a); } }

    /// <summary>A team for the degree of parallelism of <paramref name="options"/> (-1: one thread per core).</summary>
    public static WorkerTeam For(ParallelOptions options) =>
        new(options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount);

    /// <summary>
    /// <paramref name="range"/>(start, end) over [0, <paramref name="count"/>) in slices of <paramref name="slice"/>,
    /// on the team: the per-point passes over a whole map.
    /// </summary>
    public void RunInSlices(int count, int slice, Action<int, int> range) =>
        Run((count + slice - 1) / slice, (item, _) => range(item * slice, Math.Min(count, (item + 1) * slice)));

    /// <summary>
    /// Runs body(item, worker) for every item in [0, <paramref name="items"/>), items handed out one at a time in
    /// increasing order; worker in [0, <see cref="Threads"/>) names the thread, for per-thread scratch. Returns when
    /// every item is done; the first exception of a body is rethrown here (items not yet started are skipped).
    /// Not reentrant: one loop at a time.
    /// </summary>
    public void Run(int items, Action<int, int> body)
    {
        if (Threads == 1 || items <= 1)
        {
            for (int i = 0; i < items; i++) body(i, 0);
            return;
        }
        this.body = body;
        count = items;
        next = 0;
        failure = null;
        Volatile.Write(ref working, Threads - 1);
        Interlocked.Increment(ref generation);
        lock (gate)
            for (int worker = 1; worker < Threads; worker++)
                if (!alive[worker]) StartHelper(worker); // numbers held by live helpers are never handed out twice
        Work(0);
        var wait = new SpinWait();
        while (Volatile.Read(ref working) > 0) wait.SpinOnce(sleep1Threshold: -1);
        this.body = null;
        if (failure is { } error) ExceptionDispatchInfo.Capture(error).Throw();
    }

    void Work(int worker)
    {
        var action = body!;
        for (int i; (i = Interlocked.Increment(ref next) - 1) < count;)
        {
            try { action(i, worker); }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
                Volatile.Write(ref next, count);
            }
        }
    }

    void StartHelper(int worker)
    {
        long seen = Volatile.Read(ref generation) - 1; // started for the loop under way
        new Thread(() => Help(worker, seen)) { IsBackground = true, Name = "t-SNE worker" }.Start();
        alive[worker] = true; // once started: a thread that failed to start holds no number
    }

    void Help(int worker, long seen)
    {
        long idleLimit = Stopwatch.Frequency * IdleMilliseconds / 1000;
        while (true)
        {
            long since = Stopwatch.GetTimestamp();
            var wait = new SpinWait(); // spins, then yields the core now and then (never sleeps)
            while (Volatile.Read(ref generation) == seen)
            {
                if (Stopwatch.GetTimestamp() - since > idleLimit)
                {
                    lock (gate)
                    {
                        // Checked again under the lock Run starts helpers under: a loop begun meanwhile is served.
                        if (Volatile.Read(ref generation) == seen) { alive[worker] = false; return; }
                    }
                }
                wait.SpinOnce(sleep1Threshold: -1);
            }
            seen = Volatile.Read(ref generation);
            Work(worker);
            Interlocked.Decrement(ref working);
        }
    }
}
