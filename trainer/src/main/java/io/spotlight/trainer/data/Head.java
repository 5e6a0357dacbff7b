package io.spotlight.trainer.data;

import java.util.List;

/**
 * One output head of a data set: what it classifies.
 *
 * @param name the head's name, e.g. {@code label}, {@code left}
 * @param classNames class names, index = label
 */
public record Head(String name, List<String> classNames) {
    /**
     * @param name the head's name
     * @param classNames class names, index = label
     */
    public Head {
        classNames = List.copyOf(classNames);
    }

    /** @return number of classes */
    public int numClasses() {
        return classNames.size();
    }
}
