using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        public int Count, Children, Point; // Children: from this node to its first child (0: a leaf), so a copied subtree needs no relinking
    }

    Node[] tree = new Node[16];
    int nodes;
    double[] positions = [];
    readonly Dictionary<int, List<int>> duplicates = []; // leaf resident -> the other points at its position

    /// <summary>
    /// Builds the tree over positions [x0, y0, x1, y1, ...] (<see cref="BuildInCells"/>). With a <paramref name="team"/>
    /// of threads and at least <see cref="ParallelFromPoints"/> points, the subtrees under the cells of depth
    /// <see cref="ParallelDepth"/> are built side by side; the tree is the same either way. Inserting in the last
    /// walk's order keeps consecutive insertions on the same paths (cache-friendly); the tree's shape depends only on
    /// the positions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Build(double[] coordinates, int points, int[]? insertionOrder = null, WorkerTeam? team = null)
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
        BuildInCells(points, insertionOrder, team is { Threads: > 1 } && points >= ParallelFromPoints ? team : null);
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
            if (node.Children == 0)
            {
                node.MassX = positions[2 * node.Point] * node.Count; // duplicates share the position
                node.MassY = positions[2 * node.Point + 1] * node.Count;
            }
            else
            {
                node.MassX = node.MassY = 0;
                for (int q = 0; q < 4; q++) { node.MassX += tree[n + node.Children + q].MassX; node.MassY += tree[n + node.Children + q].MassY; }
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
    int[] cellOf = [], cellStart = [], inCells = [], cellOffset = [], cellOrder = [];

    /// <summary>
    /// The root split down to depth <see cref="ParallelDepth"/> whatever the points (a cell holding one position becomes
    /// a chain of nodes with one non-empty child each), each point sent to its cell by the same comparisons
    /// <see cref="Insert"/> makes, the cells' subtrees built into their own arrays (by the <paramref name="team"/> if
    /// any), then copied behind the top levels. The points keep the insertion order within each cell, so leaves shared
    /// by duplicates list them in the same order however the cells were built.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void BuildInCells(int points, int[]? insertionOrder, WorkerTeam? team)
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
            for (int depth = 0; depth < ParallelDepth; depth++) node += tree[node].Children + Quadrant(node, x, y);
            cellOf[r] = node - firstCell;
            cellStart[node - firstCell + 1]++;
        }
        for (int c = 0; c < cellCount; c++) cellStart[c + 1] += cellStart[c];
        Span<int> fill = stackalloc int[cellCount];
        cellStart.AsSpan(0, cellCount).CopyTo(fill);
        for (int r = 0; r < points; r++) inCells[fill[cellOf[r]]++] = insertionOrder is null ? r : insertionOrder[r];

        if (cellOrder.Length != cellCount) cellOrder = new int[cellCount];
        LargestFirst(cellOrder, c => cellStart[c + 1] - cellStart[c]);
        void Cell(int item, int worker)
        {
            int c = cellOrder[item];
            ref readonly var top = ref tree[firstCell + c];
            cells[c].BuildCell(positions, inCells.AsSpan(cellStart[c], cellStart[c + 1] - cellStart[c]), top.CenterX, top.CenterY, top.Half, ParallelDepth);
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
        for (int c = 0; c < cellCount; c++)
            foreach (var (resident, others) in cells[c].duplicates) duplicates[resident] = others;
        // The top levels' sums from their children (the cells' sums are in place), then every division.
        for (int n = firstCell - 1; n >= 0; n--)
        {
            ref var node = ref tree[n];
            node.Count = 0; node.MassX = node.MassY = 0;
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
    int NewNode(double x, double y, double half)
    {
        if (nodes + 4 > tree.Length) Array.Resize(ref tree, tree.Length * 2);
        int n = nodes++;
        tree[n] = new Node { CenterX = x, CenterY = y, Half = half, Point = -1 };
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
            if (tree[node].Children == 0)
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
            node += tree[node].Children + Quadrant(node, x, y);
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
        tree[node].Children = first - node;
        if (!resident) return;
        ref var parent = ref tree[node];
        int point = parent.Point;
        ref var child = ref tree[first + Quadrant(node, positions[2 * point], positions[2 * point + 1])];
        child.Point = point; child.Count = parent.Count;
        parent.Point = -1;
    }

    int groupSize;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    bool IsGroup(in Node node) => node.Count <= groupSize || node.Children == 0;

    /// <summary>Writes the points under <paramref name="root"/> into <paramref name="order"/> from <paramref name="filled"/> on, duplicates included; returns the end.</summary>
    int CollectPoints(int root, int[] order, int filled)
    {
        Span<int> stack = stackalloc int[StackSize];
        int top = 0;
        stack[top++] = root;
        while (top > 0)
        {
            int index = stack[--top];
            ref readonly var node = ref tree[index];
            if (node.Count == 0) continue;
            if (node.Children == 0)
            {
                order[filled++] = node.Point;
                for (int d = 1; d < node.Count; d++) order[filled++] = duplicates[node.Point][d - 1];
                continue;
            }
            for (int q = 3; q >= 0; q--) stack[top++] = index + node.Children + q;
        }
        return filled;
    }

    /// <summary>Levels of the tree walked once per task before the tasks' subtrees go to the threads: 4^3 = 64 tasks at most.</summary>
    const int TaskDepth = 3;

    int[] taskPath = [];  // per task: the path's length below the root, the path's nodes, the task's first place in the order
    int tasks;
    Walker[] walkers = [];
    double[] zInOrder = [], repulsionInOrder = [];

    const int TaskSlot = TaskDepth + 2;

    /// <summary>
    /// Every point's repulsion: sum_j w_ij into z[i] and sum_j w_ij^2 (y_i - y_j) into repulsion[2i, 2i+1], by Barnes-Hut
    /// for groups of at most <paramref name="groupSize"/> points (the subtrees that small): one interaction list per
    /// group, tested against the group's bounding box, so each point's accuracy is at least per-point Barnes-Hut's.
    /// The lists are found on the way down the tree (<see cref="Walk.Descend"/>): a cell far from a whole region is
    /// found once for all the groups inside. Writes the points in the order of a depth-first walk (neighbours in space
    /// side by side) into <paramref name="order"/>, the insertion order of the next <see cref="Build"/>. Each group's list
    /// depends only on the tree, so the sums do not depend on the threads.
    /// </summary>
    public void Repulsion(int[] order, int groupSize, double theta, WorkerTeam team, double[] z, double[] repulsion)
    {
        this.groupSize = groupSize;
        int points = tree[0].Count;
        tasks = 0;
        Span<int> path = stackalloc int[TaskDepth + 1];
        int filled = 0;
        CollectTasks(0, 0, path, ref filled);
        if (zInOrder.Length < points) { zInOrder = new double[points]; repulsionInOrder = new double[2 * points]; }
        if (walkers.Length < team.Threads) { walkers = new Walker[team.Threads]; for (int w = 0; w < walkers.Length; w++) walkers[w] = new Walker(); }
        var work = new Walk(this, order, theta * theta, zInOrder, repulsionInOrder);
        if (taskOrder.Length < tasks) taskOrder = new int[taskPath.Length / TaskSlot];
        LargestFirst(taskOrder.AsSpan(0, tasks), TaskPoints);
        team.Run(tasks, (item, w) =>
        {
            int t = taskOrder[item];
            var walker = walkers[w];
            var slot = taskPath.AsSpan(t * TaskSlot, TaskSlot);
            walker.Candidates[0] = 0;
            walker.List.Clear();
            work.Descend(slot[1..(slot[0] + 1)], 0, slot[TaskSlot - 1], 0, 1, walker);
        });
        // Results were written by place in the order (one group's side by side): written by point, neighbouring
        // entries would belong to other threads' groups and their cache lines would bounce between cores.
        for (int k = 0; k < points; k++)
        {
            int i = order[k];
            z[i] = zInOrder[k]; repulsion[2 * i] = repulsionInOrder[2 * k]; repulsion[2 * i + 1] = repulsionInOrder[2 * k + 1];
        }
    }

    int[] taskOrder = [];

    /// <summary>Points under task <paramref name="t"/>'s cell (the last node of its path).</summary>
    int TaskPoints(int t)
    {
        int depth = taskPath[t * TaskSlot];
        return tree[depth == 0 ? 0 : taskPath[t * TaskSlot + depth]].Count;
    }

    /// <summary>The tasks: the non-empty cells <see cref="TaskDepth"/> levels down, or the groups above them, in depth-first order.</summary>
    void CollectTasks(int n, int depth, Span<int> path, ref int filled)
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
            slot[TaskSlot - 1] = filled;
            filled += node.Count;
            return;
        }
        for (int q = 0; q < 4; q++) CollectTasks(n + node.Children + q, depth + 1, path, ref filled);
    }

    /// <summary>A thread's scratch: the interaction list (a stack: each level's cells on top of its parent's) and the cells still to decide.</summary>
    sealed class Walker
    {
        public readonly InteractionList List = new();
        public int[] Candidates = new int[1024];
    }

    readonly struct Walk(QuadTree quadTree, int[] order, double theta2, double[] z, double[] repulsion)
    {
        /// <summary>
        /// The target cell <paramref name="target"/>, whose points start at <paramref name="first"/> in the order, with
        /// the source cells Candidates[from .. to) not yet decided for it. A source cell far enough from the whole target
        /// cell (the Barnes-Hut test against the cell's square) goes into the list for every point below; a nearer one is
        /// opened here if it is at least as large as the target, else left to the target's children. At a group the rest
        /// is decided against the group's bounding box, and its points run their sums over the whole list.
        /// <paramref name="path"/> is the way down to a task's cell: above it only that child is followed.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Descend(ReadOnlySpan<int> path, int target, int first, int from, int to, Walker walker)
        {
            var tree = quadTree.tree;
            ref readonly var t = ref tree[target];
            var list = walker.List;
            int saved = list.Length;
            Span<int> stack = stackalloc int[StackSize];
            if (path.IsEmpty && quadTree.IsGroup(t))
            {
                int end = quadTree.CollectPoints(target, order, first);
                var members = order.AsSpan(first, end - first);
                var positions = quadTree.positions;
                double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
                foreach (int i in members)
                {
                    minX = Math.Min(minX, positions[2 * i]); maxX = Math.Max(maxX, positions[2 * i]);
                    minY = Math.Min(minY, positions[2 * i + 1]); maxY = Math.Max(maxY, positions[2 * i + 1]);
                }
                Vector128<double> low = Vector128.Create(minX, minY), high = Vector128.Create(maxX, maxY);
                // Without branches on the outcome (summarise, open or skip): which one it is cannot be predicted.
                // One candidate at a time: the stack then holds at most 3 cells a level of one candidate's subtree.
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
                int k = first;
                foreach (int i in members)
                {
                    // Every point meets its own leaf in the list (w = 1 at distance 0, no force): take it out of Z.
                    z[k] = list.Accumulate(positions[2 * i], positions[2 * i + 1], out repulsion[2 * k], out repulsion[2 * k + 1]) - 1;
                    k++;
                }
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
                        if (node.Children != 0 && !Far(node, low, high))
                        {
                            if (node.Half >= t.Half)
                            {
                                int child = n + node.Children;
                                stack[top++] = child + 3; stack[top++] = child + 2; stack[top++] = child + 1; stack[top++] = child;
                            }
                            else
                            {
                                if (next == walker.Candidates.Length) Array.Resize(ref walker.Candidates, 2 * next);
                                walker.Candidates[next++] = n;
                            }
                            continue;
                        }
                        list.Add(node.MassX, node.MassY, node.Count);
                    }
                }
                if (!path.IsEmpty) Descend(path[1..], path[0], first, to, next, walker);
                else
                    for (int q = 0; q < 4; q++)
                    {
                        int child = target + t.Children + q;
                        if (tree[child].Count == 0) continue;
                        Descend(path, child, first, to, next, walker);
                        first += tree[child].Count;
                    }
            }
            list.Truncate(saved);
        }

        /// <summary>Node <paramref name="n"/> into the list (a leaf, or far from the box), onto the stack to be opened, or nowhere (empty).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        int Classify(Node[] tree, int n, Vector128<double> low, Vector128<double> high, InteractionList list, Span<int> stack, int top)
        {
            ref readonly var node = ref tree[n];
            bool full = node.Count != 0, leaf = node.Children == 0, far = Far(node, low, high);
            list.AddIf(node.MassX, node.MassY, node.Count, full & (leaf | far));
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
