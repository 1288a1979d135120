using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoencoderLab.Embedding;

/// <summary>
/// A Barnes-Hut quadtree over 2-D points, rebuilt every iteration, giving each point's t-SNE repulsion
/// sum_j w_ij^2 (y_i - y_j) and its share sum_j w_ij of the normalisation Z, with w = 1 / (1 + d^2).
/// A cell of width w whose centre of mass is at distance d is summarised when w / d &lt; theta; a cell that
/// contains the point itself is always opened, so theta = 0 gives the exact sums.
/// Nodes are one struct each (one cache line), the four children of a node side by side. The per-point loops are
/// compiled optimised at once: a notebook kernel draws a map or two and would otherwise run them unoptimised at first.
/// </summary>
internal sealed class QuadTree
{
    const int MaxDepth = 48;

    [StructLayout(LayoutKind.Sequential)]
    struct Node
    {
        public double MassX, MassY;     // centre of mass once built
        public double CenterX, CenterY, Half;
        public int Count, FirstChild, Point;
    }

    Node[] tree = new Node[16];
    int nodes;
    double[] positions = [];
    readonly Dictionary<int, List<int>> duplicates = []; // leaf resident -> the other points at its position

    /// <summary>
    /// Builds the tree over positions [x0, y0, x1, y1, ...]. With <paramref name="parallel"/> and at least
    /// <see cref="ParallelFromPoints"/> points, the subtrees under the cells of depth <see cref="ParallelDepth"/> are
    /// built side by side (<see cref="BuildInCells"/>); the forces are the same to the bit either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Build(double[] coordinates, int points, int[]? insertionOrder = null, ParallelOptions? parallel = null)
    {
        positions = coordinates;
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        for (int i = 0; i < points; i++)
        {
            minX = Math.Min(minX, coordinates[2 * i]); maxX = Math.Max(maxX, coordinates[2 * i]);
            minY = Math.Min(minY, coordinates[2 * i + 1]); maxY = Math.Max(maxY, coordinates[2 * i + 1]);
        }
        if (tree.Length < 4 * points + 8) tree = new Node[4 * points + 8];
        nodes = 0;
        duplicates.Clear();
        double half = Math.Max(maxX - minX, maxY - minY) / 2 * (1 + 1e-9) + 1e-12;
        NewNode((minX + maxX) / 2, (minY + maxY) / 2, half);
        if (parallel is not null && points >= ParallelFromPoints && parallel.MaxDegreeOfParallelism != 1)
        {
            BuildInCells(points, insertionOrder, parallel);
            return;
        }
        // Inserting in the last walk's order keeps consecutive insertions on the same paths (cache-friendly);
        // the tree's shape depends only on the positions.
        for (int r = 0; r < points; r++) Insert(insertionOrder is null ? r : insertionOrder[r], 0);
        SumMasses(0);
        DivideMasses(0, nodes);
    }

    /// <summary>Points from which <see cref="Build"/> builds the subtrees in parallel (below, the coordination costs more).</summary>
    public const int ParallelFromPoints = 2048;

    /// <summary>Depth of the cells whose subtrees are built in parallel: 4^3 = 64 of them, enough to balance the threads.</summary>
    public const int ParallelDepth = 3;

    /// <summary>
    /// Centres of mass from the finished shape, children in quadrant order: the sums, and so every force, do not depend
    /// on the order the points were inserted in. Children come after their parent in the array, so one backward pass
    /// from the last node to <paramref name="first"/> sums every subtree (the masses stay sums, times the count).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void SumMasses(int first)
    {
        for (int n = nodes - 1; n >= first; n--)
        {
            ref var node = ref tree[n];
            if (node.Count == 0) continue;
            if (node.FirstChild == -1)
            {
                node.MassX = positions[2 * node.Point] * node.Count; // duplicates share the position
                node.MassY = positions[2 * node.Point + 1] * node.Count;
            }
            else
            {
                node.MassX = node.MassY = 0;
                for (int q = 0; q < 4; q++) { node.MassX += tree[node.FirstChild + q].MassX; node.MassY += tree[node.FirstChild + q].MassY; }
            }
        }
    }

    /// <summary>Turns the mass sums of nodes <paramref name="first"/> to <paramref name="end"/> - 1 into centres of mass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void DivideMasses(int first, int end)
    {
        for (int n = first; n < end; n++)
            if (tree[n].Count > 0) { tree[n].MassX /= tree[n].Count; tree[n].MassY /= tree[n].Count; }
    }

    QuadTree[] cells = [];
    int[] cellOf = [], cellStart = [], inCells = [], cellOffset = [];

    /// <summary>
    /// The root split down to depth <see cref="ParallelDepth"/> whatever the points (a cell the serial build would keep
    /// as a leaf, holding one position, becomes a chain of nodes with one non-empty child each: the same centre of
    /// mass, count and interaction entries, since adding the empty siblings' zero sums is exact), each point sent to its
    /// cell by the same comparisons <see cref="Insert"/> makes, the cells' subtrees built in parallel into their own
    /// arrays, then copied behind the top levels. The points keep the insertion order within each cell, so leaves
    /// shared by duplicates list them in the order the serial build would.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void BuildInCells(int points, int[]? insertionOrder, ParallelOptions parallel)
    {
        int cellCount = 1 << (2 * ParallelDepth), firstCell = 0;
        for (int depth = 0; depth < ParallelDepth; depth++)
        {
            int levelStart = firstCell, levelEnd = nodes;
            for (int n = levelStart; n < levelEnd; n++) Split(n, resident: false);
            firstCell = levelEnd;
        }
        if (cells.Length < cellCount) { cells = new QuadTree[cellCount]; for (int c = 0; c < cellCount; c++) cells[c] = new QuadTree(); }
        if (cellOf.Length < points) { cellOf = new int[points]; inCells = new int[points]; }
        if (cellStart.Length < cellCount + 1) cellStart = new int[cellCount + 1];
        Array.Clear(cellStart);
        for (int r = 0; r < points; r++)
        {
            int i = insertionOrder is null ? r : insertionOrder[r];
            double x = positions[2 * i], y = positions[2 * i + 1];
            int node = 0;
            for (int depth = 0; depth < ParallelDepth; depth++) node = tree[node].FirstChild + Quadrant(node, x, y);
            cellOf[r] = node - firstCell;
            cellStart[node - firstCell + 1]++;
        }
        for (int c = 0; c < cellCount; c++) cellStart[c + 1] += cellStart[c];
        Span<int> fill = stackalloc int[cellCount];
        cellStart.AsSpan(0, cellCount).CopyTo(fill);
        for (int r = 0; r < points; r++) inCells[fill[cellOf[r]]++] = insertionOrder is null ? r : insertionOrder[r];

        Parallel.For(0, cellCount, parallel, c =>
        {
            ref readonly var top = ref tree[firstCell + c];
            cells[c].BuildCell(positions, inCells.AsSpan(cellStart[c], cellStart[c + 1] - cellStart[c]), top.CenterX, top.CenterY, top.Half, ParallelDepth);
        });

        // Each cell's node 0 is the cell itself (already in the top levels); its other nodes go behind, in cell order.
        int total = nodes;
        if (cellOffset.Length < cellCount) cellOffset = new int[cellCount];
        for (int c = 0; c < cellCount; c++) { cellOffset[c] = total; total += cells[c].nodes - 1; }
        if (tree.Length < total) Array.Resize(ref tree, total);
        Parallel.For(0, cellCount, parallel, c => cells[c].CopyInto(tree, firstCell + c, cellOffset[c]));
        nodes = total;
        for (int c = 0; c < cellCount; c++)
            foreach (var (resident, others) in cells[c].duplicates) duplicates[resident] = others;
        // The top levels' sums from their children (the cells' sums are in place), then every division.
        for (int n = firstCell - 1; n >= 0; n--)
        {
            ref var node = ref tree[n];
            node.Count = 0; node.MassX = node.MassY = 0;
            for (int q = 0; q < 4; q++)
            {
                ref readonly var child = ref tree[node.FirstChild + q];
                node.Count += child.Count; node.MassX += child.MassX; node.MassY += child.MassY;
            }
        }
        DivideMasses(0, firstCell + cellCount);
    }

    /// <summary>This tree as the subtree of one cell: its node 0 is the cell, <paramref name="depth"/> deep in the whole tree.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void BuildCell(double[] coordinates, ReadOnlySpan<int> members, double centerX, double centerY, double half, int depth)
    {
        positions = coordinates;
        if (tree.Length < 4 * members.Length + 8) tree = new Node[4 * members.Length + 8];
        nodes = 0;
        duplicates.Clear();
        NewNode(centerX, centerY, half);
        foreach (int i in members) Insert(i, depth);
        SumMasses(0);
        DivideMasses(1, nodes); // node 0's sums are added into its parent first
    }

    /// <summary>Writes this cell's node 0 over <paramref name="cell"/> and its other nodes from <paramref name="offset"/>, child links moved along.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void CopyInto(Node[] target, int cell, int offset)
    {
        int shift = offset - 1;
        for (int n = 0; n < nodes; n++)
        {
            var node = tree[n];
            if (node.FirstChild != -1) node.FirstChild += shift;
            target[n == 0 ? cell : shift + n] = node;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    int NewNode(double x, double y, double half)
    {
        if (nodes + 4 > tree.Length) Array.Resize(ref tree, tree.Length * 2);
        int n = nodes++;
        tree[n] = new Node { CenterX = x, CenterY = y, Half = half, FirstChild = -1, Point = -1 };
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    int Quadrant(int node, double x, double y) => (x > tree[node].CenterX ? 1 : 0) + (y > tree[node].CenterY ? 2 : 0);

    /// <summary>Inserts point <paramref name="i"/> from node 0, which lies <paramref name="depth"/> levels deep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Insert(int i, int depth)
    {
        double x = positions[2 * i], y = positions[2 * i + 1];
        int node = 0;
        for (; ; depth++)
        {
            if (tree[node].FirstChild == -1)
            {
                if (tree[node].Count == 0) { tree[node].Point = i; tree[node].Count++; return; }
                int resident = tree[node].Point;
                bool same = positions[2 * resident] == x && positions[2 * resident + 1] == y;
                if (same || depth >= MaxDepth)
                {
                    // Duplicates share a leaf (the depth cap only matters for points closer than 2^-48 of the layout).
                    if (!duplicates.TryGetValue(resident, out var others)) duplicates[resident] = others = [];
                    others.Add(i);
                    tree[node].Count++;
                    return;
                }
                Split(node, resident: true);
            }
            tree[node].Count++;
            node = tree[node].FirstChild + Quadrant(node, x, y);
        }
    }


    /// <summary>Turns a leaf into an internal node, moving its point(s), if <paramref name="resident"/>, into the matching child.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Split(int node, bool resident)
    {
        double h = tree[node].Half / 2, cx = tree[node].CenterX, cy = tree[node].CenterY;
        int first = NewNode(cx - h, cy - h, h);
        NewNode(cx + h, cy - h, h);
        NewNode(cx - h, cy + h, h);
        NewNode(cx + h, cy + h, h);
        tree[node].FirstChild = first;
        if (!resident) return;
        ref var parent = ref tree[node];
        int point = parent.Point;
        ref var child = ref tree[first + Quadrant(node, positions[2 * point], positions[2 * point + 1])];
        child.Point = point; child.Count = parent.Count;
        parent.Point = -1;
    }

    int[] walk = new int[64];

    /// <summary>
    /// Lists the points in the order of a depth-first walk of the tree (neighbours in space side by side) and
    /// cuts that order into groups: the subtrees of at most <paramref name="groupSize"/> points. Returns the group count;
    /// group g covers order[groupStart[g] .. groupStart[g + 1]).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int SpatialGroups(int[] order, int groupSize, ref int[] groupStart)
    {
        int filled = 0, groups = 0, top = 0;
        if (groupStart.Length < order.Length + 1) groupStart = new int[order.Length + 1];
        walk[top++] = 0;
        while (top > 0)
        {
            int n = walk[--top];
            ref readonly var node = ref tree[n];
            if (node.Count == 0) continue;
            if (node.Count <= groupSize || node.FirstChild == -1)
            {
                groupStart[groups++] = filled;
                filled = CollectPoints(n, order, filled);
                continue;
            }
            if (top + 4 > walk.Length) Array.Resize(ref walk, walk.Length * 2);
            for (int q = 3; q >= 0; q--) walk[top++] = node.FirstChild + q;
        }
        groupStart[groups] = filled;
        return groups;
    }

    /// <summary>Appends the points under <paramref name="root"/> to <paramref name="order"/>, duplicates included.</summary>
    int CollectPoints(int root, int[] order, int filled)
    {
        Span<int> stack = stackalloc int[StackSize];
        int top = 0;
        stack[top++] = root;
        while (top > 0)
        {
            ref readonly var node = ref tree[stack[--top]];
            if (node.Count == 0) continue;
            if (node.FirstChild == -1)
            {
                order[filled++] = node.Point;
                for (int d = 1; d < node.Count; d++) order[filled++] = duplicates[node.Point][d - 1];
                continue;
            }
            for (int q = 3; q >= 0; q--) stack[top++] = node.FirstChild + q;
        }
        return filled;
    }

    /// <summary>
    /// Repulsion for one group of points (see <see cref="SpatialGroups"/>), Barnes-Hut with the opening test taken
    /// against the group's bounding box: a cell summarised for the group is summarised for each of its points with
    /// a ratio width / distance at most that of the box, so accuracy is at least that of per-point Barnes-Hut.
    /// The interaction list is built once per group, then every point runs one tight loop over it.
    /// Writes sum_j w_ij into z[i] and sum_j w_ij^2 (y_i - y_j) into repulsion[2i, 2i+1].
    /// </summary>
    public void GroupRepulsion(ReadOnlySpan<int> members, double theta, InteractionList list, double[] z, double[] repulsion)
    {
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (int i in members)
        {
            minX = Math.Min(minX, positions[2 * i]); maxX = Math.Max(maxX, positions[2 * i]);
            minY = Math.Min(minY, positions[2 * i + 1]); maxY = Math.Max(maxY, positions[2 * i + 1]);
        }
        double theta2 = theta * theta;
        list.Clear();
        Span<int> stack = stackalloc int[StackSize];
        int top = 0;
        stack[top++] = 0;
        while (top > 0)
        {
            ref readonly var node = ref tree[stack[--top]];
            if (node.Count == 0) continue;
            if (node.FirstChild != -1)
            {
                double dx = Math.Max(0, Math.Max(minX - node.MassX, node.MassX - maxX));
                double dy = Math.Max(0, Math.Max(minY - node.MassY, node.MassY - maxY));
                bool overlaps = node.CenterX + node.Half >= minX && node.CenterX - node.Half <= maxX
                             && node.CenterY + node.Half >= minY && node.CenterY - node.Half <= maxY;
                if (overlaps || 4 * node.Half * node.Half >= theta2 * (dx * dx + dy * dy))
                {
                    int child = node.FirstChild;
                    stack[top++] = child; stack[top++] = child + 1; stack[top++] = child + 2; stack[top++] = child + 3;
                    continue;
                }
            }
            list.Add(node.MassX, node.MassY, node.Count);
        }
        foreach (int i in members)
        {
            // Every point meets its own leaf in the list (w = 1 at distance 0, no force): take it out of Z.
            z[i] = list.Accumulate(positions[2 * i], positions[2 * i + 1], out repulsion[2 * i], out repulsion[2 * i + 1]) - 1;
        }
    }

    /// <summary>Stack depth a traversal may need.</summary>
    public static int StackSize => 4 * MaxDepth + 8;
}
