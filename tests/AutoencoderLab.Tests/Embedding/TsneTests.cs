using AutoencoderLab.Embedding;
using AutoencoderLab.Runtime;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Embedding;

public class TsneTests
{
    /// <summary>Gaussian blobs in <paramref name="dimensions"/>-D, centres 10 apart, unit spread.</summary>
    static (Tensor Points, long[] Labels) Blobs(int perBlob, int blobs, int dimensions, int seed = 1)
    {
        var random = new Random(seed);
        var values = new float[perBlob * blobs * dimensions];
        var labels = new long[perBlob * blobs];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = i % blobs;
            for (int d = 0; d < dimensions; d++)
            {
                double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                double noise = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                values[i * dimensions + d] = (float)((d == labels[i] ? 10 : 0) + noise);
            }
        }
        return (tensor(values, [labels.Length, dimensions]), labels);
    }

    [Fact]
    public void Calibration_reaches_the_perplexity_asked_for()
    {
        var random = new Random(4);
        // Distances of 0-50, and of 700-1,200 (far images: exp(-d) of every neighbour underflows at beta = 1).
        foreach (var (perplexity, offset) in new[] { (5.0, 0.0), (30.0, 0.0), (30.0, 700.0) })
        {
            var distances = Enumerable.Range(0, 90).Select(_ => (float)(offset + random.NextDouble() * (offset > 0 ? 500 : 50))).ToArray();
            var p = new double[90];
            double entropy = Affinities.Calibrate(distances, perplexity, p);
            Assert.Equal(Math.Log(perplexity), entropy, 4);
            Assert.Equal(1.0, p.Sum(), 10);
            // The entropy computed independently from the probabilities.
            Assert.Equal(Math.Log(perplexity), -p.Where(v => v > 0).Sum(v => v * Math.Log(v)), 4);
            // Nearer neighbours weigh more.
            int near = Array.IndexOf(distances, distances.Min()), far = Array.IndexOf(distances, distances.Max());
            Assert.True(p[near] > p[far]);
        }
    }

    [Fact]
    public void Affinities_are_symmetric_and_sum_to_one()
    {
        var (points, _) = Blobs(30, 3, 5);
        var (neighbors, distances) = NearestNeighbors.Find(points, 20);
        var p = Affinities.FromNeighbors(neighbors, distances, 90, 20, 6);
        var dense = new double[90, 90];
        for (int i = 0; i < 90; i++)
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++) dense[i, p.Columns[e]] += p.Values[e];
        Assert.Equal(1.0, p.Values.Sum(), 10);
        for (int i = 0; i < 90; i++)
        {
            Assert.Equal(0, dense[i, i]);
            for (int j = 0; j < 90; j++) Assert.Equal(dense[i, j], dense[j, i], 15);
        }
    }

    [Fact]
    public void Nearest_neighbours_are_exact_and_exclude_the_point_itself()
    {
        var (points, _) = Blobs(20, 3, 4);
        var (neighbors, distances) = NearestNeighbors.Find(points, 5, blockSize: 7);
        var x = points.data<float>().ToArray();
        for (int i = 0; i < 60; i++)
        {
            var expected = Enumerable.Range(0, 60).Where(j => j != i)
                .Select(j => (j, d: Enumerable.Range(0, 4).Sum(d => Math.Pow(x[i * 4 + d] - x[j * 4 + d], 2))))
                .OrderBy(t => t.d).Take(5).ToArray();
            Assert.Equal(expected.Select(t => t.j), neighbors.AsSpan(i * 5, 5).ToArray());
            for (int e = 0; e < 5; e++) Assert.Equal(expected[e].d, distances[i * 5 + e], 3);
        }
    }

    [Theory]
    [InlineData(4)] // a block's own tile has fewer other points than k: they are offered one by one
    [InlineData(8)] // more: the k best of the own tile are selected at once (single precision), and earlier blocks' equal ones displace them
    public void Nearest_neighbours_break_ties_by_the_lower_index_across_tiles(int blockSize)
    {
        // 30 copies of one point: every distance is 0, so each row's 5 are the lowest other indices, whether they come
        // from a tile of its own rows or, transposed, from a tile of earlier rows (which comes after its own).
        var points = ones([30, 3]);
        var (neighbors, distances) = NearestNeighbors.Find(points, 5, blockSize: blockSize);
        for (int i = 0; i < 30; i++)
        {
            Assert.Equal(Enumerable.Range(0, 6).Where(j => j != i).Take(5), neighbors.AsSpan(i * 5, 5).ToArray());
            Assert.All(distances.AsSpan(i * 5, 5).ToArray(), d => Assert.Equal(0f, d));
        }
    }

    [Fact]
    public void Identical_points_in_different_tiles_tie_exactly()
    {
        // Float32 values that round differently along different sums: a pair's score must be the same numbers
        // whichever tile it comes from (row 1's two neighbours are copies of one point, one tile before and one after).
        var points = tensor(new float[] { -1, 4097, -1 }, [3, 1]);
        var (neighbors, _) = NearestNeighbors.Find(points, 2, blockSize: 1);
        Assert.Equal(new[] { 0, 2 }, neighbors.AsSpan(2, 2).ToArray());
        // A block larger than any count, and points too large to square, are handled.
        Assert.Equal(new[] { 2, 1 }, NearestNeighbors.Find(points, 2, blockSize: int.MaxValue).Indices.AsSpan(0, 2).ToArray());
        Assert.Throws<ArgumentException>(() => NearestNeighbors.Find(tensor(new float[] { 1.1e19f, -1.1e19f, 0 }, [3, 1]), 2));
    }

    [Fact]
    public void Row_selection_keeps_the_smallest_lowest_index_first_and_skips_the_point_itself()
    {
        var random = new Random(11);
        // Many ties (values from a small set), longer than a few SIMD vectors, and the point itself the smallest.
        var row = Enumerable.Range(0, 203).Select(_ => (float)random.Next(0, 12)).ToArray();
        row[57] = -1;
        var values = new float[9];
        var columns = new int[9];
        NearestNeighbors.SmallestInRow<float>(row, 57, values, columns);
        var expected = Enumerable.Range(0, row.Length).Where(j => j != 57).OrderBy(j => row[j]).ThenBy(j => j).Take(9).ToArray();
        Assert.Equal(expected, columns);
        Assert.Equal(expected.Select(j => row[j]), values);
    }

    [Theory]
    [InlineData(91, 1023, 30)]      // a block's own tile at t-SNE's k: many ties
    [InlineData(91, 1023, 1000000)] // hardly any ties
    [InlineData(1, 50, 3)]          // the smallest alone
    [InlineData(49, 50, 3)]         // all but one
    [InlineData(0, 40, 5)]          // k drawn at random in each round
    public void Selection_puts_the_k_smallest_keys_first(int k, int length, int distinctValues)
    {
        var random = new Random(k * 7 + length);
        for (int round = 0; round < 200; round++)
        {
            int wanted = k > 0 ? k : random.Next(1, length);
            var values = Enumerable.Range(0, length).Select(_ => (float)random.Next(0, distinctValues)).ToArray();
            var columns = Enumerable.Range(0, length).Select(c => 3 * c + 1).OrderBy(_ => random.Next()).ToArray(); // distinct, shuffled
            var expected = values.Zip(columns).OrderBy(e => e.First).ThenBy(e => e.Second).Take(wanted).ToHashSet();
            var all = values.Zip(columns).ToHashSet();
            var keys = values.Zip(columns, NearestNeighbors.Key).ToArray();
            NearestNeighbors.SelectSmallest(keys, wanted);
            var selected = keys.Select(key => (NearestNeighbors.ValueOf(key), NearestNeighbors.ColumnOf(key)));
            Assert.Equal(expected, selected.Take(wanted).ToHashSet());
            Assert.Equal(all, selected.ToHashSet()); // a permutation: nothing lost or duplicated
        }
    }

    [Fact]
    public void Packed_keys_order_as_value_then_column_and_keep_the_value_to_the_bit()
    {
        var random = new Random(4);
        float[] special = [-float.MaxValue, -1e-30f, -float.Epsilon, 0f, -0f, float.Epsilon, 1e-30f, 1, 1.0000001f, float.MaxValue];
        var entries = special.Concat(Enumerable.Range(0, 300).Select(_ => (float)(random.NextDouble() * 2e4 - 1e4)))
            .Select((value, i) => (value, column: random.Next(0, 4) == 0 ? 5 : i * 13 % 997)).ToArray();
        foreach (var a in entries)
        {
            long key = NearestNeighbors.Key(a.value, a.column);
            Assert.Equal(a.value == 0 ? 0 : BitConverter.SingleToInt32Bits(a.value), BitConverter.SingleToInt32Bits(NearestNeighbors.ValueOf(key)));
            Assert.Equal(a.column, NearestNeighbors.ColumnOf(key));
            foreach (var b in entries)
            {
                bool before = a.value < b.value || (a.value == b.value && a.column < b.column);
                Assert.Equal(before, key < NearestNeighbors.Key(b.value, b.column));
            }
        }
    }

    [Theory]
    [InlineData(91, 3000, 40)]    // t-SNE's 3 x perplexity: many rounds of the candidate buffer
    [InlineData(91, 3000, 100000)] // hardly any ties
    [InlineData(300, 301, 5)]     // every other entry kept
    public void Row_selection_matches_a_sort_for_long_rows(int k, int length, int distinctValues)
    {
        var random = new Random(k + length);
        var row = Enumerable.Range(0, length).Select(_ => (double)random.Next(0, distinctValues)).ToArray();
        int self = length / 3;
        var values = new double[k];
        var columns = new int[k];
        NearestNeighbors.SmallestInRow<double>(row, self, values, columns);
        var expected = Enumerable.Range(0, row.Length).Where(j => j != self).OrderBy(j => row[j]).ThenBy(j => j).Take(k).ToArray();
        Assert.Equal(expected, columns);
    }

    [Fact]
    public void Nearest_neighbours_refuse_a_NaN_coordinate()
    {
        using var points = rand(20, 3);
        points[4, 1] = tensor(float.NaN);
        var error = Assert.Throws<ArgumentException>(() => NearestNeighbors.Find(points, 5));
        Assert.Contains("NaN", error.Message);
    }

    /// <summary>The exact O(N^2) gradient, written from the definition.</summary>
    static double[] ExactGradient(Affinities p, double[] y, double exaggeration)
    {
        int n = p.Points;
        var dense = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++) dense[i, p.Columns[e]] = p.Values[e];
        double z = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) z += 1 / (1 + Math.Pow(y[2 * i] - y[2 * j], 2) + Math.Pow(y[2 * i + 1] - y[2 * j + 1], 2));
        var gradient = new double[2 * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i == j) continue;
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double w = 1 / (1 + dx * dx + dy * dy);
                double f = 4 * (exaggeration * dense[i, j] - w / z) * w;
                gradient[2 * i] += f * dx; gradient[2 * i + 1] += f * dy;
            }
        return gradient;
    }

    static (Affinities P, double[] Y) SmallProblem(int n = 120)
    {
        var (points, _) = Blobs(n / 4, 4, 6);
        var (neighbors, distances) = NearestNeighbors.Find(points, 30);
        var p = Affinities.FromNeighbors(neighbors, distances, n, 30, 10);
        var random = new Random(2);
        return (p, Enumerable.Range(0, 2 * n).Select(_ => random.NextDouble() * 10 - 5).ToArray());
    }

    [Fact]
    public void Barnes_Hut_with_theta_zero_is_the_exact_gradient()
    {
        var (p, y) = SmallProblem();
        var expected = ExactGradient(p, y, 12);
        var actual = new double[y.Length];
        new TsneGradient(p, theta: 0).Compute(y, 12, actual);
        for (int d = 0; d < y.Length; d++) Assert.Equal(expected[d], actual[d], 12);
    }

    /// <summary>Layouts of 3,000 points for the tree's parallel build: spread, crowded, with duplicates, with lonely cells.</summary>
    public static TheoryData<string> Layouts => new() { "uniform", "crowded", "duplicates", "lonely" };

    static double[] Layout(string kind, int n)
    {
        var random = new Random(7);
        var y = new double[2 * n];
        for (int i = 0; i < n; i++)
        {
            (double x, double v) = kind switch
            {
                // most points in a tiny patch, a few far away: most top-level cells are empty
                "crowded" => i % 50 == 0 ? (random.NextDouble() * 100, random.NextDouble() * 100) : (30 + random.NextDouble() * 1e-3, 70 + random.NextDouble() * 1e-3),
                // a fifth on one position, a tenth on another, the rest spread
                "duplicates" => i % 5 == 0 ? (1.5, -2.25) : i % 10 == 1 ? (-3, 4) : (random.NextDouble() * 10 - 5, random.NextDouble() * 10 - 5),
                // one point alone in each corner, the rest in the middle: top cells holding a single point
                "lonely" => i < 4 ? ((i & 1) * 20 - 10, (i >> 1) * 20 - 10) : (random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1),
                _ => (random.NextDouble() * 10 - 5, random.NextDouble() * 10 - 5),
            };
            y[2 * i] = x; y[2 * i + 1] = v;
        }
        return y;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Barnes_Hut_with_theta_zero_is_exact_on_maps_deep_enough_for_many_candidates_per_group(string layout)
    {
        // 3,000 points: groups lie four or more levels down, where hundreds of cells near a group are still undecided.
        var (p, _) = SmallProblem(3000);
        var y = Layout(layout, 3000);
        var expected = ExactGradient(p, y, 1);
        var actual = new double[y.Length];
        new TsneGradient(p, theta: 0).Compute(y, 1, actual);
        for (int d = 0; d < y.Length; d++) Assert.Equal(expected[d], actual[d], 1e-12 * (1 + Math.Abs(expected[d])));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Barnes_Hut_tree_built_in_parallel_gives_the_serial_gradient_to_the_bit(string layout)
    {
        var (p, _) = SmallProblem(3000);
        var y = Layout(layout, 3000);
        Assert.True(3000 >= QuadTree.ParallelFromPoints, "the layout must be large enough for the parallel build");
        var serial = new TsneGradient(p, 0.5, new ParallelOptions { MaxDegreeOfParallelism = 1 });
        var parallel = new TsneGradient(p, 0.5, new ParallelOptions { MaxDegreeOfParallelism = 4 });
        // Twice: the second build inserts in the first walk's order.
        for (int round = 0; round < 2; round++)
        {
            var expected = new double[y.Length];
            var actual = new double[y.Length];
            serial.Compute(y, 12, expected);
            parallel.Compute(y, 12, actual);
            Assert.Equal(expected, actual);
            Assert.Equal(serial.Normalization, parallel.Normalization);
            for (int d = 0; d < y.Length; d++) y[d] += 1e-3 * expected[d];
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Barnes_Hut_gradient_does_not_depend_on_the_layout_before(string layout)
    {
        // The tree takes its points in the last build's order; the sums in its leaves must not follow that order.
        var (p, _) = SmallProblem(3000);
        var y = Layout(layout, 3000);
        var before = Layout("uniform", 3000).Select(v => -v).ToArray();
        var fresh = new double[y.Length];
        var expected = new double[y.Length];
        new TsneGradient(p, 0.5).Compute(y, 12, expected);
        var used = new TsneGradient(p, 0.5);
        used.Compute(before, 12, fresh);
        var actual = new double[y.Length];
        used.Compute(y, 12, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Barnes_Hut_with_theta_one_half_stays_close_to_the_exact_gradient()
    {
        var (p, y) = SmallProblem(400);
        var expected = ExactGradient(p, y, 1);
        var actual = new double[y.Length];
        new TsneGradient(p, theta: 0.5).Compute(y, 1, actual);
        double error = Math.Sqrt(expected.Zip(actual, (a, b) => (a - b) * (a - b)).Sum());
        double norm = Math.Sqrt(expected.Sum(a => a * a));
        Assert.True(error / norm < 0.02, $"relative error {error / norm}");
        Assert.True(error / norm > 0, "theta 0.5 should approximate, not be exact");
    }

    [Theory]
    [InlineData(8, 8, false)]
    [InlineData(60, 23, false)]
    [InlineData(150, 75, false)]
    [InlineData(60, 23, true)]
    [InlineData(972, 486, true)] // the grid of a 20,000-point map late in its optimisation
    public void Fft_matches_the_discrete_Fourier_transform_from_its_definition(int size, int used, bool single)
    {
        var random = new Random(size);
        var re = new double[size * size];
        var im = new double[size * size];
        for (int r = 0; r < used; r++)
            for (int c = 0; c < used; c++) { re[r * size + c] = random.NextDouble() - 0.5; im[r * size + c] = random.NextDouble() - 0.5; }
        var (inputRe, inputIm) = ((double[])re.Clone(), (double[])im.Clone());
        // float: round-off grows with the sum's size (sqrt of the terms) and the number of stages.
        double forward = single ? 1e-6 * size : 1e-9, inverse = single ? 1e-5 : 1e-12;
        Action<int> transform, back;
        if (single)
        {
            var (fr, fi) = (re.Select(v => (float)v).ToArray(), im.Select(v => (float)v).ToArray());
            var fft = new Fft2D<float>(size);
            transform = u => { fft.Forward(fr, fi, u); Copy(fr, re); Copy(fi, im); };
            back = u => { fft.Inverse(fr, fi, u); Copy(fr, re); Copy(fi, im); };
        }
        else
        {
            var fft = new Fft2D<double>(size);
            transform = u => fft.Forward(re, im, u);
            back = u => fft.Inverse(re, im, u);
        }
        transform(used);
        // A few frequencies against sum_x g(x) exp(-2 pi i (u . x) / L).
        foreach (var (u, v) in new[] { (0, 0), (1, 0), (0, size - 1), (size / 2, size / 3), (size - 1, 2) })
        {
            double sr = 0, si = 0;
            for (int r = 0; r < used; r++)
                for (int c = 0; c < used; c++)
                {
                    var (sin, cos) = Math.SinCos(-2 * Math.PI * (((long)u * r + (long)v * c) % size) / size);
                    sr += inputRe[r * size + c] * cos - inputIm[r * size + c] * sin;
                    si += inputRe[r * size + c] * sin + inputIm[r * size + c] * cos;
                }
            Assert.Equal(sr, re[u * size + v], forward);
            Assert.Equal(si, im[u * size + v], forward);
        }
        // The inverse (times 1 / L^2) gives the corner back.
        back(used);
        for (int r = 0; r < used; r++)
            for (int c = 0; c < used; c++)
            {
                Assert.Equal(inputRe[r * size + c], re[r * size + c] / size / size, inverse);
                Assert.Equal(inputIm[r * size + c], im[r * size + c] / size / size, inverse);
            }

        static void Copy(float[] from, double[] to) { for (int i = 0; i < from.Length; i++) to[i] = from[i]; }
    }

    /// <summary>Repulsive forces sum_j w_ij^2 (y_i - y_j) and Z = sum_{i != j} w_ij, from the definition.</summary>
    static (double[] Forces, double Z) ExactRepulsion(double[] y)
    {
        int n = y.Length / 2;
        var forces = new double[2 * n];
        double z = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i == j) continue;
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double w = 1 / (1 + dx * dx + dy * dy);
                z += w;
                forces[2 * i] += w * w * dx; forces[2 * i + 1] += w * w * dy;
            }
        return (forces, z);
    }

    static double RelativeError(double[] expected, double[] actual) =>
        Math.Sqrt(expected.Zip(actual, (a, b) => (a - b) * (a - b)).Sum() / expected.Sum(a => a * a));

    [Theory]
    [InlineData(3, 50, 2e-2)]    // openTSNE's defaults
    [InlineData(3, 200, 1e-3)]   // more boxes
    [InlineData(5, 100, 1e-4)]   // more nodes per box
    public void Fft_interpolation_gives_the_exact_repulsion_and_normalisation(int nodes, int intervals, double tolerance)
    {
        // Clusters and outliers over ~30 units, as in a t-SNE layout.
        var random = new Random(7);
        int n = 600;
        var y = new double[2 * n];
        for (int i = 0; i < n; i++)
        {
            double cx = (i % 5) * 6 - 12, cy = (i % 3) * 8 - 8, spread = i % 50 == 0 ? 15 : 1.5;
            y[2 * i] = cx + spread * (random.NextDouble() - 0.5);
            y[2 * i + 1] = cy + spread * (random.NextDouble() - 0.5);
        }
        var (expected, z) = ExactRepulsion(y);
        var actual = new double[2 * n];
        var fft = new FftRepulsion(nodes, intervals);
        double fftZ = fft.Compute(y, n, actual);
        Assert.True(fft.Intervals >= intervals);
        double forceError = RelativeError(expected, actual), zError = Math.Abs(fftZ - z) / z;
        Assert.True(forceError < tolerance, $"forces: relative error {forceError}");
        Assert.True(zError < tolerance / 10, $"Z: relative error {zError}");
        // Each point's force, not only the whole: the worst point is within 10 x the tolerance of the largest force.
        double largest = Enumerable.Range(0, n).Max(i => Math.Sqrt(expected[2 * i] * expected[2 * i] + expected[2 * i + 1] * expected[2 * i + 1]));
        double worst = Enumerable.Range(0, n).Max(i => Math.Sqrt(Math.Pow(expected[2 * i] - actual[2 * i], 2) + Math.Pow(expected[2 * i + 1] - actual[2 * i + 1], 2)));
        Assert.True(worst < 10 * tolerance * largest, $"worst point: {worst} against largest force {largest}");
    }

    [Fact]
    public void Fft_gradient_stays_close_to_the_exact_gradient()
    {
        var (p, y) = SmallProblem(400);
        var expected = ExactGradient(p, y, 1);
        var actual = new double[y.Length];
        var gradient = new TsneGradient(p, theta: 0.5, repulsion: TsneRepulsion.Fft);
        gradient.Compute(y, 1, actual);
        Assert.True(RelativeError(expected, actual) < 0.02, $"relative error {RelativeError(expected, actual)}");
        // And the embedding of all points in one place, where every distance is 0: Z = N (N - 1), no repulsion.
        var same = Enumerable.Repeat(3.0, y.Length).ToArray();
        var forces = new double[y.Length];
        double z = new FftRepulsion().Compute(same, 400, forces);
        Assert.Equal(400.0 * 399, z, 1e-6 * z);
        Assert.All(forces, f => Assert.Equal(0, f, 1e-9));
    }

    [Fact]
    public void Fft_embedding_is_reproducible_whatever_the_thread_count()
    {
        var (points, labels) = Blobs(100, 5, 10);
        var options = new TsneOptions { Iterations = 300, Repulsion = TsneRepulsion.Fft, Initialization = TsneInitialization.Random, Seed = 5 };
        var a = Tsne.Embed(points, options with { Threads = 1 });
        var b = Tsne.Embed(points, options with { Threads = 2 });
        var c = Tsne.Embed(points, options with { Threads = 2 });
        Assert.Equal(a.Coordinates, b.Coordinates);
        Assert.Equal(b.Coordinates, c.Coordinates);
        Assert.Equal(1.0, EmbeddingQuality.NeighborLabelAccuracy(a, labels));
    }

    [Fact]
    public void Barnes_Hut_embedding_is_reproducible_whatever_the_thread_count()
    {
        var (points, _) = Blobs(625, 4, 6); // 2,500 points: the tree is built in parallel with more than one thread
        var options = new TsneOptions { Iterations = 60, ExaggerationIterations = 30, Repulsion = TsneRepulsion.BarnesHut };
        var a = Tsne.Embed(points, options with { Threads = 1 });
        var b = Tsne.Embed(points, options with { Threads = 2 });
        Assert.Equal(a.Coordinates, b.Coordinates);
        Assert.Equal(a.Kl, b.Kl);
    }

    [Fact]
    public void Small_maps_run_on_one_thread_unless_told_otherwise()
    {
        var options = new TsneOptions();
        Assert.Equal(1, options.ThreadsFor(1000));
        Assert.Equal(1, options.ThreadsFor(2 * TsneOptions.PointsPerThread - 1));
        Assert.Equal(Math.Min(2, Environment.ProcessorCount), options.ThreadsFor(2 * TsneOptions.PointsPerThread));
        Assert.Equal(Environment.ProcessorCount, options.ThreadsFor(int.MaxValue));
        Assert.Equal(3, (options with { Threads = 3 }).ThreadsFor(10));
    }

    [Fact]
    public void Auto_repulsion_switches_to_fft_for_large_inputs()
    {
        var options = new TsneOptions();
        Assert.Equal(TsneRepulsion.BarnesHut, options.RepulsionFor(options.FftFromPoints - 1));
        Assert.Equal(TsneRepulsion.Fft, options.RepulsionFor(options.FftFromPoints));
        Assert.Equal(TsneRepulsion.BarnesHut, (options with { Repulsion = TsneRepulsion.BarnesHut }).RepulsionFor(1_000_000));
    }

    [Fact]
    public void Duplicate_points_are_handled()
    {
        var points = tensor(new float[] { 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 5, 5, 5, 5.1f, 5.2f, 5 }, [8, 2]);
        var embedding = Tsne.Embed(points, new TsneOptions { Perplexity = 2, Iterations = 100, Initialization = TsneInitialization.Random });
        Assert.All(embedding.Coordinates, c => Assert.True(double.IsFinite(c)));
    }

    [Fact]
    public void Separated_blobs_come_out_as_separated_clusters()
    {
        var (points, labels) = Blobs(100, 5, 10);
        var embedding = Tsne.Embed(points, new TsneOptions { Iterations = 500 });

        Assert.Equal(1.0, EmbeddingQuality.NeighborLabelAccuracy(embedding, labels));
        // Every point is nearer its own blob's centre than any other blob's.
        var centres = Enumerable.Range(0, 5).Select(c =>
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            return (X: members.Average(i => embedding[i].X), Y: members.Average(i => embedding[i].Y));
        }).ToArray();
        for (int i = 0; i < labels.Length; i++)
        {
            var (x, y) = embedding[i];
            int nearest = Enumerable.Range(0, 5).MinBy(c => Math.Pow(x - centres[c].X, 2) + Math.Pow(y - centres[c].Y, 2));
            Assert.Equal(labels[i], nearest);
        }
        Assert.True(embedding.Kl < 1.5, $"KL {embedding.Kl}");
    }

    [Fact]
    public void Same_seed_gives_the_same_embedding_and_progress_reports_KL()
    {
        var (points, _) = Blobs(50, 4, 8);
        var reports = new List<TsneProgress>();
        var options = new TsneOptions { Iterations = 300, Initialization = TsneInitialization.Random, Seed = 5 };
        var a = Tsne.Embed(points, options, new SyncProgress<TsneProgress>(reports.Add));
        var b = Tsne.Embed(points, options);
        var c = Tsne.Embed(points, options with { Seed = 6 });

        Assert.Equal(a.Coordinates, b.Coordinates);
        Assert.NotEqual(a.Coordinates, c.Coordinates);
        Assert.Equal(["neighbors", "affinities"], reports.Take(2).Select(r => r.Phase));
        var kl = reports.Where(r => r.Kl is not null).ToList();
        Assert.Equal([50, 100, 150, 200, 250, 300], kl.Select(r => r.Iteration));
        Assert.True(kl[^1].Kl < kl[0].Kl);
        Assert.Equal(a.Kl, kl[^1].Kl!.Value, 10);
    }

    /// <summary>Exact t-SNE from the definition: our P and start, the same optimiser, the O(N^2) gradient.</summary>
    static double[] ExactTsne(Tensor points, TsneOptions options, out Affinities p)
    {
        int n = (int)points.shape[0], k = options.Neighbors(n);
        var (neighbors, distances) = NearestNeighbors.Find(points, k);
        p = Affinities.FromNeighbors(neighbors, distances, n, k, options.Perplexity);
        var y = Tsne.Initialize(points, options);
        var update = new double[2 * n];
        var gains = Enumerable.Repeat(1.0, 2 * n).ToArray();
        for (int it = 0; it < options.Iterations; it++)
        {
            bool early = it < options.ExaggerationIterations;
            var g = ExactGradient(p, y, early ? options.EarlyExaggeration : 1);
            for (int d = 0; d < 2 * n; d++)
            {
                gains[d] = Math.Max(0.01, update[d] * g[d] < 0 ? gains[d] + 0.2 : gains[d] * 0.8); // scikit-learn's rule
                update[d] = (early ? 0.5 : 0.8) * update[d] - options.LearningRateFor(n) * gains[d] * g[d];
                y[d] += update[d];
            }
            double mx = Enumerable.Range(0, n).Average(i => y[2 * i]), my = Enumerable.Range(0, n).Average(i => y[2 * i + 1]);
            for (int i = 0; i < n; i++) { y[2 * i] -= mx; y[2 * i + 1] -= my; }
        }
        return y;
    }

    static double ExactKl(Affinities p, double[] y)
    {
        int n = p.Points;
        double z = 0, kl = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) z += 1 / (1 + Math.Pow(y[2 * i] - y[2 * j], 2) + Math.Pow(y[2 * i + 1] - y[2 * j + 1], 2));
        for (int i = 0; i < n; i++)
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                int j = p.Columns[e];
                double q = 1 / (1 + Math.Pow(y[2 * i] - y[2 * j], 2) + Math.Pow(y[2 * i + 1] - y[2 * j + 1], 2)) / z;
                kl += p.Values[e] * Math.Log(p.Values[e] / q);
            }
        return kl;
    }

    [Fact]
    public void Matches_an_exact_tsne_written_in_the_test_on_a_tiny_case()
    {
        var (points, _) = Blobs(15, 4, 6);
        var options = new TsneOptions { Perplexity = 8, Theta = 0, Initialization = TsneInitialization.Random, Seed = 9 };

        // Step by step while rounding differences are still invisible (they grow about threefold an iteration here:
        // 1e-14 after 5 iterations, 2e-8 after 20, 1e-6 after 25)...
        var shortRun = options with { Iterations = 20 };
        var expected = ExactTsne(points, shortRun, out _);
        var ours = Tsne.Embed(points, shortRun);
        for (int d = 0; d < expected.Length; d++) Assert.Equal(expected[d], ours.Coordinates[d], 1e-6);

        // ...and both converge (the gains' sign tests make long runs part in detail, so compare quality, not points:
        // a rounding difference can leave one run in a poorer local minimum, so the median of three seeds);
        // our reported KL is the KL of our layout computed from the definition.
        var exactKl = new List<double>();
        var ourKl = new List<double>();
        foreach (long seed in new long[] { 9, 10, 11 })
        {
            var longRun = options with { Iterations = 400, Seed = seed };
            var exact = ExactTsne(points, longRun, out var p);
            var full = Tsne.Embed(points, longRun);
            exactKl.Add(ExactKl(p, exact));
            ourKl.Add(full.Kl);
            Assert.Equal(ExactKl(p, full.Coordinates), full.Kl, 1e-9);
        }
        Assert.InRange(exactKl.Order().ElementAt(1), 0, 0.5);
        Assert.InRange(ourKl.Order().ElementAt(1), 0, 0.5);
    }

    [Fact]
    public void Pca_initialisation_is_small_and_follows_the_main_axis()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 200).SelectMany(i => new[] { (float)(i * 0.1), (float)random.NextDouble(), 0f }).ToArray();
        var y = Tsne.Initialize(tensor(values, [200, 3]), new TsneOptions());
        var first = Enumerable.Range(0, 200).Select(i => y[2 * i]).ToArray();
        double mean = first.Average(), std = Math.Sqrt(first.Sum(v => (v - mean) * (v - mean)) / 199);
        Assert.Equal(1e-4, std, 8);
        Assert.True(first[199] > first[0]); // sign fixed: the largest loading is positive
    }

    [Theory]
    [InlineData(20, false)]   // below the size that iterates: the whole eigendecomposition
    [InlineData(300, false)]  // subspace iteration
    [InlineData(300, true)]   // a spectrum too flat for 30 steps: the residual sends it to the whole eigendecomposition
    public void Leading_eigenvectors_are_those_of_the_whole_eigendecomposition(int size, bool flat)
    {
        // A covariance-like matrix with a spectrum that falls off as MNIST's does (1 / (k + 1)), or hardly at all.
        using var generator = new Generator(5);
        var (basis, _) = linalg.qr(randn([size, size], ScalarType.Float64, generator: generator));
        var spectrum = flat ? arange(size, ScalarType.Float64).mul(-1e-4).add(1) : arange(size, ScalarType.Float64).add(1).reciprocal();
        var matrix = basis.matmul(diag(spectrum)).matmul(basis.t());
        var expected = basis.narrow(1, 0, 2);
        var actual = Tsne.LeadingEigenvectors(matrix, 2);
        Assert.Equal(new long[] { size, 2 }, actual.shape);
        for (int c = 0; c < 2; c++)
        {
            double cosine = Math.Abs((expected[.., c] * actual[.., c]).sum().item<double>());
            Assert.Equal(1.0, cosine, 12);
        }
    }

    [Fact]
    public void Gradient_step_by_vectors_gives_the_bits_of_one_coordinate_at_a_time()
    {
        var random = new Random(9);
        int n = 1003; // a tail after the vectors
        double[] Draw() => Enumerable.Range(0, n).Select(i => i % 7 == 0 ? 0.0 : i % 11 == 0 ? -0.0 : random.NextDouble() * 2 - 1).ToArray();
        double[] y = Draw(), grad = Draw(), update = Draw(), gains = Draw().Select(Math.Abs).ToArray();
        double[] y2 = [.. y], update2 = [.. update], gains2 = [.. gains];
        Tsne.Step(y, grad, update, gains, 0.8, 200);
        for (int d = 0; d < n; d++)
        {
            gains2[d] = update2[d] * grad[d] < 0 ? gains2[d] + 0.2 : gains2[d] * 0.8;
            if (gains2[d] < 0.01) gains2[d] = 0.01;
            update2[d] = 0.8 * update2[d] - 200 * gains2[d] * grad[d];
            y2[d] += update2[d];
        }
        Assert.Equal(gains2, gains);
        Assert.Equal(update2, update);
        Assert.Equal(y2, y);
    }

    [Fact]
    public void Gains_grow_only_against_the_last_update_as_in_scikit_learn()
    {
        // 12 coordinates: 8 by the vector path, 4 by the scalar tail; the same cases in both.
        double[] Repeat(params double[] four) => [.. four, .. four, .. four];
        double[] grad = Repeat(1, -1, 0, 2), y = new double[12], update = new double[12], gains = Repeat(1, 1, 1, 1);
        Tsne.Step(y, grad, update, gains, 0.5, 10);
        Assert.Equal(Repeat(0.8, 0.8, 0.8, 0.8), gains); // no update yet: nothing points against it
        Assert.Equal(Repeat(-8, 8, 0, -16), update);

        grad = Repeat(1, -1, 0, -2);
        Tsne.Step(y, grad, update, gains, 0.5, 10);
        Assert.Equal(Repeat(0.8 + 0.2, 0.8 + 0.2, 0.8 * 0.8, 0.8 * 0.8), gains); // against, against, zero gradient, along
    }

    [Fact]
    public void Quality_measures_are_perfect_for_a_copy_of_2d_input()
    {
        var (points, labels) = Blobs(40, 2, 2);
        var embedding = Tsne.Embed(points, new TsneOptions { Iterations = 0, Perplexity = 5 });
        var copy = embedding with { Coordinates = points.to_type(ScalarType.Float64).data<double>().ToArray() };
        Assert.Equal(1.0, EmbeddingQuality.NeighborPreservation(copy), 10);
        Assert.Equal(1.0, EmbeddingQuality.NeighborLabelAccuracy(copy, labels));
    }

    [Fact]
    public void Quality_measures_search_a_maps_neighbours_once()
    {
        var (points, labels) = Blobs(40, 3, 4);
        var embedding = Tsne.Embed(points, new TsneOptions { Iterations = 50, Perplexity = 5 });
        var first = EmbeddingQuality.MapNeighbors(embedding, 10);
        using (var coordinates = tensor(embedding.Coordinates, [embedding.Count, 2]))
            Assert.Equal(NearestNeighbors.Find(coordinates, 10).Indices, first);
        _ = EmbeddingQuality.NeighborLabelAccuracy(embedding, labels);
        _ = EmbeddingQuality.NeighborPreservation(embedding);
        Assert.Same(first, EmbeddingQuality.MapNeighbors(embedding, 10));
        // Another k, or another embedding even if equal to this one, is searched for itself.
        Assert.NotSame(first, EmbeddingQuality.MapNeighbors(embedding, 5));
        var equal = embedding with { };
        Assert.NotSame(first, EmbeddingQuality.MapNeighbors(equal, 10));
        Assert.Equal(first, EmbeddingQuality.MapNeighbors(equal, 10));
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        using var points = rand(10, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.Embed(points, new TsneOptions { Perplexity = 10 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.Embed(points, new TsneOptions { Perplexity = 2, Theta = -1 }));
        Assert.Throws<ArgumentException>(() => Tsne.Embed(rand(10), new TsneOptions { Perplexity = 2 }));
    }
}
