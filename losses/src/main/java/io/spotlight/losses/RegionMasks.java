package io.spotlight.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.CamException;
import io.spotlight.cam.map.CamMaps;

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
 * @param forbiddenAtMap [B, h, w], 1 where attention is forbidden
 * @param allowedAtInput [B, H, W], 1 where attention is allowed (after dilation of the forbidden part)
 * @param hasMask [B], 1 for samples that carry an annotation; others contribute nothing
 */
public record RegionMasks(NDArray forbiddenAtMap, NDArray allowedAtInput, NDArray hasMask) {

    /**
     * @param allowed the head's allowed mask at input resolution, [B, 1, H, W] or [B, H, W], 1 = allowed
     * @param hasMask [B], nonzero where the sample has a mask
     * @param map the map the masks are fitted to, [B, h, w]
     * @param dilation input pixels by which to grow the forbidden region
     * @param what names the mask in error messages
     */
    public static RegionMasks fit(NDArray allowed, NDArray hasMask, NDArray map, int dilation, String what) {
        Shape m = map.getShape();
        long batch = m.get(0);
        Shape a = allowed.getShape();
        if (a.dimension() == 4) {
            if (a.get(1) != 1) {
                throw new CamException(what + " must have one channel, got shape " + a);
            }
            allowed = allowed.reshape(a.get(0), a.get(2), a.get(3));
        }
        allowed = allowed.toType(map.getDataType(), false);
        NDArray forbidden = CamMaps.dilate(allowed.neg().add(1), dilation);
        NDArray atMap = CamMaps.fitMask(forbidden, batch, m.get(1), m.get(2), what).gt(0).toType(map.getDataType(), false);
        return new RegionMasks(atMap, forbidden.neg().add(1), hasMask.toType(map.getDataType(), false).reshape(batch));
    }
}
