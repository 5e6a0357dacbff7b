package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.spotlight.cam.CamException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One batch's annotations, per head: the allowed masks and has-mask flags, and what a guided step
 * makes of them — whether any sample is annotated (a read on the host) and the masks fitted to a
 * map's size ({@link RegionMasks}, with the weights of its means over annotated samples).
 *
 * <p>Those depend on the batch alone, not on the model's parameters. So where batches are assembled
 * on a thread of their own (the trainer's loader), {@link GuidedLoss#prepare} makes them there, off
 * the training thread; a step then finds them ready. Otherwise the step makes each when it first
 * needs it, with the same ops on the same arrays (so the same numbers, to the bit).
 */
public final class Annotations {
    private final Map<String, NDArray> allowed;
    private final Map<String, NDArray> hasMask;
    private volatile Boolean any;
    private final Map<Fitting, RegionMasks> fits = new ConcurrentHashMap<>();

    /**
     * What a fitting depends on besides the masks: the heads whose masks are fitted (stacked head
     * after head when there are several), the map's samples per head, size and number format, the
     * dilation.
     */
    record Fitting(List<String> heads, long batch, long height, long width, DataType type, int dilation) {}

    /** A fitting and the scales of the means over annotated samples that a step took of it. */
    record Plan(Fitting fitting, Set<Double> meanScales) {}

    private Annotations(Map<String, NDArray> allowed, Map<String, NDArray> hasMask, Boolean any) {
        this.allowed = allowed;
        this.hasMask = hasMask;
        this.any = any;
    }

    /**
     * @param allowed per head, the allowed mask at input resolution [B, 1, H, W] (1 = allowed)
     * @param hasMask per head [B], nonzero for annotated samples
     */
    public static Annotations of(Map<String, NDArray> allowed, Map<String, NDArray> hasMask) {
        return new Annotations(Map.copyOf(allowed), Map.copyOf(hasMask), null);
    }

    /** A head's allowed mask; an error naming the head when the batch has none for it. */
    NDArray allowed(String head) {
        return require(allowed, head, "allowed mask");
    }

    /** A head's has-mask flags; an error naming the head when the batch has none for it. */
    NDArray hasMask(String head) {
        return require(hasMask, head, "has-mask flags");
    }

    /** Whether any head has any annotated sample: read on the host once per batch. */
    public boolean any() {
        Boolean a = any;
        if (a == null) {
            a = false;
            for (NDArray h : hasMask.values()) {
                if (h.toType(DataType.FLOAT32, false).sum().getFloat() > 0) {
                    a = true;
                    break;
                }
            }
            any = a;
        }
        return a;
    }

    /** These annotations cut to the batch's first {@code n} samples (a sub-batch: nothing made yet). */
    Annotations first(long n) {
        NDIndex rows = new NDIndex("0:" + n);
        Map<String, NDArray> a = new HashMap<>();
        Map<String, NDArray> h = new HashMap<>();
        allowed.forEach((head, m) -> a.put(head, m.get(rows)));
        hasMask.forEach((head, f) -> h.put(head, f.get(rows)));
        return new Annotations(a, h, null);
    }

    /**
     * The masks of {@code heads} fitted to maps of {@code batch} samples per head, {@code height ×
     * width}, of {@code type} (made on the first call, then kept): for several heads, their masks
     * and flags stacked head after head ({@link RegionMasks#inGroups}), so that a term's penalty
     * costs the same ops for any number of heads.
     */
    RegionMasks fitted(List<String> heads, long batch, long height, long width, DataType type, int dilation) {
        Fitting key = new Fitting(List.copyOf(heads), batch, height, width, type, dilation);
        RegionMasks m = fits.get(key);
        if (m == null) {
            m = fits.computeIfAbsent(key, this::fit);
        }
        return m;
    }

    private RegionMasks fit(Fitting f) {
        if (f.heads().size() == 1) {
            String head = f.heads().get(0);
            return RegionMasks.fit(allowed(head), hasMask(head), f.batch(), f.height(), f.width(), f.type(), f.dilation(),
                    "mask of head '" + head + "'");
        }
        NDList masks = new NDList();
        NDList flags = new NDList();
        for (String head : f.heads()) {
            masks.add(allowed(head));
            flags.add(hasMask(head).toType(f.type(), false));
        }
        int n = f.heads().size();
        return RegionMasks.fit(NDArrays.concat(masks), NDArrays.concat(flags), n * f.batch(), f.height(), f.width(), f.type(),
                f.dilation(), "masks of heads " + f.heads()).inGroups(n);
    }

    /** What was fitted so far, with the means taken of each: what {@link #prepare} makes for the next batch. */
    List<Plan> plans() {
        List<Plan> plans = new ArrayList<>();
        fits.forEach((f, m) -> plans.add(new Plan(f, m.meanScales())));
        return plans;
    }

    /**
     * Makes a plan's fitting and its means' weights now (on the calling thread), if the plan is for
     * a batch of this one's size: an epoch's last batch may be smaller, and its step fits its own.
     */
    void prepare(Plan plan) {
        Fitting f = plan.fitting();
        if (f.batch() != rows()) {
            return;
        }
        fitted(f.heads(), f.batch(), f.height(), f.width(), f.type(), f.dilation()).prepareMeans(plan.meanScales());
    }

    /** The batch's samples (its first head's mask's rows). */
    private long rows() {
        return allowed.values().iterator().next().getShape().get(0);
    }

    /** How many fittings are made already (for tests: what the loader prepared). */
    public int fittings() {
        return fits.size();
    }

    /** The first of {@code heads} whose masks or flags differ from head {@code reference}'s, or null. */
    String headWithAnotherRegion(String reference, List<String> heads) {
        NDArray mask = allowed(reference);
        NDArray has = hasMask(reference);
        for (String head : heads) {
            if (!sameRegions(allowed(head), hasMask(head), mask, has)) {
                return head;
            }
        }
        return null;
    }

    /** Whether two heads' masks and flags are the same (the same arrays, or equal contents). */
    private static boolean sameRegions(NDArray mask, NDArray has, NDArray otherMask, NDArray otherHas) {
        return (mask == otherMask || mask.getShape().equals(otherMask.getShape()) && mask.contentEquals(otherMask))
                && (has == otherHas || has.getShape().equals(otherHas.getShape()) && has.contentEquals(otherHas));
    }

    private static NDArray require(Map<String, NDArray> byHead, String head, String what) {
        NDArray a = byHead.get(head);
        if (a == null) {
            throw new CamException("the batch has no " + what + " for head '" + head + "'");
        }
        return a;
    }
}
