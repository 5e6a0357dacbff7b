package io.spotlight.trainer.data;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The shortcut suite's data sets by config name, each with the integer settings it reads from its
 * config file. Adding a kind: one {@link ShortcutFashionMnist} subclass, one line here, one
 * {@code configs/dataset/NAME.conf}.
 */
public final class ShortcutKinds {
    private ShortcutKinds() {}

    /** How a kind is made and which of its config keys are its own integer settings. */
    public record Kind(Function<ShortcutFashionMnist.Builder, ShortcutFashionMnist> make, List<String> options) {}

    private static final Map<String, Kind> KINDS = Map.of(
            RandomPatchFashionMnist.NAME, new Kind(RandomPatchFashionMnist::new, List.of("patch", "canvas")),
            FrameFashionMnist.NAME, new Kind(FrameFashionMnist::new, List.of("frame")),
            DistractorFashionMnist.NAME, new Kind(DistractorFashionMnist::new, List.of()),
            LogoFashionMnist.NAME, new Kind(LogoFashionMnist::new, List.of()));

    /** @return the names of the kinds */
    public static Set<String> names() {
        return KINDS.keySet();
    }

    /** @return the kind of this name, or null */
    public static Kind get(String name) {
        return KINDS.get(name);
    }
}
