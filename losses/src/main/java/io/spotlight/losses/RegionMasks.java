package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import io.spotlight.cam.CamException;
import io.spotlight.cam.map.CamMaps;
import io.spotlight.cam.map.Scalars;

/**
 * One head's annotation for one batch, fitted to one map: where attention is forbidden at the
 * map's resolution and, for penalties that compare at input resolution, the allowed mask there.
 *
 * <p>The forbidden region is first grown by {@code dilation} input pixels (a layer's receptive
 * field: a cell whose field touches the forbidden region can carry its information), then a map
 * cell is forbidden if ANY of its input pixels is. A partially forbidden cell counts as forbidden
 * because information does not respect cell boundaries; area fractions would let the model hide a
 * shortcut in border cells.
 *
 * <p>When the input size is a whole multiple {@code f} of the map size (every layer of a CNN with
 * stride-2 pooling), dilation and fitting are one max-pool of kernel {@code f + 2·dilation},
 * stride {@code f}, padding {@code dilation}: the max of the forbidden mask (taken as the max of
 * −allowed) over a cell's pixels grown by the dilation. This runs on every guided step, so it is
 * one native op instead of five.
 */
public final class RegionMasks {
    private final NDArray forbiddenAtMap;
    /** [B, 1, H, W], the allowed mask as given, in the map's type. */
    private final NDArray allowedAtInputUndilated;
    private final int dilation;
    private final NDArray hasMask;
    private final int groups;
    private NDArray allowedAtInput;
    /** {@link #annotatedWeights} by scale. */
    private final java.util.Map<Double, NDArray> weights = new java.util.HashMap<>();
    /** {@link #membership}, made on first use. */
    private NDArray membership;

    private RegionMasks(NDArray forbiddenAtMap, NDArray allowedAtInputUndilated, int dilation, NDArray hasMask, int groups) {
        this.forbiddenAtMap = forbiddenAtMap;
        this.allowedAtInputUndilated = allowedAtInputUndilated;
        this.dilation = dilation;
        this.hasMask = hasMask;
        this.groups = groups;
    }

    /**
     * These masks for a batch that stacks {@code n} heads' samples head after head ([n·B, ...]):
     * statistics over "the batch" (such as {@link OutsideShare}'s mass floor) are then taken per head.
     */
    public RegionMasks inGroups(int n) {
        return new RegionMasks(forbiddenAtMap, allowedAtInputUndilated, dilation, hasMask, n);
    }

    /** How many heads' batches are stacked in these masks (1 unless {@link #inGroups}). */
    public int groups() {
        return groups;
    }

    /**
     * @param allowed the head's allowed mask at input resolution, [B, 1, H, W] or [B, H, W], 1 = allowed
     * @param hasMask [B], nonzero where the sample has a mask
     * @param map the map the masks are fitted to, [B, h, w]
     * @param dilation input pixels by which to grow the forbidden region
     * @param what names the mask in error messages
     */
    public static RegionMasks fit(NDArray allowed, NDArray hasMask, NDArray map, int dilation, String what) {
        Shape m = map.getShape();
        return fit(allowed, hasMask, m.get(0), m.get(1), m.get(2), map.getDataType(), dilation, what);
    }

    /**
     * {@link #fit(NDArray, NDArray, NDArray, int, String)} to a map of {@code batch × height ×
     * width} of {@code type}, without the map itself (the fitting depends only on its size: see
     * {@link Annotations}).
     */
    public static RegionMasks fit(NDArray allowed, NDArray hasMask, long batch, long height, long width, DataType type,
            int dilation, String what) {
        Shape m = new Shape(batch, height, width);
        Shape a = allowed.getShape();
        if (a.dimension() == 4 && a.get(1) != 1) {
            throw new CamException(what + " must have one channel, got shape " + a);
        }
        NDArray allowedTyped = allowed.toType(type, false);
        if (a.dimension() == 3) {
            allowedTyped = allowedTyped.expandDims(1); // [B, 1, H, W] for the pooling
        }
        Shape f = allowedTyped.getShape();
        NDArray atMap;
        if (f.dimension() == 4 && f.get(0) == batch && f.get(2) >= m.get(1) && f.get(3) >= m.get(2)
                && f.get(2) % m.get(1) == 0 && f.get(3) % m.get(2) == 0) {
            long fy = f.get(2) / m.get(1);
            long fx = f.get(3) / m.get(2);
            // a cell is forbidden when any pixel of its grown window is not fully allowed: the
            // window's max of -allowed is above -1 (for allowed in [0, 1] the same test as
            // "max of 1 - allowed > 0", and one op fewer; this runs on every guided step)
            NDArray pooled = Pool.maxPool2d(allowedTyped.neg(), new Shape(fy + 2L * dilation, fx + 2L * dilation),
                    new Shape(fy, fx), new Shape(dilation, dilation), false);
            atMap = pooled.reshape(batch, m.get(1), m.get(2)).gt(Scalars.of(pooled, -1)).toType(type, false);
        } else {
            // fitMask checks the shape and names the mask when it cannot be fitted
            atMap = CamMaps.fitMask(CamMaps.dilate(forbidden(allowedTyped), dilation), batch, m.get(1), m.get(2), what)
                    .gt(0).toType(type, false);
        }
        NDArray has = hasMask.toType(type, false);
        if (has.getShape().dimension() != 1) {
            has = has.reshape(batch);
        }
        return new RegionMasks(atMap, allowedTyped, dilation, has, 1);
    }

    private static NDArray forbidden(NDArray allowed) {
        return allowed.neg().add(1);
    }

    /** [B, h, w], 1 where attention is forbidden at the map's resolution. */
    public NDArray forbiddenAtMap() {
        return forbiddenAtMap;
    }

    /** [B, H, W], 1 where attention is allowed at input resolution, after dilating the forbidden part. */
    public synchronized NDArray allowedAtInput() {
        if (allowedAtInput == null) {
            NDArray f = forbidden(allowedAtInputUndilated);
            allowedAtInput = CamMaps.dilate(f.reshape(f.getShape().get(0), f.getShape().get(2), f.getShape().get(3)), dilation)
                    .neg().add(1);
        }
        return allowedAtInput;
    }

    /**
     * The mean of a per-sample value over each group's annotated samples, [groups] (0 for a group
     * without any), times {@code scale}. It is one matrix-vector product with weights flag / count
     * (made once per masks and scale, and shared by every mean taken of these masks: the penalty's
     * mass floor and the term's mean over samples): on every guided step each op that autograd
     * records costs ~25 µs forward and backward (experiments/bench/RESULTS.md, session 11), and a
     * product is one such op where flags, sum and division were four. The weights are a [groups, N]
     * matrix, so that the product is PyTorch's matrix-vector one, one recorded op; a [B] × [B, 1]
     * product is recorded as three (unsqueeze, mm, squeeze: session 13).
     */
    public NDArray annotatedMean(NDArray perSample, double scale) {
        return annotatedWeights(scale).matMul(perSample); // [groups, N] x [N] -> [groups]
    }

    /** {@link #annotatedMean(NDArray, double)} with scale 1. */
    public NDArray annotatedMean(NDArray perSample) {
        return annotatedMean(perSample, 1);
    }

    /**
     * A value per group, [groups], as a value per sample: each sample gets its group's, [N]; one
     * group's [1] is returned as it is (it broadcasts against [N]). One op for several groups.
     */
    public NDArray perSample(NDArray perGroup) {
        return groups == 1 ? perGroup : membership().transpose().matMul(perGroup); // [N, groups] x [groups] -> [N]
    }

    /**
     * scale × flag / max(1, the group's count of flags) as a [groups, N] matrix: row g holds group
     * g's weights over its own samples, 0 elsewhere. Any other scale is one op on scale 1's weights.
     */
    private synchronized NDArray annotatedWeights(double scale) {
        NDArray unit = weights.computeIfAbsent(1.0, s -> {
            NDArray flags = hasMask.reshape(groups, -1);
            NDArray count = flags.sum(new int[] {1}, true);
            NDArray w = flags.div(count.maximum(Scalars.of(count, 1))); // [groups, B]
            return groups == 1 ? w : membership().mul(w.reshape(1, -1)); // a row's weights kept on its group's samples
        });
        return weights.computeIfAbsent(scale, s -> unit.mul(Scalars.of(unit, s)));
    }

    /** [groups, N], 1 where sample n belongs to group g (the groups' samples follow each other). */
    private synchronized NDArray membership() {
        if (membership == null) {
            long perGroup = hasMask.size() / groups;
            NDArray eye = hasMask.getManager().eye(groups, groups, 0, hasMask.getDataType(), hasMask.getDevice());
            membership = eye.reshape(groups, groups, 1).repeat(2, perGroup).reshape(groups, -1);
        }
        return membership;
    }

    /** The scales of the means taken of these masks so far ({@link #annotatedMean(NDArray, double)}). */
    synchronized java.util.Set<Double> meanScales() {
        return java.util.Set.copyOf(weights.keySet());
    }

    /** Makes the weights of means with these scales now (see {@link Annotations}: on the batch loader's thread). */
    void prepareMeans(java.util.Set<Double> scales) {
        scales.forEach(this::annotatedWeights);
        if (groups > 1) {
            membership();
        }
    }

    /** [B], 1 for samples that carry an annotation; others contribute nothing. */
    public NDArray hasMask() {
        return hasMask;
    }
}
