package io.spotlight.cam;

import io.spotlight.cam.method.CamMethod;
import io.spotlight.cam.method.GradCam;
import io.spotlight.cam.target.CamTarget;
import io.spotlight.cam.target.Targets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which maps to compute: layers, heads, method, targets, gradient mode. Build with {@link #builder()}. */
public final class CamRequest {
    private final List<String> layers;
    private final List<String> heads;
    private final CamMethod method;
    private final CamTarget defaultTarget;
    private final Map<String, CamTarget> targets;
    private final GradientMode mode;
    private final boolean training;
    private final Precision precision;

    private CamRequest(Builder b) {
        if (b.layers.isEmpty()) {
            throw new CamException("a CAM request needs at least one target layer");
        }
        this.layers = List.copyOf(b.layers);
        this.heads = b.heads == null ? null : List.copyOf(b.heads);
        this.method = b.method;
        this.defaultTarget = b.defaultTarget;
        this.targets = Map.copyOf(b.targets);
        this.mode = b.mode;
        this.training = b.training;
        this.precision = b.precision;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> layers() {
        return layers;
    }

    /** The heads to explain, or null for all of the model's heads. */
    public List<String> heads() {
        return heads;
    }

    public CamMethod method() {
        return method;
    }

    public CamTarget target(String head) {
        return targets.getOrDefault(head, defaultTarget);
    }

    public GradientMode mode() {
        return mode;
    }

    /** Whether the forward runs in training mode (BatchNorm batch statistics, Dropout on). */
    public boolean training() {
        return training;
    }

    /** The number format of the maps' arithmetic (see {@link Precision}). */
    public Precision precision() {
        return precision;
    }

    public static final class Builder {
        private final List<String> layers = new ArrayList<>();
        private List<String> heads;
        private CamMethod method = new GradCam();
        private CamTarget defaultTarget = Targets.label();
        private final Map<String, CamTarget> targets = new HashMap<>();
        private GradientMode mode = GradientMode.EXACT;
        private boolean training = true;
        private Precision precision = Precision.FP32;

        public Builder layer(String layer) {
            layers.add(layer);
            return this;
        }

        public Builder layers(List<String> names) {
            layers.addAll(names);
            return this;
        }

        public Builder heads(List<String> names) {
            heads = names;
            return this;
        }

        public Builder method(CamMethod m) {
            method = m;
            return this;
        }

        /** Target for every head without its own. Default: each sample's label. */
        public Builder target(CamTarget t) {
            defaultTarget = t;
            return this;
        }

        public Builder target(String head, CamTarget t) {
            targets.put(head, t);
            return this;
        }

        public Builder mode(GradientMode m) {
            mode = m;
            return this;
        }

        public Builder training(boolean t) {
            training = t;
            return this;
        }

        public Builder precision(Precision p) {
            precision = p;
            return this;
        }

        public CamRequest build() {
            return new CamRequest(this);
        }
    }
}
