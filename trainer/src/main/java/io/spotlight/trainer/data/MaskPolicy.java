package io.spotlight.trainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which training samples keep their masks and how the masks are degraded: the studies of scarce
 * and noisy annotation (config block {@code annotation}). A sample that loses its mask becomes
 * unguided (all allowed, {@code hasMask = 0}), exactly like an unannotated image in a user's data.
 *
 * <p>Degradations act on the forbidden region (mask 0) of each head's mask: {@code dilate} grows it
 * by that many pixels (Chebyshev distance); {@code shift} moves the whole mask by that many pixels
 * in one of the eight directions, drawn per sample (what is shifted in from outside is allowed);
 * {@code random} replaces it by a region of the same bounding-box size at a uniformly random
 * position (a wrong mask). All draws depend only on the seed and the sample's index.
 *
 * @param share fraction of the samples that keep their mask, in [0, 1]
 * @param count if positive, exactly this many samples keep theirs (overrides {@code share})
 * @param shift pixels
 * @param dilate pixels
 * @param random whether the forbidden region is replaced by a random one
 * @param seed seed of every draw
 */
public record MaskPolicy(double share, int count, int shift, int dilate, boolean random, long seed) {
    private static final long KEEP_STREAM = 101;
    private static final long NOISE_STREAM = 102;

    /** Every mask kept as it is. */
    public static final MaskPolicy TRUE_MASKS = new MaskPolicy(1, 0, 0, 0, false, 0);

    public MaskPolicy {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("annotation.share must be in [0, 1], got " + share);
        }
        if (count < 0 || shift < 0 || dilate < 0) {
            throw new IllegalArgumentException("annotation.count, shift and dilate must be >= 0, got " + count + ", " + shift + ", " + dilate);
        }
    }

    /** @return whether this policy changes nothing */
    public boolean isIdentity() {
        return share == 1 && count == 0 && shift == 0 && dilate == 0 && !random;
    }

    /** How many of {@code size} samples keep their masks. */
    int kept(int size) {
        return count > 0 ? Math.min(count, size) : (int) Math.round(share * size);
    }

    /**
     * The samples that keep their masks: the first {@link #kept} of a seeded permutation.
     *
     * @param size the data set's size
     * @return per sample index, whether it keeps its mask
     */
    boolean[] keeps(int size) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom r = SampleRandom.of(seed, KEEP_STREAM, 0);
        for (int i = size - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        boolean[] keep = new boolean[size];
        for (int i = 0; i < kept(size); i++) {
            keep[order[i]] = true;
        }
        return keep;
    }

    /**
     * @param sample a sample with its true masks
     * @param keep whether it keeps them (from {@link #keeps})
     * @return the sample as the policy annotates it
     */
    GuidedSample apply(GuidedSample sample, boolean keep) {
        int heads = sample.labels().length;
        List<float[]> masks = new ArrayList<>(heads);
        boolean[] has = sample.hasMask().clone();
        int h = (int) sample.imageShape().get(1);
        int w = (int) sample.imageShape().get(2);
        SplittableRandom r = SampleRandom.of(seed, NOISE_STREAM, sample.index());
        for (int k = 0; k < heads; k++) {
            float[] mask = sample.allowedMasks().get(k);
            if (!keep || !has[k]) {
                float[] all = new float[mask.length];
                Arrays.fill(all, 1f);
                masks.add(all);
                has[k] = false;
                continue;
            }
            float[] m = mask.clone();
            if (random) {
                m = randomRegion(m, h, w, r);
            }
            if (shift > 0) {
                m = shifted(m, h, w, r);
            }
            if (dilate > 0) {
                m = dilated(m, h, w, dilate);
            }
            masks.add(m);
        }
        return new GuidedSample(sample.index(), sample.image(), sample.imageShape(), sample.labels(), masks, sample.maskShapes(), has);
    }

    private float[] shifted(float[] m, int h, int w, SplittableRandom r) {
        int dir = r.nextInt(8); // the eight neighbours' directions
        int[] dys = {-1, -1, -1, 0, 0, 1, 1, 1};
        int[] dxs = {-1, 0, 1, -1, 1, -1, 0, 1};
        int dy = dys[dir] * shift;
        int dx = dxs[dir] * shift;
        float[] out = new float[m.length];
        Arrays.fill(out, 1f);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sy = y - dy;
                int sx = x - dx;
                if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                    out[y * w + x] = m[sy * w + sx];
                }
            }
        }
        return out;
    }

    static float[] dilated(float[] m, int h, int w, int by) {
        float[] out = m.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (m[y * w + x] != 0f) {
                    continue;
                }
                for (int yy = Math.max(0, y - by); yy <= Math.min(h - 1, y + by); yy++) {
                    Arrays.fill(out, yy * w + Math.max(0, x - by), yy * w + Math.min(w - 1, x + by) + 1, 0f);
                }
            }
        }
        return out;
    }

    /** A forbidden rectangle of the true region's bounding-box size, placed uniformly at random. */
    private static float[] randomRegion(float[] m, int h, int w, SplittableRandom r) {
        int top = h;
        int bottom = -1;
        int left = w;
        int right = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (m[y * w + x] == 0f) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        int rh = bottom - top + 1;
        int rw = right - left + 1;
        int y0 = r.nextInt(h - Math.max(rh, 1) + 1);
        int x0 = r.nextInt(w - Math.max(rw, 1) + 1);
        float[] out = new float[m.length];
        Arrays.fill(out, 1f);
        if (bottom < 0) {
            return out; // nothing was forbidden
        }
        for (int y = y0; y < y0 + rh; y++) {
            Arrays.fill(out, y * w + x0, y * w + x0 + rw, 0f);
        }
        return out;
    }
}
