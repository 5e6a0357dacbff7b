package io.spotlight.cam.map;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Constant scalars as arrays made once per value, type and device, for the ops that run on every
 * guided step. DJL's {@code x.mul(2)} creates a scalar array for the 2, runs the op and frees the
 * scalar: three native calls where the op alone is one, ~9 µs against ~3 µs on a small array
 * (measured in session 10, not re-measured: experiments/bench/RESULTS.md, session 11). The
 * results equal the {@code Number} overloads' to the bit: the scalar has the array's own type, as
 * PyTorch casts a 0-dim operand to it anyway.
 *
 * <p>Only for a code's fixed constants (a bounded set of values): each stays in memory for the
 * life of the process.
 */
public final class Scalars {
    private record Key(Device device, DataType type, double value) {}

    private static final Map<Key, NDArray> CACHE = new ConcurrentHashMap<>();
    private static volatile NDManager owner;

    private Scalars() {}

    /** {@code value} as a 0-dim array of {@code like}'s type, on its device. */
    public static NDArray of(NDArray like, double value) {
        return CACHE.computeIfAbsent(new Key(like.getDevice(), like.getDataType(), value), k -> make(like, k));
    }

    private static NDArray make(NDArray like, Key k) {
        NDArray exact = owner(like).create(k.value());
        NDArray typed = exact.toType(k.type(), false).toDevice(k.device(), false);
        if (typed != exact) {
            exact.close();
        }
        return typed;
    }

    private static NDManager owner(NDArray like) {
        NDManager m = owner;
        if (m == null) {
            synchronized (Scalars.class) {
                m = owner;
                if (m == null) {
                    // never closed: the scalars live as long as the process, like the engine
                    m = NDManager.newBaseManager(like.getManager().getEngine().getEngineName());
                    owner = m;
                }
            }
        }
        return m;
    }
}
