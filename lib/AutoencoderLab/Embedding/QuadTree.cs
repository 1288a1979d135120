using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoencoderLab.Embedding;

/// <summary>
/// A Barnes-Hut quadtree over 2-D points, rebuilt every iteration, giving each point's t-SNE repulsion
/// sum_j w_ij^2 (y_i - y_j) and its share sum_j w_ij of the normalisation Z, with w = 1 / (1 + d^2).
/// A cell of width w whose centre of mass is at distance d is summarised when w / d &lt; theta; a cell that
/// contains the point itself is always opened, so theta = 0 gives the exact sums.
/// The points are kept in the tree's depth-first order, each cell's points side by side; a leaf holds up to
/// <see cref="LeafSize"/> of them (more only if they share one position), which an interaction takes one by one
/// when the leaf is near. Nodes are one struct each (one cache line), the four children of a node side by side.
/// The per-point loops are compiled optimised at once: a notebook kernel draws a map or two and would otherwise run
/// them unoptimised at first.
/// </summary>
internal sealed class QuadTree
{
    const int MaxDepth = 48;

    /// <summary>
    /// Points a leaf holds at most, unless they share one position (or lie closer than 2^-48 of the layout): fewer
    /// nodes to build and to walk, for a few more terms in the sums of the points nearby. At most 8: a near leaf goes
    /// into an interaction list as one copy of 8 places (<see cref="InteractionList.AddPointsIf"/>); 4 and 6 were slower.
    /// </summary>
    public const int LeafSize = 8;

    [StructLayout(LayoutKind.Sequential)]
    struct Node
    {
        public double MassX, MassY;     // centre of mass once built
        public double CenterX, CenterY, Half;
        public int Count, Children, First; // Children: from this node to its first child (0: a leaf); First: the node's first place in the order
    }

    Node[] tree = new Node[16];
    int nodes;
    double[] positions = [];
    // The points in the tree's order: their numbers and coordinates (padded by LeafSize for whole-leaf copies), and room to partition them.
    int[] order = [], orderScratch = [];
    double[] xs = [], ys = [], xsScratch = [], ysScratch = [];
    int points;

    /// <summary>
    /// Builds the tree over positions [x0, y0, x1, y1, ...]: the root split down to depth <see cref="ParallelDepth"/>
    /// whatever the points (a cell holding a single position becomes a chain of nodes with one non-empty child), then the
    /// subtree of each of those cells, by the <paramref name="team"/> from <see cref="ParallelFromPoints"/> points. The
    /// tree is a function of the positions alone: the same whatever the threads and whatever the order of the last build
    /// (from which the points are taken, so consecutive points lie near each other).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Build(double[] coordinates, int count, WorkerTeam? team = null)
    {
        positions = coordinates;
        if (order.Length != count)
        {
            order = new int[count]; orderScratch = new int[count];
            xs = new double[count + LeafSize]; ys = new double[count + LeafSize];
            xsScratch = new double[count + LeafSize]; ysScratch = new double[count + LeafSize];
            for (int k = 0; k < count; k++) order[k] = k;
        }
        points = count;
        team = team is { Threads: > 1 } && count >= ParallelFromPoints ? team : null;
        ForChunks(team, (chunk, _) =>
        {
            double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
            for (int k = ChunkStart(chunk), end = ChunkStart(chunk + 1); k < end; k++)
            {
                int i = order[k];
                double x = coordinates[2 * i], y = coordinates[2 * i + 1];
                xs[k] = x; ys[k] = y;
                minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
                minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
            }
            (chunkBounds[4 * chunk], chunkBounds[4 * chunk + 1], chunkBounds[4 * chunk + 2], chunkBounds[4 * chunk + 3]) = (minX, minY, maxX, maxY);
        });
        double left = double.MaxValue, bottom = double.MaxValue, right = double.MinValue, top = double.MinValue;
        for (int chunk = 0; chunk < Chunks; chunk++)
        {
            left = Math.Min(left, chunkBounds[4 * chunk]); bottom = Math.Min(bottom, chunkBounds[4 * chunk + 1]);
            right = Math.Max(right, chunkBounds[4 * chunk + 2]); top = Math.Max(top, chunkBounds[4 * chunk + 3]);
        }
        if (tree.Length < count / 2 + 128) tree = new Node[count / 2 + 128];
        nodes = 0;
        double half = Math.Max(right - left, top - bottom) / 2 * (1 + 1e-9) + 1e-12;
        NewNode((left + right) / 2, (bottom + top) / 2, half, 0, count);
        BuildInCells(team);
    }

    /// <summary>
    /// Fixed slices of the order that the passes over all points take one at a time (the same slices whatever the
    /// threads, so a stable sort by slices is the same sort).
    /// </summary>
    const int Chunks = 8;

    readonly double[] chunkBounds = new double[4 * Chunks];

    int ChunkStart(int chunk) => (int)((long)points * chunk / Chunks);

    static void ForChunks(WorkerTeam? team, Action<int, int> body)
    {
        if (team is null) for (int chunk = 0; chunk < Chunks; chunk++) body(chunk, 0);
        else team.Run(Chunks, body);
    }

    /// <summary>Points from which <see cref="Build"/> builds the subtrees in parallel (below, the coordination costs more).</summary>
    public const int ParallelFromPoints = 2048;

    /// <summary>Depth of the cells whose subtrees are built in parallel: 4^3 = 64 of them, enough to balance the threads.</summary>
    public const int ParallelDepth = 3;

    QuadTree[] cells = [];
    int[] cellOf = [], cellStart = [], cellOffset = [], cellOrder = [], chunkFill = [];

    /// <summary>
    /// The top levels, the points sorted into the cells <see cref="ParallelDepth"/> down (a stable counting sort, by the
    /// comparisons <see cref="Quadrant"/> makes), each cell's subtree built over its own range of the order into its own
    /// node array, then copied behind the top levels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void BuildInCells(WorkerTeam? team)
    {
        int cellCount = 1 << (2 * ParallelDepth), firstCell = 0;
        for (int depth = 0; depth < ParallelDepth; depth++)
        {
            int levelStart = firstCell, levelEnd = nodes;
            for (int n = levelStart; n < levelEnd; n++) Split(n);
            firstCell = levelEnd;
        }
        // Cells numbered in depth-first order (each level's children side by side): their ranges follow one another.
        // A stable counting sort by cell, slice by slice: each slice's points of a cell go after the earlier slices'.
        if (cells.Length < cellCount) { cells = new QuadTree[cellCount]; for (int c = 0; c < cellCount; c++) cells[c] = new QuadTree(); }
        if (cellOf.Length < points) cellOf = new int[points];
        if (cellStart.Length < cellCount + 1) cellStart = new int[cellCount + 1];
        if (chunkFill.Length != Chunks * cellCount) chunkFill = new int[Chunks * cellCount];
        Array.Clear(chunkFill);
        ForChunks(team, (chunk, _) =>
        {
            var counts = chunkFill.AsSpan(chunk * cellCount, cellCount);
            for (int k = ChunkStart(chunk), end = ChunkStart(chunk + 1); k < end; k++)
            {
                double x = xs[k], y = ys[k];
                int node = 0;
                for (int depth = 0; depth < ParallelDepth; depth++) node += tree[node].Children + Quadrant(in tree[node], x, y);
                cellOf[k] = node - firstCell;
                counts[node - firstCell]++;
            }
        });
        for (int c = 0, place = 0; c < cellCount; c++)
        {
            cellStart[c] = place;
            for (int chunk = 0; chunk < Chunks; chunk++) (chunkFill[chunk * cellCount + c], place) = (place, place + chunkFill[chunk * cellCount + c]);
            cellStart[c + 1] = place;
        }
        ForChunks(team, (chunk, _) =>
        {
            var fill = chunkFill.AsSpan(chunk * cellCount, cellCount);
            for (int k = ChunkStart(chunk), end = ChunkStart(chunk + 1); k < end; k++)
            {
                int place = fill[cellOf[k]]++;
                orderScratch[place] = order[k]; xsScratch[place] = xs[k]; ysScratch[place] = ys[k];
            }
        });
        (order, orderScratch) = (orderScratch, order);
        (xs, xsScratch) = (xsScratch, xs);
        (ys, ysScratch) = (ysScratch, ys);

        if (cellOrder.Length != cellCount) cellOrder = new int[cellCount];
        LargestFirst(cellOrder, c => cellStart[c + 1] - cellStart[c]);
        void Cell(int item, int worker)
        {
            int c = cellOrder[item];
            ref readonly var top = ref tree[firstCell + c];
            cells[c].BuildCell(this, cellStart[c], cellStart[c + 1] - cellStart[c], top.CenterX, top.CenterY, top.Half, ParallelDepth);
        }
        if (team is null) for (int c = 0; c < cellCount; c++) Cell(c, 0);
        else team.Run(cellCount, Cell);

        // Each cell's node 0 is the cell itself (already in the top levels); its other nodes go behind, in cell order.
        int total = nodes;
        if (cellOffset.Length < cellCount) cellOffset = new int[cellCount];
        for (int c = 0; c < cellCount; c++) { cellOffset[c] = total; total += cells[c].nodes - 1; }
        if (tree.Length < total) Array.Resize(ref tree, total);
        void Copy(int item, int worker)
        {
            int c = cellOrder[item];
            cells[c].CopyInto(tree, firstCell + c, cellOffset[c]);
        }
        if (team is null) for (int c = 0; c < cellCount; c++) Copy(c, 0);
        else team.Run(cellCount, Copy);
        nodes = total;
        // The top levels' sums from their children (the cells' sums are in place), then their divisions.
        for (int n = firstCell - 1; n >= 0; n--)
        {
            ref var node = ref tree[n];
            node.Count = 0; node.MassX = node.MassY = 0;
            node.First = tree[n + node.Children].First;
            for (int q = 0; q < 4; q++)
            {
                ref readonly var child = ref tree[n + node.Children + q];
                node.Count += child.Count; node.MassX += child.MassX; node.MassY += child.MassY;
            }
        }
        DivideMasses(0, firstCell + cellCount);
    }

    /// <summary>
    /// Fills <paramref name="items"/> with 0, 1, ... in decreasing <paramref name="points"/> (ties: lower item first), the
    /// order the threads take cells and tasks in: the points of a map crowd into a few of them, and the last item a
    /// thread takes is then a small one, so neither thread waits long for the other.
    /// </summary>
    static void LargestFirst(Span<int> items, Func<int, int> points)
    {
        for (int item = 0; item < items.Length; item++) items[item] = item;
        items.Sort((a, b) => points(b).CompareTo(points(a)) is var bySize and not 0 ? bySize : a.CompareTo(b));
    }

    /// <summary>
    /// This tree as the subtree of one cell of <paramref name="whole"/>, over its places [first, first + count) of the
    /// order: node 0 is the cell, <paramref name="depth"/> deep in the whole tree. Centres of mass are left as sums in
    /// node 0 (its parent adds them up first) and divided everywhere else.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void BuildCell(QuadTree whole, int first, int count, double centerX, double centerY, double half, int depth)
    {
        (positions, order, orderScratch, xs, ys, xsScratch, ysScratch) =
            (whole.positions, whole.order, whole.orderScratch, whole.xs, whole.ys, whole.xsScratch, whole.ysScratch);
        if (tree.Length < count / 2 + 64) tree = new Node[count / 2 + 64];
        nodes = 0;
        NewNode(centerX, centerY, half, first, count);
        Subdivide(0, depth);
        DivideMasses(1, nodes);
    }

    /// <summary>
    /// Node <paramref name="n"/> (<paramref name="depth"/> deep) as a leaf, or split with its points partitioned among its
    /// children in quadrant order (stable), each child subdivided in turn; leaves its mass sums. The sums are taken in an
    /// order fixed by the shape (leaves by point number, children in quadrant order), so they do not depend on the order
    /// the points came in.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Subdivide(int n, int depth)
    {
        int first = tree[n].First, count = tree[n].Count;
        if (count <= LeafSize || depth >= MaxDepth) { Leaf(n); return; }
        double cx = tree[n].CenterX, cy = tree[n].CenterY;
        Span<int> fill = stackalloc int[4];
        fill.Clear();
        int end = first + count;
        for (int k = first; k < end; k++) fill[(xs[k] > cx ? 1 : 0) + (ys[k] > cy ? 2 : 0)]++;
        if (fill.Contains(count) && OnePosition(first, end)) { Leaf(n); return; }
        int child = Split(n);
        for (int q = 0, place = first; q < 4; q++)
        {
            tree[child + q].First = place; tree[child + q].Count = fill[q];
            (fill[q], place) = (place, place + fill[q]);
        }
        for (int k = first; k < end; k++)
        {
            int place = fill[(xs[k] > cx ? 1 : 0) + (ys[k] > cy ? 2 : 0)]++;
            orderScratch[place] = order[k]; xsScratch[place] = xs[k]; ysScratch[place] = ys[k];
        }
        orderScratch.AsSpan(first, count).CopyTo(order.AsSpan(first));
        xsScratch.AsSpan(first, count).CopyTo(xs.AsSpan(first));
        ysScratch.AsSpan(first, count).CopyTo(ys.AsSpan(first));
        double massX = 0, massY = 0;
        for (int q = 0; q < 4; q++)
        {
            if (tree[child + q].Count > 0) Subdivide(child + q, depth + 1);
            massX += tree[child + q].MassX; massY += tree[child + q].MassY;
        }
        tree[n].MassX = massX; tree[n].MassY = massY;
    }

    bool OnePosition(int first, int end)
    {
        for (int k = first + 1; k < end; k++)
            if (xs[k] != xs[first] || ys[k] != ys[first]) return false;
        return true;
    }

    /// <summary>Node <paramref name="n"/>'s points sorted by number, and their sums in that order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Leaf(int n)
    {
        int first = tree[n].First, end = first + tree[n].Count;
        if (end - first <= LeafSize)
            for (int k = first + 1; k < end; k++)
            {
                int i = order[k]; double x = xs[k], y = ys[k];
                int place = k;
                for (; place > first && order[place - 1] > i; place--) { order[place] = order[place - 1]; xs[place] = xs[place - 1]; ys[place] = ys[place - 1]; }
                order[place] = i; xs[place] = x; ys[place] = y;
            }
        else
        {
            order.AsSpan(first, end - first).Sort();
            for (int k = first; k < end; k++) { xs[k] = positions[2 * order[k]]; ys[k] = positions[2 * order[k] + 1]; }
        }
        double massX = 0, massY = 0;
        for (int k = first; k < end; k++) { massX += xs[k]; massY += ys[k]; }
        tree[n].MassX = massX; tree[n].MassY = massY;
    }

    /// <summary>Turns the mass sums of nodes <paramref name="first"/> to <paramref name="end"/> - 1 into centres of mass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void DivideMasses(int first, int end)
    {
        for (int n = first; n < end; n++)
            if (tree[n].Count > 0) { tree[n].MassX /= tree[n].Count; tree[n].MassY /= tree[n].Count; }
    }

    /// <summary>Writes this cell's node 0 over <paramref name="cell"/> and its other nodes from <paramref name="offset"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void CopyInto(Node[] target, int cell, int offset)
    {
        // Children are relative: the subtree moves in one block; only the cell's own node, placed apart, is relinked.
        Array.Copy(tree, 1, target, offset, nodes - 1);
        var root = tree[0];
        if (root.Children != 0) root.Children += offset - 1 - cell;
        target[cell] = root;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    int NewNode(double x, double y, double half, int first, int count)
    {
        if (nodes + 4 > tree.Length) Array.Resize(ref tree, tree.Length * 2);
        int n = nodes++;
        tree[n] = new Node { CenterX = x, CenterY = y, Half = half, First = first, Count = count };
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Quadrant(in Node node, double x, double y) => (x > node.CenterX ? 1 : 0) + (y > node.CenterY ? 2 : 0);

    /// <summary>Gives node <paramref name="n"/> four empty children, in quadrant order; returns the first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    int Split(int n)
    {
        double h = tree[n].Half / 2, cx = tree[n].CenterX, cy = tree[n].CenterY;
        int first = NewNode(cx - h, cy - h, h, 0, 0);
        NewNode(cx + h, cy - h, h, 0, 0);
        NewNode(cx - h, cy + h, h, 0, 0);
        NewNode(cx + h, cy + h, h, 0, 0);
        tree[n].Children = first - n;
        return first;
    }

    int groupSize;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    bool IsGroup(in Node node) => node.Count <= groupSize || node.Children == 0;

    /// <summary>Levels of the tree walked once per task before the tasks' subtrees go to the threads: 4^3 = 64 tasks at most.</summary>
    const int TaskDepth = 3;

    int[] taskPath = [];  // per task: the path's length below the root, then the path's nodes
    int tasks;
    Walker[] walkers = [];
    double[] zInOrder = [], repulsionInOrder = [];

    const int TaskSlot = TaskDepth + 1;

    /// <summary>
    /// Every point's repulsion: sum_j w_ij into z[i] and sum_j w_ij^2 (y_i - y_j) into repulsion[2i, 2i+1], by Barnes-Hut
    /// for groups of at most <paramref name="groupSize"/> points (the subtrees that small): one interaction list per
    /// group, tested against the group's bounding box, so each point's accuracy is at least per-point Barnes-Hut's.
    /// The lists are found on the way down the tree (<see cref="Walk.Descend"/>): a cell far from a whole region is
    /// found once for all the groups inside. Each group's list depends only on the tree, so the sums do not depend on
    /// the threads.
    /// </summary>
    public void Repulsion(int groupSize, double theta, WorkerTeam team, double[] z, double[] repulsion)
    {
        this.groupSize = groupSize;
        tasks = 0;
        Span<int> path = stackalloc int[TaskDepth + 1];
        CollectTasks(0, 0, path);
        if (zInOrder.Length < points) { zInOrder = new double[points]; repulsionInOrder = new double[2 * points]; }
        if (walkers.Length < team.Threads) { walkers = new Walker[team.Threads]; for (int w = 0; w < walkers.Length; w++) walkers[w] = new Walker(); }
        var work = new Walk(this, theta * theta, zInOrder, repulsionInOrder);
        if (taskOrder.Length < tasks) taskOrder = new int[taskPath.Length / TaskSlot];
        LargestFirst(taskOrder.AsSpan(0, tasks), TaskPoints);
        team.Run(tasks, (item, w) =>
        {
            int t = taskOrder[item];
            var walker = walkers[w];
            var slot = taskPath.AsSpan(t * TaskSlot, TaskSlot);
            walker.Candidates[0] = 0;
            walker.List.Clear();
            work.Descend(slot[1..(slot[0] + 1)], 0, 0, 1, walker);
        });
        // Results were written by place in the order (one group's side by side): written by point, neighbouring
        // entries would belong to other threads' groups and their cache lines would bounce between cores.
        team.RunInSlices(points, PointsPerItem, (start, end) =>
        {
            for (int k = start; k < end; k++)
            {
                int i = order[k];
                z[i] = zInOrder[k]; repulsion[2 * i] = repulsionInOrder[2 * k]; repulsion[2 * i + 1] = repulsionInOrder[2 * k + 1];
            }
        });
    }

    /// <summary>Points a thread takes at a time in the per-point passes over the whole map.</summary>
    public const int PointsPerItem = 4096;

    int[] taskOrder = [];

    /// <summary>Points under task <paramref name="t"/>'s cell (the last node of its path).</summary>
    int TaskPoints(int t)
    {
        int depth = taskPath[t * TaskSlot];
        return tree[depth == 0 ? 0 : taskPath[t * TaskSlot + depth]].Count;
    }

    /// <summary>The tasks: the non-empty cells <see cref="TaskDepth"/> levels down, or the groups above them.</summary>
    void CollectTasks(int n, int depth, Span<int> path)
    {
        ref readonly var node = ref tree[n];
        if (node.Count == 0) return;
        path[depth] = n;
        if (depth == TaskDepth || IsGroup(node))
        {
            if (taskPath.Length < (tasks + 1) * TaskSlot) Array.Resize(ref taskPath, Math.Max(64, 2 * tasks) * TaskSlot);
            var slot = taskPath.AsSpan(tasks++ * TaskSlot, TaskSlot);
            slot[0] = depth;
            path[1..(depth + 1)].CopyTo(slot[1..]);
            return;
        }
        for (int q = 0; q < 4; q++) CollectTasks(n + node.Children + q, depth + 1, path);
    }

    /// <summary>A thread's scratch: the interaction list (a stack: each level's cells on top of its parent's) and the cells still to decide.</summary>
    sealed class Walker
    {
        public readonly InteractionList List = new();
        public int[] Candidates = new int[1024];
    }

    readonly struct Walk(QuadTree quadTree, double theta2, double[] z, double[] repulsion)
    {
        /// <summary>
        /// The target cell <paramref name="target"/> with the source cells Candidates[from .. to) not yet decided for it.
        /// A source cell far enough from the whole target cell (the Barnes-Hut test against the cell's square) goes into
        /// the list for every point below, a near leaf's points one by one; a nearer cell is opened here if it is at least
        /// as large as the target, else left to the target's children. At a group the rest is decided against the group's
        /// bounding box, and its points run their sums over the whole list.
        /// <paramref name="path"/> is the way down to a task's cell: above it only that child is followed.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Descend(ReadOnlySpan<int> path, int target, int from, int to, Walker walker)
        {
            var tree = quadTree.tree;
            ref readonly var t = ref tree[target];
            var list = walker.List;
            int saved = list.Length;
            Span<int> stack = stackalloc int[StackSize];
            var (xs, ys) = (quadTree.xs, quadTree.ys);
            if (path.IsEmpty && quadTree.IsGroup(t))
            {
                int first = t.First, end = first + t.Count;
                double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
                for (int k = first; k < end; k++)
                {
                    minX = Math.Min(minX, xs[k]); maxX = Math.Max(maxX, xs[k]);
                    minY = Math.Min(minY, ys[k]); maxY = Math.Max(maxY, ys[k]);
                }
                Vector128<double> low = Vector128.Create(minX, minY), high = Vector128.Create(maxX, maxY);
                // Without branches on the outcome (summarise, take the points, open or skip): which one it is cannot be
                // predicted. One candidate at a time: the stack then holds at most 3 cells a level of one candidate's subtree.
                for (int c = from; c < to; c++)
                {
                    int top = Classify(tree, walker.Candidates[c], low, high, list, stack, 0);
                    while (top > 0)
                    {
                        int parent = stack[--top];
                        int child = parent + tree[parent].Children;
                        top = Classify(tree, child, low, high, list, stack, top);
                        top = Classify(tree, child + 1, low, high, list, stack, top);
                        top = Classify(tree, child + 2, low, high, list, stack, top);
                        top = Classify(tree, child + 3, low, high, list, stack, top);
                    }
                }
                for (int k = first; k < end; k++)
                    // Every point meets itself in the list (w = 1 at distance 0, no force): take it out of Z.
                    z[k] = list.Accumulate(xs[k], ys[k], out repulsion[2 * k], out repulsion[2 * k + 1]) - 1;
            }
            else
            {
                var center = Vector128.LoadUnsafe(in t.CenterX);
                Vector128<double> low = center - Vector128.Create(t.Half), high = center + Vector128.Create(t.Half);
                int next = to;
                for (int c = from; c < to; c++)
                {
                    int top = 0;
                    stack[top++] = walker.Candidates[c];
                    while (top > 0)
                    {
                        int n = stack[--top];
                        ref readonly var node = ref tree[n];
                        if (node.Count == 0) continue;
                        if (!Far(node, low, high))
                        {
                            if (node.Children == 0)
                            {
                                if (node.Count <= LeafSize) { list.AddPointsIf(xs, ys, node.First, node.Count, true); continue; }
                            }
                            else if (node.Half >= t.Half)
                            {
                                int child = n + node.Children;
                                stack[top++] = child + 3; stack[top++] = child + 2; stack[top++] = child + 1; stack[top++] = child;
                                continue;
                            }
                            else
                            {
                                if (next == walker.Candidates.Length) Array.Resize(ref walker.Candidates, 2 * next);
                                walker.Candidates[next++] = n;
                                continue;
                            }
                        }
                        list.Add(node.MassX, node.MassY, node.Count);
                    }
                }
                if (!path.IsEmpty) Descend(path[1..], path[0], to, next, walker);
                else
                    for (int q = 0; q < 4; q++)
                    {
                        int child = target + t.Children + q;
                        if (tree[child].Count == 0) continue;
                        Descend(path, child, to, next, walker);
                    }
            }
            list.Truncate(saved);
        }

        /// <summary>
        /// Node <paramref name="n"/> into the list as one mass (far from the box, or a leaf of one position), as its points
        /// (a near leaf), onto the stack to be opened, or nowhere (empty).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        int Classify(Node[] tree, int n, Vector128<double> low, Vector128<double> high, InteractionList list, Span<int> stack, int top)
        {
            ref readonly var node = ref tree[n];
            bool full = node.Count != 0, leaf = node.Children == 0, far = Far(node, low, high), few = node.Count <= LeafSize;
            list.AddIf(node.MassX, node.MassY, node.Count, full & (far | (leaf & !few)));
            list.AddPointsIf(quadTree.xs, quadTree.ys, node.First, node.Count, full & leaf & few & !far);
            stack[top] = n;
            return top + (full & !leaf & !far ? 1 : 0);
        }

        /// <summary>
        /// The Barnes-Hut test against the box [<paramref name="low"/>, <paramref name="high"/>]: the cell is summarised when
        /// its square does not overlap the box and its width is below theta times its centre of mass's distance to the box
        /// (then below theta times the distance to every point inside).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        bool Far(in Node node, Vector128<double> low, Vector128<double> high)
        {
            var mass = Vector128.LoadUnsafe(in node.MassX);     // (MassX, MassY)
            var center = Vector128.LoadUnsafe(in node.CenterX); // (CenterX, CenterY)
            var half = Vector128.Create(node.Half);
            var gap = Vector128.MaxNative(Vector128.MaxNative(low - mass, mass - high), Vector128<double>.Zero);
            gap *= gap;
            bool overlaps = Vector128.GreaterThanOrEqualAll(center + half, low) & Vector128.LessThanOrEqualAll(center - half, high);
            return !overlaps & 4 * node.Half * node.Half < theta2 * (gap.GetElement(0) + gap.GetElement(1));
        }
    }

    /// <summary>Stack depth a traversal may need.</summary>
    public static int StackSize => 4 * MaxDepth + 8;
}
