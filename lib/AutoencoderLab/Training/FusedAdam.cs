using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderLab.Training;

/// <summary>
/// TorchSharp's (and PyTorch's) Adam, L2 weight decay included, with each step one pass over each parameter instead
/// of libtorch's ten (PyTorch 2's <c>Adam(fused=True)</c> does the same): per element, in fp32,
/// g = grad + wd p, m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, p += -lr / (1 - b1^t) m / (sqrt(v) / sqrt(1 - b2^t) + eps),
/// each operation as libtorch's kernels do it (the same fused multiply-adds) except the square root: libtorch takes
/// it from MKL's vector maths, within an ulp and by CPU, this is the correctly rounded one. So a step's new weights
/// are libtorch's but for the last bit of about one element in a thousand, and the same on every CPU. The state is
/// <see cref="Adam"/>'s own and <see cref="SaveState"/> writes it as Adam does, so checkpoints of either load into the
/// other. Tensors off the CPU or not fp32, amsgrad, maximize and closures take <see cref="Adam"/>'s path. The weights
/// are written through their memory, unseen by autograd's version counters: step between a backward pass and the next
/// forward pass, as a training loop does.
/// </summary>
public sealed class FusedAdam : Adam
{
    /// <summary>Adam over <paramref name="parameters"/> with learning rate <paramref name="lr"/> and L2 weight decay <paramref name="weightDecay"/>.</summary>
    public FusedAdam(IEnumerable<Parameter> parameters, double lr, double weightDecay)
        : base(parameters, lr: lr, weight_decay: weightDecay)
    {
    }

    /// <summary>
    /// The state in TorchSharp's format under <see cref="Adam"/>'s name (TorchSharp writes the class's name first and
    /// refuses any other), so that TorchSharp's Adam and earlier versions of this library load it.
    /// </summary>
    public byte[] SaveState()
    {
        using var own = new MemoryStream();
        using (var writer = new BinaryWriter(own, Encoding.UTF8, leaveOpen: true)) save_state_dict(writer);
        return Renamed(own.ToArray(), AdamName);
    }

    /// <summary>Loads a state written by <see cref="SaveState"/>, by TorchSharp's Adam or by this class's own <c>save_state_dict</c>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an Adam state.</exception>
    public void LoadState(byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(Renamed(state, GetType().Name)));
        load_state_dict(reader);
    }

    const string AdamName = nameof(Adam);

    /// <summary>The state with its leading optimiser name replaced by <paramref name="name"/>; a name other than Adam's or this class's is refused.</summary>
    static byte[] Renamed(byte[] state, string name)
    {
        using var input = new BinaryReader(new MemoryStream(state));
        string found;
        try { found = input.ReadString(); }
        catch (EndOfStreamException e) { throw new InvalidDataException("The optimizer state is empty or truncated.", e); }
        if (found is not (AdamName or nameof(FusedAdam))) throw new InvalidDataException($"The optimizer state is a '{found}' state, not Adam's.");
        using var output = new MemoryStream();
        using (var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true)) writer.Write(name);
        input.BaseStream.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Elements a thread updates at a time (a multiple of every vector width).</summary>
    const int ChunkSize = 1 << 15;

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null)
    {
        if (closure is not null) return base.step(closure);
        var work = new List<Update>();
        var gradients = new List<Tensor>();
        try
        {
            if (!Collect(work, gradients)) return base.step(closure);
            var chunks = new List<(Update Update, long Start, long Length)>();
            foreach (var update in work)
                for (long start = 0; start < update.Length; start += ChunkSize)
                    chunks.Add((update, start, Math.Min(ChunkSize, update.Length - start)));
            foreach (var update in work) update.State.step++;
            int threads = Math.Max(1, torch.get_num_threads());
            if (threads == 1 || chunks.Count == 1) foreach (var chunk in chunks) Apply(chunk.Update, chunk.Start, chunk.Length);
            else Parallel.ForEach(chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk => Apply(chunk.Update, chunk.Start, chunk.Length));
            return null!; // no closure, no loss: as optim.Adam
        }
        finally
        {
            foreach (var gradient in gradients) gradient.Dispose();
        }
    }

    /// <summary>One parameter's update: where its tensors' elements are, and the step's constants.</summary>
    sealed unsafe class Update(State state, float* parameter, float* gradient, float* average, float* squares, long length, Constants constants)
    {
        public readonly State State = state;
        public readonly float* Parameter = parameter, Gradient = gradient, Average = average, Squares = squares;
        public readonly long Length = length;
        public readonly Constants Constants = constants;
    }

    /// <summary>The scalars of one step as libtorch sees them: fp32 casts of the double expressions Adam computes.</summary>
    readonly record struct Constants(float WeightDecay, float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float SqrtCorrection2, float Eps, float NegativeStepSize);

    /// <summary>Fills <paramref name="work"/> with every parameter that has a gradient; false when one needs Adam's own path.</summary>
    unsafe bool Collect(List<Update> work, List<Tensor> gradients)
    {
        foreach (var group in _parameter_groups)
        {
            if (group.Options is not Options options || options.amsgrad == true || options.maximize == true) return false;
            double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, weightDecay = options.weight_decay!.Value;
            foreach (var parameter in group.Parameters)
            {
                var gradient = parameter.grad;
                if (gradient is null) continue;
                gradients.Add(gradient);
                var state = (State)_state[parameter.Handle];
                if (!Fusable(parameter, gradient, state)) return false;
                long step = state.step + 1;
                double correction1 = 1 - Math.Pow(beta1, step), correction2 = 1 - Math.Pow(beta2, step);
                var constants = new Constants((float)weightDecay, (float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
                    (float)Math.Sqrt(correction2), (float)options.eps!.Value, (float)-(options.LearningRate!.Value / correction1));
                work.Add(new Update(state, Address(parameter), Address(gradient), Address(state.exp_avg), Address(state.exp_avg_sq), parameter.numel(), constants));
            }
        }
        return true;
    }

    static bool Fusable(Tensor parameter, Tensor gradient, State state) =>
        Fp32OnCpu(parameter, parameter) && Fp32OnCpu(parameter, gradient) && Fp32OnCpu(parameter, state.exp_avg) && Fp32OnCpu(parameter, state.exp_avg_sq);

    static bool Fp32OnCpu(Tensor parameter, Tensor tensor) =>
        tensor.device_type == DeviceType.CPU && tensor.dtype == ScalarType.Float32 && tensor.is_contiguous() && tensor.numel() == parameter.numel();

    static unsafe float* Address(Tensor tensor) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));

    /// <summary>
    /// Elements [start, start + length) of one parameter, a vector at a time, then one at a time, with the same operations
    /// as libtorch's kernels: its weight decay, moments and bias corrections are fused multiply-adds where libtorch's are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void Apply(Update update, long start, long length)
    {
        var c = update.Constants;
        float* p = update.Parameter + start, g = update.Gradient + start, m = update.Average + start, v = update.Squares + start;
        long i = 0;
        var decay = new Vector<float>(c.WeightDecay); var beta1 = new Vector<float>(c.Beta1); var rest1 = new Vector<float>(c.OneMinusBeta1);
        var beta2 = new Vector<float>(c.Beta2); var rest2 = new Vector<float>(c.OneMinusBeta2); var correction2 = new Vector<float>(c.SqrtCorrection2);
        var eps = new Vector<float>(c.Eps); var stepSize = new Vector<float>(c.NegativeStepSize);
        for (; i + Vector<float>.Count <= length; i += Vector<float>.Count)
        {
            var pi = Vector.Load(p + i);
            var gi = Vector.FusedMultiplyAdd(pi, decay, Vector.Load(g + i));
            var mi = Vector.FusedMultiplyAdd(gi, rest1, Vector.Load(m + i) * beta1);
            var vi = Vector.FusedMultiplyAdd(rest2 * gi, gi, Vector.Load(v + i) * beta2);
            var denominator = Vector.SquareRoot(vi) / correction2 + eps;
            (pi + stepSize * mi / denominator).Store(p + i);
            mi.Store(m + i);
            vi.Store(v + i);
        }
        for (; i < length; i++)
        {
            float pi = p[i];
            float gi = MathF.FusedMultiplyAdd(pi, c.WeightDecay, g[i]);
            float mi = MathF.FusedMultiplyAdd(gi, c.OneMinusBeta1, m[i] * c.Beta1);
            float vi = MathF.FusedMultiplyAdd(c.OneMinusBeta2 * gi, gi, v[i] * c.Beta2);
            float denominator = MathF.Sqrt(vi) / c.SqrtCorrection2 + c.Eps;
            p[i] = pi + c.NegativeStepSize * mi / denominator;
            m[i] = mi;
            v[i] = vi;
        }
    }
}
