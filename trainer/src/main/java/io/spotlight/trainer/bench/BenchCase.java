package io.spotlight.trainer.bench;

import ai.djl.ndarray.types.Shape;
import io.spotlight.losses.Amortisation;
import io.spotlight.trainer.run.ModelFactory;
import java.util.List;

/**
 * One case of the benchmark: a guided variant on a model with a number of heads and an
 * amortisation. It can be written as arguments, so that the RSS probe builds the same case in a
 * JVM of its own.
 *
 * @param model {@code small-cnn} (batch 64, 1×28×28) or {@code resnet18} (batch 32, 3×64×64)
 * @param pairs the counterfactual mix's pairs; 0 for the other variants
 */
record BenchCase(BenchCommand.Variant variant, String model, int heads, Amortisation amortisation, int pairs) {
    Shape input() {
        return model.equals("resnet18") ? new Shape(32, 3, 64, 64) : new Shape(64, 1, 28, 28);
    }

    /** The case's model, freshly initialised, and its guided and baseline steps. */
    StepBench open() {
        return open(ai.djl.Device.cpu());
    }

    /** The same on {@code device}. */
    StepBench open(ai.djl.Device device) {
        if (model.equals("resnet18")) {
            ModelFactory.BuiltModel resnet = BenchCommand.resnet(heads);
            String layer = variant.resnetAlias() == null ? null : resnet.layer(variant.resnetAlias());
            return new StepBench(resnet.block(), input(), variant.term(layer, pairs), amortisation, device);
        }
        return new StepBench(BenchCommand.smallCnn(heads), input(), variant.term(variant.smallCnnLayer(), pairs), amortisation, device);
    }

    String layer() {
        if (variant.resnetAlias() == null) {
            return "input";
        }
        return model.equals("resnet18") ? BenchCommand.resnet(heads).layer(variant.resnetAlias()) : variant.smallCnnLayer();
    }

    List<String> args() {
        return List.of(variant.name(), model, Integer.toString(heads), Integer.toString(amortisation.every()),
                Integer.toString(amortisation.subBatch()), Integer.toString(pairs));
    }

    static BenchCase fromArgs(List<String> args) {
        return new BenchCase(BenchCommand.variant(args.get(0)), args.get(1), Integer.parseInt(args.get(2)),
                new Amortisation(Integer.parseInt(args.get(3)), Integer.parseInt(args.get(4))), Integer.parseInt(args.get(5)));
    }

    /** {@code K} or {@code K/S}: guidance every K-th step, on S samples (whole batch without S). */
    static Amortisation parseAmortisation(String text) {
        String[] parts = text.strip().split("/");
        try {
            if (parts.length > 2) {
                throw new NumberFormatException(text);
            }
            return new Amortisation(Integer.parseInt(parts[0]), parts.length == 2 ? Integer.parseInt(parts[1]) : 0);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--amortise: '" + text + "' is not K or K/S (guide every K-th step,"
                    + " on S samples of the batch; e.g. 1, 4 or 4/16): " + e.getMessage(), e);
        }
    }
}
