using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoencoderLab.Embedding;

/// <summary>
/// Complex discrete Fourier transforms of a square L x L grid held as separate real and imaginary arrays
/// (row-major), L a product of 2, 3 and 5. Each pass transforms a block of columns (or rows) at once: the block is
/// copied into a small buffer that stays in the core's cache, one "element" of the 1-D transform being a vector of
/// lanes (one per column), so every butterfly is plain SIMD arithmetic with no shuffles (Stockham, self-sorting).
/// Every output value is computed by the same operations whatever the thread count, so results are reproducible.
/// <typeparamref name="T"/> is float or double: float moves half the bytes and fills twice the lanes.
/// </summary>
internal sealed class Fft2D<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly int size;
    readonly int[] radices;
    readonly T[][] twiddleRe, twiddleIm; // per stage: exp(-2 pi i k q / n) at [q * (radix - 1) + k - 1]
    readonly int lanes;                       // columns (or rows) per block
    readonly T[][]?[] buffers; // per thread of the team: four work arrays each
    readonly WorkerTeam team;

    /// <summary>Prepares transforms of <paramref name="size"/> x <paramref name="size"/> grids.</summary>
    public Fft2D(int size, WorkerTeam? team = null)
    {
        if (!Fft2D.IsSmooth(size)) throw new ArgumentOutOfRangeException(nameof(size), size, "The size must be a product of 2, 3 and 5.");
        this.size = size;
        this.team = team ?? new WorkerTeam(Environment.ProcessorCount);
        buffers = new T[][]?[this.team.Threads];
        var factors = new List<int>();
        int rest = size;
        // Radix 4 first (fewest passes over the buffer), then whatever 2, 3 and 5 are left.
        foreach (int radix in new[] { 4, 2, 3, 5 })
            while (rest % radix == 0) { factors.Add(radix); rest /= radix; }
        radices = [.. factors];
        twiddleRe = new T[radices.Length][];
        twiddleIm = new T[radices.Length][];
        int n = size;
        for (int stage = 0; stage < radices.Length; stage++)
        {
            int p = radices[stage], m = n / p;
            twiddleRe[stage] = new T[m * (p - 1)];
            twiddleIm[stage] = new T[m * (p - 1)];
            for (int q = 0; q < m; q++)
                for (int k = 1; k < p; k++)
                {
                    // Angles from exact integers (k q mod n), so large transforms keep full precision.
                    var (sin, cos) = Math.SinCos(-2 * Math.PI * ((long)k * q % n) / n);
                    twiddleRe[stage][q * (p - 1) + k - 1] = T.CreateTruncating(cos);
                    twiddleIm[stage][q * (p - 1) + k - 1] = T.CreateTruncating(sin);
                }
            n = m;
        }
        // Four buffers of size x lanes values within ~512 KB: the working set of a block stays in L2.
        int width = Vector<T>.Count;
        lanes = Math.Clamp(131072 / Unsafe.SizeOf<T>() / size / width * width, width, 8 * width);
    }

    /// <summary>The grid's side L.</summary>
    public int Size => size;

    /// <summary>
    /// In-place forward transform, sum_x g[x] exp(-2 pi i (u x) / L), of a grid whose entries outside the top-left
    /// <paramref name="used"/> x <paramref name="used"/> corner are zero (they are not read).
    /// </summary>
    public void Forward(T[] re, T[] im, int used)
    {
        ColumnPass(re, im, columns: used, rowsIn: used, rowsOut: size, sign: -1);
        RowPass(re, im, rows: size, columnsIn: used, columnsOut: size, sign: -1);
    }

    /// <summary>
    /// In-place inverse transform without the 1 / L^2 factor, of which only the top-left <paramref name="used"/> x
    /// <paramref name="used"/> corner is computed (the rest of the grid is left undefined).
    /// </summary>
    public void Inverse(T[] re, T[] im, int used)
    {
        ColumnPass(re, im, columns: size, rowsIn: size, rowsOut: used, sign: 1);
        RowPass(re, im, rows: used, columnsIn: size, columnsOut: used, sign: 1);
    }

    /// <summary>Transforms each of the first <paramref name="columns"/> columns along the row index.</summary>
    void ColumnPass(T[] re, T[] im, int columns, int rowsIn, int rowsOut, int sign)
    {
        int blocks = (columns + lanes - 1) / lanes;
        team.Run(blocks, (block, worker) =>
        {
            var buffer = Buffer(worker);
            int first = block * lanes, count = Math.Min(lanes, columns - first);
            int width = RoundUp(count);
            var xr = buffer[0].AsSpan(0, size * width);
            var xi = buffer[1].AsSpan(0, size * width);
            for (int r = 0; r < rowsIn; r++)
            {
                re.AsSpan(r * size + first, count).CopyTo(xr.Slice(r * width));
                im.AsSpan(r * size + first, count).CopyTo(xi.Slice(r * width));
                xr.Slice(r * width + count, width - count).Clear();
                xi.Slice(r * width + count, width - count).Clear();
            }
            xr.Slice(rowsIn * width).Clear();
            xi.Slice(rowsIn * width).Clear();
            int result = Transform(buffer, width, sign);
            var yr = buffer[result].AsSpan(0, size * width);
            var yi = buffer[result + 1].AsSpan(0, size * width);
            for (int r = 0; r < rowsOut; r++)
            {
                yr.Slice(r * width, count).CopyTo(re.AsSpan(r * size + first));
                yi.Slice(r * width, count).CopyTo(im.AsSpan(r * size + first));
            }
        });
    }

    /// <summary>Transforms each of the first <paramref name="rows"/> rows along the column index.</summary>
    void RowPass(T[] re, T[] im, int rows, int columnsIn, int columnsOut, int sign)
    {
        int blocks = (rows + lanes - 1) / lanes;
        team.Run(blocks, (block, worker) =>
        {
            var buffer = Buffer(worker);
            int first = block * lanes, count = Math.Min(lanes, rows - first);
            int width = RoundUp(count);
            var xr = buffer[0].AsSpan(0, size * width);
            var xi = buffer[1].AsSpan(0, size * width);
            xr.Clear(); xi.Clear();
            for (int t = 0; t < count; t++)
            {
                var rowRe = re.AsSpan((first + t) * size, columnsIn);
                var rowIm = im.AsSpan((first + t) * size, columnsIn);
                for (int c = 0; c < rowRe.Length; c++) { xr[c * width + t] = rowRe[c]; xi[c * width + t] = rowIm[c]; }
            }
            int result = Transform(buffer, width, sign);
            var yr = buffer[result].AsSpan(0, size * width);
            var yi = buffer[result + 1].AsSpan(0, size * width);
            for (int t = 0; t < count; t++)
            {
                var rowRe = re.AsSpan((first + t) * size, columnsOut);
                var rowIm = im.AsSpan((first + t) * size, columnsOut);
                for (int c = 0; c < rowRe.Length; c++) { rowRe[c] = yr[c * width + t]; rowIm[c] = yi[c * width + t]; }
            }
        });
    }

    T[][] Buffer(int worker) => buffers[worker] ??= [new T[size * lanes], new T[size * lanes], new T[size * lanes], new T[size * lanes]];

    static int RoundUp(int count) => (count + Vector<T>.Count - 1) / Vector<T>.Count * Vector<T>.Count;

    /// <summary>
    /// The 1-D transform of length L of every lane of buffer[0] + i buffer[1] ([L elements][width lanes]).
    /// Returns which buffers hold the result: 0 (buffers 0 and 1) or 2 (buffers 2 and 3), by the number of stages.
    /// </summary>
    int Transform(T[][] buffer, int width, int sign)
    {
        int length = size * width;
        var srcRe = MemoryMarshal.Cast<T, Vector<T>>(buffer[0].AsSpan(0, length));
        var srcIm = MemoryMarshal.Cast<T, Vector<T>>(buffer[1].AsSpan(0, length));
        var dstRe = MemoryMarshal.Cast<T, Vector<T>>(buffer[2].AsSpan(0, length));
        var dstIm = MemoryMarshal.Cast<T, Vector<T>>(buffer[3].AsSpan(0, length));
        bool swapped = false;
        int n = size, stride = width / Vector<T>.Count; // stride: vectors per element times the product of earlier radices
        for (int stage = 0; stage < radices.Length; stage++)
        {
            int p = radices[stage], m = n / p;
            var twRe = twiddleRe[stage];
            var twIm = twiddleIm[stage];
            for (int q = 0; q < m; q++)
            {
                // Elements q + j m (j < p) of each sub-transform combine into elements p q + k, each run `stride` vectors long.
                int input = q * stride, output = p * q * stride, step = m * stride;
                var w = twRe.AsSpan(q * (p - 1), p - 1);
                var wi = twIm.AsSpan(q * (p - 1), p - 1);
                switch (p)
                {
                    case 2: Radix2(srcRe, srcIm, dstRe, dstIm, input, step, output, stride, w[0], T.CreateTruncating(-sign) * wi[0]); break;
                    case 3: Radix3(srcRe, srcIm, dstRe, dstIm, input, step, output, stride, w, wi, sign); break;
                    case 4: Radix4(srcRe, srcIm, dstRe, dstIm, input, step, output, stride, w, wi, sign); break;
                    default: Radix5(srcRe, srcIm, dstRe, dstIm, input, step, output, stride, w, wi, sign); break;
                }
            }
            n = m;
            stride *= p;
            var swapRe = srcRe; srcRe = dstRe; dstRe = swapRe;
            var swapIm = srcIm; srcIm = dstIm; dstIm = swapIm;
            swapped = !swapped;
        }
        return swapped ? 2 : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Twiddle(ref Vector<T> re, ref Vector<T> im, Vector<T> xr, Vector<T> xi, T wr, T wi)
    {
        re = xr * wr - xi * wi;
        im = xr * wi + xi * wr;
    }

    static void Radix2(Span<Vector<T>> sr, Span<Vector<T>> si, Span<Vector<T>> dr, Span<Vector<T>> di,
        int input, int step, int output, int stride, T wr, T wi)
    {
        ref var a0r = ref sr[input]; ref var a0i = ref si[input];
        ref var a1r = ref sr[input + step]; ref var a1i = ref si[input + step];
        ref var y0r = ref dr[output]; ref var y0i = ref di[output];
        ref var y1r = ref dr[output + stride]; ref var y1i = ref di[output + stride];
        _ = sr[input + step + stride - 1]; _ = dr[output + 2 * stride - 1]; // bounds once, then unchecked refs
        for (int v = 0; v < stride; v++)
        {
            var xr = Unsafe.Add(ref a0r, v); var xi = Unsafe.Add(ref a0i, v);
            var zr = Unsafe.Add(ref a1r, v); var zi = Unsafe.Add(ref a1i, v);
            Unsafe.Add(ref y0r, v) = xr + zr; Unsafe.Add(ref y0i, v) = xi + zi;
            Twiddle(ref Unsafe.Add(ref y1r, v), ref Unsafe.Add(ref y1i, v), xr - zr, xi - zi, wr, wi);
        }
    }

    static void Radix3(Span<Vector<T>> sr, Span<Vector<T>> si, Span<Vector<T>> dr, Span<Vector<T>> di,
        int input, int step, int output, int stride, ReadOnlySpan<T> w, ReadOnlySpan<T> wi, int sign)
    {
        T minus = T.CreateTruncating(-sign), half = T.CreateTruncating(0.5);
        T w1r = w[0], w1i = minus * wi[0], w2r = w[1], w2i = minus * wi[1];
        T s = T.CreateTruncating(sign * Math.Sqrt(3) / 2); // y1 = a0 - (a1 + a2) / 2 + i s (a1 - a2), y2 the same with -i s
        ref var a0r = ref sr[input]; ref var a0i = ref si[input];
        ref var a1r = ref sr[input + step]; ref var a1i = ref si[input + step];
        ref var a2r = ref sr[input + 2 * step]; ref var a2i = ref si[input + 2 * step];
        ref var y0r = ref dr[output]; ref var y0i = ref di[output];
        ref var y1r = ref dr[output + stride]; ref var y1i = ref di[output + stride];
        ref var y2r = ref dr[output + 2 * stride]; ref var y2i = ref di[output + 2 * stride];
        _ = sr[input + 2 * step + stride - 1]; _ = si[input + 2 * step + stride - 1]; _ = dr[output + 3 * stride - 1]; _ = di[output + 3 * stride - 1];
        for (int v = 0; v < stride; v++)
        {
            var b0r = Unsafe.Add(ref a0r, v); var b0i = Unsafe.Add(ref a0i, v);
            var b1r = Unsafe.Add(ref a1r, v); var b1i = Unsafe.Add(ref a1i, v);
            var b2r = Unsafe.Add(ref a2r, v); var b2i = Unsafe.Add(ref a2i, v);
            var pr = b1r + b2r; var pi = b1i + b2i;
            var mr = b1r - b2r; var mi = b1i - b2i;
            Unsafe.Add(ref y0r, v) = b0r + pr; Unsafe.Add(ref y0i, v) = b0i + pi;
            var cr = b0r - half * pr; var ci = b0i - half * pi;
            // i s (mr + i mi) = -s mi + i s mr
            Twiddle(ref Unsafe.Add(ref y1r, v), ref Unsafe.Add(ref y1i, v), cr - s * mi, ci + s * mr, w1r, w1i);
            Twiddle(ref Unsafe.Add(ref y2r, v), ref Unsafe.Add(ref y2i, v), cr + s * mi, ci - s * mr, w2r, w2i);
        }
    }

    static void Radix4(Span<Vector<T>> sr, Span<Vector<T>> si, Span<Vector<T>> dr, Span<Vector<T>> di,
        int input, int step, int output, int stride, ReadOnlySpan<T> w, ReadOnlySpan<T> wi, int sign)
    {
        T minus = T.CreateTruncating(-sign), plus = T.CreateTruncating(sign);
        T w1r = w[0], w1i = minus * wi[0], w2r = w[1], w2i = minus * wi[1], w3r = w[2], w3i = minus * wi[2];
        ref var a0r = ref sr[input]; ref var a0i = ref si[input];
        ref var a1r = ref sr[input + step]; ref var a1i = ref si[input + step];
        ref var a2r = ref sr[input + 2 * step]; ref var a2i = ref si[input + 2 * step];
        ref var a3r = ref sr[input + 3 * step]; ref var a3i = ref si[input + 3 * step];
        ref var y0r = ref dr[output]; ref var y0i = ref di[output];
        ref var y1r = ref dr[output + stride]; ref var y1i = ref di[output + stride];
        ref var y2r = ref dr[output + 2 * stride]; ref var y2i = ref di[output + 2 * stride];
        ref var y3r = ref dr[output + 3 * stride]; ref var y3i = ref di[output + 3 * stride];
        _ = sr[input + 3 * step + stride - 1]; _ = si[input + 3 * step + stride - 1]; _ = dr[output + 4 * stride - 1]; _ = di[output + 4 * stride - 1];
        for (int v = 0; v < stride; v++)
        {
            var b0r = Unsafe.Add(ref a0r, v); var b0i = Unsafe.Add(ref a0i, v);
            var b1r = Unsafe.Add(ref a1r, v); var b1i = Unsafe.Add(ref a1i, v);
            var b2r = Unsafe.Add(ref a2r, v); var b2i = Unsafe.Add(ref a2i, v);
            var b3r = Unsafe.Add(ref a3r, v); var b3i = Unsafe.Add(ref a3i, v);
            var t0r = b0r + b2r; var t0i = b0i + b2i;
            var t1r = b0r - b2r; var t1i = b0i - b2i;
            var t2r = b1r + b3r; var t2i = b1i + b3i;
            var t3r = b1r - b3r; var t3i = b1i - b3i;
            // omega_4 = i sign: y1 = t1 + i sign t3, y3 = t1 - i sign t3; i sign (x + i y) = -sign y + i sign x
            Unsafe.Add(ref y0r, v) = t0r + t2r; Unsafe.Add(ref y0i, v) = t0i + t2i;
            Twiddle(ref Unsafe.Add(ref y1r, v), ref Unsafe.Add(ref y1i, v), t1r - plus * t3i, t1i + plus * t3r, w1r, w1i);
            Twiddle(ref Unsafe.Add(ref y2r, v), ref Unsafe.Add(ref y2i, v), t0r - t2r, t0i - t2i, w2r, w2i);
            Twiddle(ref Unsafe.Add(ref y3r, v), ref Unsafe.Add(ref y3i, v), t1r + plus * t3i, t1i - plus * t3r, w3r, w3i);
        }
    }

    static void Radix5(Span<Vector<T>> sr, Span<Vector<T>> si, Span<Vector<T>> dr, Span<Vector<T>> di,
        int input, int step, int output, int stride, ReadOnlySpan<T> w, ReadOnlySpan<T> wi, int sign)
    {
        T minus = T.CreateTruncating(-sign);
        T w1r = w[0], w1i = minus * wi[0], w2r = w[1], w2i = minus * wi[1], w3r = w[2], w3i = minus * wi[2], w4r = w[3], w4i = minus * wi[3];
        T c1 = T.CreateTruncating(Math.Cos(2 * Math.PI / 5)), c2 = T.CreateTruncating(Math.Cos(4 * Math.PI / 5));
        T s1 = T.CreateTruncating(sign * Math.Sin(2 * Math.PI / 5)), s2 = T.CreateTruncating(sign * Math.Sin(4 * Math.PI / 5));
        ref var a0r = ref sr[input]; ref var a0i = ref si[input];
        ref var a1r = ref sr[input + step]; ref var a1i = ref si[input + step];
        ref var a2r = ref sr[input + 2 * step]; ref var a2i = ref si[input + 2 * step];
        ref var a3r = ref sr[input + 3 * step]; ref var a3i = ref si[input + 3 * step];
        ref var a4r = ref sr[input + 4 * step]; ref var a4i = ref si[input + 4 * step];
        ref var y0r = ref dr[output]; ref var y0i = ref di[output];
        ref var y1r = ref dr[output + stride]; ref var y1i = ref di[output + stride];
        ref var y2r = ref dr[output + 2 * stride]; ref var y2i = ref di[output + 2 * stride];
        ref var y3r = ref dr[output + 3 * stride]; ref var y3i = ref di[output + 3 * stride];
        ref var y4r = ref dr[output + 4 * stride]; ref var y4i = ref di[output + 4 * stride];
        _ = sr[input + 4 * step + stride - 1]; _ = si[input + 4 * step + stride - 1]; _ = dr[output + 5 * stride - 1]; _ = di[output + 5 * stride - 1];
        for (int v = 0; v < stride; v++)
        {
            var b0r = Unsafe.Add(ref a0r, v); var b0i = Unsafe.Add(ref a0i, v);
            var b1r = Unsafe.Add(ref a1r, v); var b1i = Unsafe.Add(ref a1i, v);
            var b2r = Unsafe.Add(ref a2r, v); var b2i = Unsafe.Add(ref a2i, v);
            var b3r = Unsafe.Add(ref a3r, v); var b3i = Unsafe.Add(ref a3i, v);
            var b4r = Unsafe.Add(ref a4r, v); var b4i = Unsafe.Add(ref a4i, v);
            var p1r = b1r + b4r; var p1i = b1i + b4i; var m1r = b1r - b4r; var m1i = b1i - b4i;
            var p2r = b2r + b3r; var p2i = b2i + b3i; var m2r = b2r - b3r; var m2i = b2i - b3i;
            Unsafe.Add(ref y0r, v) = b0r + p1r + p2r; Unsafe.Add(ref y0i, v) = b0i + p1i + p2i;
            // y1, y4 = b0 + c1 p1 + c2 p2 +- i (s1 m1 + s2 m2); y2, y3 = b0 + c2 p1 + c1 p2 +- i (s2 m1 - s1 m2)
            var e1r = b0r + c1 * p1r + c2 * p2r; var e1i = b0i + c1 * p1i + c2 * p2i;
            var e2r = b0r + c2 * p1r + c1 * p2r; var e2i = b0i + c2 * p1i + c1 * p2i;
            var f1r = s1 * m1r + s2 * m2r; var f1i = s1 * m1i + s2 * m2i;
            var f2r = s2 * m1r - s1 * m2r; var f2i = s2 * m1i - s1 * m2i;
            Twiddle(ref Unsafe.Add(ref y1r, v), ref Unsafe.Add(ref y1i, v), e1r - f1i, e1i + f1r, w1r, w1i);
            Twiddle(ref Unsafe.Add(ref y4r, v), ref Unsafe.Add(ref y4i, v), e1r + f1i, e1i - f1r, w4r, w4i);
            Twiddle(ref Unsafe.Add(ref y2r, v), ref Unsafe.Add(ref y2i, v), e2r - f2i, e2i + f2r, w2r, w2i);
            Twiddle(ref Unsafe.Add(ref y3r, v), ref Unsafe.Add(ref y3i, v), e2r + f2i, e2i - f2r, w3r, w3i);
        }
    }
}

/// <summary>The grid sides <see cref="Fft2D{T}"/> transforms: products of 2, 3 and 5.</summary>
internal static class Fft2D
{
    /// <summary>True when <paramref name="n"/> is a product of 2, 3 and 5 (1 included).</summary>
    public static bool IsSmooth(int n)
    {
        if (n < 1) return false;
        foreach (int f in new[] { 2, 3, 5 }) while (n % f == 0) n /= f;
        return n == 1;
    }

    /// <summary>The smallest product of 2, 3 and 5 that is at least <paramref name="n"/>.</summary>
    public static int NextSmooth(int n)
    {
        int m = Math.Max(n, 1);
        while (!IsSmooth(m)) m++;
        return m;
    }
}
