package io.spotlight.trainer.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Pipeline;
import io.spotlight.losses.Annotations;
import io.spotlight.losses.GuidedLoss;
import io.spotlight.trainer.data.Head;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training set's target pipeline: DJL runs it on the batch loader's thread, on each batch's
 * labels once they are batchified (a pipeline of the whole list, not of one array: it overrides
 * {@link Pipeline#transform(NDList)}, as it reads masks and flags together). It gives the loss the batch's {@link Annotations} to
 * {@link GuidedLoss#prepare prepare} there (whether any sample is annotated, the masks fitted to the
 * maps' size), so that the training thread finds them made; the labels go on as
 * {@link Labels}, which carry them.
 */
final class AnnotationPreparation extends Pipeline {
    private final List<Head> heads;
    private final GuidedLoss loss;

    AnnotationPreparation(List<Head> heads, GuidedLoss loss) {
        this.heads = List.copyOf(heads);
        this.loss = loss;
    }

    @Override
    public NDList transform(NDList labels) {
        int n = heads.size();
        if (labels.size() != 3 * n) {
            return labels; // not this layout: BatchLayout.unpack says what is wrong, on the training thread
        }
        Annotations annotations = Annotations.of(byHead(labels, n), byHead(labels, 2 * n));
        loss.prepare(annotations);
        return new Labels(labels, annotations);
    }

    /** The batch's annotations as the loader prepared them, or made now from the unpacked arrays. */
    static Annotations of(Batch batch, Map<String, NDArray> allowed, Map<String, NDArray> hasMask) {
        return batch.getLabels() instanceof Labels l ? l.annotations : Annotations.of(allowed, hasMask);
    }

    private Map<String, NDArray> byHead(NDList labels, int offset) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int h = 0; h < heads.size(); h++) {
            out.put(heads.get(h).name(), labels.get(offset + h));
        }
        return out;
    }

    /**
     * A batch's labels, the same arrays, with the annotations made of them. Moved to another
     * device after assembly (a data set built with a device of its own), they become a plain list
     * again, and the step makes its annotations itself, on that device. (A GPU run's batches are
     * made on the trainer's manager, so on its device, and keep them; not run here: no GPU.)
     */
    static final class Labels extends NDList {
        private static final long serialVersionUID = 1L;
        private final transient Annotations annotations;

        Labels(NDList labels, Annotations annotations) {
            super(labels);
            this.annotations = annotations;
        }
    }
}
