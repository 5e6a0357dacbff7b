package io.spotlight.trainer.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import io.spotlight.cam.CamComputer;
import io.spotlight.cam.CamRequest;
import io.spotlight.cam.CamResult;
import io.spotlight.cam.map.CamMaps;
import io.spotlight.cam.metric.MetricInput;
import io.spotlight.cam.metric.MetricMaps;
import io.spotlight.cam.metric.MetricSet;
import io.spotlight.cam.metric.Scorer;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.model.CamModel;
import io.spotlight.cam.model.Taps;
import io.spotlight.losses.OutsideShare;
import io.spotlight.losses.RegionMasks;
import io.spotlight.trainer.data.AbstractGuidedDataset;
import io.spotlight.trainer.data.GuidedBatch;
import io.spotlight.trainer.data.Head;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Accuracy per head, the share of CAM mass outside the allowed region, and the map metrics, in eval mode. */
public final class Evaluation {
    private Evaluation() {}

    /** Accuracy in percent per head over the whole dataset. */
    public static Map<String, Double> accuracy(CamModel model, ParameterStore ps, AbstractGuidedDataset data, NDManager manager) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (Head h : data.heads()) {
            counts.put(h.name(), new long[2]);
        }
        try {
            for (Batch batch : data.getData(manager)) {
                try (batch) {
                    GuidedBatch b = data.layout().unpack(batch);
                    Taps taps = model.forward(ps, b.images(), false, List.of());
                    for (int h = 0; h < data.heads().size(); h++) {
                        String head = data.heads().get(h).name();
                        NDArray pred = taps.output(h).argMax(1).toType(DataType.INT64, false);
                        long correct = pred.eq(b.label(head).toType(DataType.INT64, false)).sum().getLong();
                        counts.get(head)[0] += correct;
                        counts.get(head)[1] += b.size();
                    }
                }
            }
        } catch (IOException | ai.djl.translate.TranslateException e) {
            throw new UncheckedIOException(new IOException("evaluation failed: " + e.getMessage(), e));
        }
        Map<String, Double> acc = new LinkedHashMap<>();
        counts.forEach((head, c) -> acc.put(head, 100.0 * c[0] / Math.max(1, c[1])));
        return acc;
    }

    /**
     * CAM shares per head, over the first {@code maxSamples} test images: {@code
     * cam_outside_share/HEAD}, the mean share of positive mass outside the allowed region (no
     * dilation) over annotated samples, and with {@code sideBySide} (one item per head, left to
     * right, as in two-item-fmnist) {@code cam_inside_own_item/HEAD}, the mean share of positive
     * mass in the head's own column band.
     */
    public static Map<String, Double> camShares(CamModel model, ParameterStore ps, AbstractGuidedDataset data,
            NDManager manager, String method, String layer, int maxSamples, boolean sideBySide) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        int heads = data.heads().size();
        forEachCamBatch(model, ps, data, manager, method, layer, maxSamples, (b, r, scope) -> {
            for (int hi = 0; hi < heads; hi++) {
                Head h = data.heads().get(hi);
                NDArray map = r.map(h.name(), layer);
                NDArray has = b.hasMask(h.name());
                RegionMasks masks = RegionMasks.fit(b.allowedMask(h.name()), has, map, 0, "mask of head '" + h.name() + "'");
                NDArray share = OutsideShare.unfloored().perSample(map, masks).mul(masks.hasMask());
                add(sums, "cam_outside_share/" + h.name(), share.sum(), masks.hasMask().sum());
                if (sideBySide) {
                    NDArray mass = CamMaps.relu(map);
                    long w = map.getShape().get(2);
                    String band = String.format(":, :, %d:%d", w * hi / heads, w * (hi + 1) / heads);
                    NDArray inside = mass.get(band).sum(new int[] {1, 2}).div(mass.sum(new int[] {1, 2}).add(CamMaps.EPS));
                    add(sums, "cam_inside_own_item/" + h.name(), inside.sum(), scope.create((float) b.size()));
                }
            }
        });
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((key, s) -> {
            if (s[1] > 0) {
                out.put(key, s[0] / s[1]);
            }
        });
        return out;
    }

    /** The map metrics of {@link #mapMetrics}: {@code METRIC/HEAD} means, and what was left out and why. */
    public record MapMetrics(Map<String, Double> values, List<String> notes) {}

    /**
     * The map metrics ({@code eval.metrics}) per head over the first {@code maxSamples} test images,
     * with maps of {@code method} at {@code layer} for each head's label; keys {@code METRIC/HEAD}.
     */
    public static MapMetrics mapMetrics(CamModel model, ParameterStore ps, AbstractGuidedDataset data, NDManager manager,
            String method, String layer, int maxSamples, MetricSet set) {
        forEachCamBatch(model, ps, data, manager, method, layer, maxSamples, (b, r, scope) -> {
            long height = b.images().getShape().get(2);
            long width = b.images().getShape().get(3);
            for (Head h : data.heads()) {
                NDArray maps = MetricMaps.atInput(r.map(h.name(), layer), height, width);
                NDArray allowed = b.allowedMask(h.name()).reshape(b.size(), height, width);
                set.add(h.name(), new MetricInput(b.images(), maps, b.label(h.name()).toType(DataType.INT64, false), allowed,
                        b.hasMask(h.name()), Scorer.probability(model, ps, h.name(), 500)));
            }
        });
        Map<String, Double> out = new LinkedHashMap<>();
        for (String head : set.heads()) {
            set.means(head).forEach((metric, v) -> out.put(metric + "/" + head, v));
        }
        return new MapMetrics(out, set.notes());
    }

    private interface CamBatch {
        void accept(GuidedBatch batch, CamResult maps, NDManager scope);
    }

    /**
     * The maps (eval mode, each head's label) of the first {@code maxSamples} test images, batch by
     * batch; the last batch is cut to what is left, so every consumer sees exactly those images.
     */
    private static void forEachCamBatch(CamModel model, ParameterStore ps, AbstractGuidedDataset data, NDManager manager,
            String method, String layer, int maxSamples, CamBatch action) {
        CamComputer computer = new CamComputer(model);
        long seen = 0;
        try {
            for (Batch batch : data.getData(manager)) {
                try (batch; NDManager scope = manager.newSubManager()) {
                    if (seen >= maxSamples) {
                        break;
                    }
                    GuidedBatch b = first(data.layout().unpack(batch), maxSamples - seen);
                    Map<String, NDArray> labels = new HashMap<>();
                    data.heads().forEach(h -> labels.put(h.name(), b.label(h.name())));
                    CamResult r = computer.compute(ps, b.images(), labels, CamRequest.builder()
                            .layer(layer).method(CamMethods.byName(method)).training(false).build());
                    action.accept(b, r, scope);
                    seen += b.size();
                }
            }
        } catch (IOException | ai.djl.translate.TranslateException e) {
            throw new UncheckedIOException(new IOException("CAM evaluation failed: " + e.getMessage(), e));
        }
    }

    /** The first {@code n} samples of a batch (the batch itself if it has no more). */
    private static GuidedBatch first(GuidedBatch b, long n) {
        if (n >= b.size()) {
            return b;
        }
        NDIndex first = new NDIndex("0:{}", n);
        return new GuidedBatch(b.heads(), b.images().get(first), b.labels().stream().map(a -> a.get(first)).toList(),
                b.allowedMasks().stream().map(a -> a.get(first)).toList(), b.hasMask().stream().map(a -> a.get(first)).toList());
    }

    private static void add(Map<String, double[]> sums, String key, NDArray total, NDArray count) {
        double[] s = sums.computeIfAbsent(key, k -> new double[2]);
        s[0] += total.toType(DataType.FLOAT64, false).getDouble();
        s[1] += count.toType(DataType.FLOAT64, false).getDouble();
    }
}
