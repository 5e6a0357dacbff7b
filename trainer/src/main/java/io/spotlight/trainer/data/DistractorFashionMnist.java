package io.spotlight.trainer.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #NAME}: a distractor object. The garment to classify on the left of a 28×56 canvas, a
 * second garment on the right whose class codes a class (at training time the label's: the two
 * agree, so either half tells the label). The mask forbids the right half. The distractor is an
 * item of the coded class drawn from the same split's pool with the sample's generator; the clean
 * reference leaves the right half empty.
 */
public final class DistractorFashionMnist extends ShortcutFashionMnist {
    public static final String NAME = "distractor-fmnist";
    private static final int SIDE = FashionMnistArrays.SIDE;

    /** Items of the pool by class, for drawing a distractor of a given class. */
    private List<List<Integer>> byClass;

    public DistractorFashionMnist(Builder builder) {
        super(builder);
    }

    @Override
    protected void load() throws IOException {
        super.load();
        byClass = new ArrayList<>();
        for (int k = 0; k < FashionMnistArrays.NUM_CLASSES; k++) {
            byClass.add(new ArrayList<>());
        }
        for (int item : pool) {
            byClass.get(source.label(item)).add(item);
        }
    }

    @Override
    protected int height() {
        return SIDE;
    }

    @Override
    protected int width() {
        return 2 * SIDE;
    }

    @Override
    protected void drawShortcut(Canvas c, int codedClass) {
        long pick = c.random().nextLong() >>> 1; // drawn whatever the class, see the superclass
        c.forbid(0, SIDE, SIDE, SIDE);
        if (codedClass < 0) {
            return;
        }
        List<Integer> candidates = byClass.get(codedClass);
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no item of class " + codedClass + " in the " + usage + " subset to draw a distractor from");
        }
        int other = candidates.get((int) (pick % candidates.size()));
        if (other == c.item() && candidates.size() > 1) {
            other = candidates.get((int) ((pick + 1) % candidates.size())); // another item than the one classified
        }
        source.copyInto(other, c.image(), width(), 0, SIDE);
    }
}
