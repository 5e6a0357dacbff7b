package io.spotlight.losses;

import io.spotlight.cam.CamException;
import java.util.List;

/** Map penalties by the names used in configs. */
public final class MapPenalties {
    public static final List<String> NAMES = List.of("outside_share", "outside_share_abs", "rrr_g", "hint", InputGradientPenalty.NAME,
            CounterfactualConsistency.NAME, CounterfactualConsistency.PAIR, CounterfactualAugmentation.NAME,
            CounterfactualAugmentation.PAIR);

    private MapPenalties() {}

    /** The CAM-based penalty {@code name}; {@code rrr} is not one (see {@link InputGradientPenalty}). */
    public static MapPenalty byName(String name) {
        switch (name) {
            case "outside_share":
                return new OutsideShare();
            case "outside_share_abs":
                return new OutsideShare(OutsideShare.Mass.ABS);
            case "rrr_g":
                return new RrrG();
            case "hint":
                return new Hint();
            default:
                throw new CamException("unknown penalty '" + name + "'; expected one of " + NAMES);
        }
    }
}
