package io.spotlight.trainer.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands multirun overrides into jobs, like Hydra's basic sweeper.
 *
 * <p>An override is swept when its value has top-level commas ({@code lr=0.1,0.01}) or is
 * {@code range(start, stop[, step])} (integers, stop excluded; {@code range(stop)} starts at 0).
 * Commas inside quotes, brackets or parentheses do not split: {@code tag="a,b"} and
 * {@code channels=[16,32]} are single values. Jobs are the cartesian product in the order the
 * swept overrides were given, the last one varying fastest (Python's {@code itertools.product}):
 * {@code a=1,2 b=x,y} gives {@code a=1 b=x}, {@code a=1 b=y}, {@code a=2 b=x}, {@code a=2 b=y}.
 * Overrides that are not swept are passed to every job unchanged, in their original position.
 */
public final class Sweeps {
    private static final Pattern RANGE = Pattern.compile("range\\(([^)]*)\\)");
    private static final Pattern UNSAFE_IN_NAME = Pattern.compile("[^A-Za-z0-9._=,+-]");
    private static final int MAX_NAME_LENGTH = 120;

    private Sweeps() {}

    /** True when the override value describes several values. */
    public static boolean isSweep(String value) {
        return RANGE.matcher(value.strip()).matches() || TopLevelSplitter.split(value).size() > 1;
    }

    /** The jobs of a multirun, in the order documented above; at least one job. */
    public static List<SweepJob> expand(List<String> overrides) {
        List<ConfigOverride> parsed = new ArrayList<>();
        List<List<String>> valuesPerOverride = new ArrayList<>();
        for (String text : overrides) {
            ConfigOverride override = ConfigOverride.parse(text);
            parsed.add(override);
            valuesPerOverride.add(override.value() == null ? null : values(override));
        }
        List<SweepJob> jobs = new ArrayList<>();
        int[] position = new int[parsed.size()];
        do {
            jobs.add(job(jobs.size(), parsed, valuesPerOverride, position));
        } while (advance(position, valuesPerOverride));
        return jobs;
    }

    /** The values of one override: one element unless swept. */
    static List<String> values(ConfigOverride override) {
        String value = override.value();
        if (value.isEmpty()) {
            throw emptySweep(override);
        }
        Matcher range = RANGE.matcher(value);
        List<String> values = range.matches() ? range(override, range.group(1)) : TopLevelSplitter.split(value);
        if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
            throw emptySweep(override);
        }
        return values;
    }

    private static List<String> range(ConfigOverride override, String arguments) {
        String[] parts = arguments.split(",");
        long[] numbers = new long[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                numbers[i] = Long.parseLong(parts[i].strip());
            }
        } catch (NumberFormatException e) {
            throw new SpotlightConfigError("Override '" + override.text() + "': range() takes integers,"
                    + " as range(stop), range(start, stop) or range(start, stop, step)");
        }
        long start = parts.length == 1 ? 0 : numbers[0];
        long stop = parts.length == 1 ? numbers[0] : numbers[1];
        long step = parts.length == 3 ? numbers[2] : 1;
        if (parts.length > 3 || step == 0) {
            throw new SpotlightConfigError("Override '" + override.text() + "': range() needs 1 to 3 integers"
                    + " and a step other than 0");
        }
        List<String> values = new ArrayList<>();
        for (long v = start; step > 0 ? v < stop : v > stop; v += step) {
            values.add(Long.toString(v));
        }
        return values;
    }

    private static SpotlightConfigError emptySweep(ConfigOverride override) {
        return new SpotlightConfigError("Override '" + override.text() + "': empty sweep for '"
                + override.key() + "'; give at least one value, e.g. " + override.key() + "=a,b");
    }

    private static SweepJob job(int index, List<ConfigOverride> parsed, List<List<String>> values, int[] position) {
        List<String> overrides = new ArrayList<>();
        List<String> nameParts = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            ConfigOverride override = parsed.get(i);
            List<String> options = values.get(i);
            if (options == null || options.size() == 1 && !isSweep(override.value())) {
                overrides.add(override.text());
            } else {
                ConfigOverride chosen = override.withValue(options.get(position[i]));
                overrides.add(chosen.text());
                nameParts.add(override.key() + "=" + chosen.value());
            }
        }
        return new SweepJob(index, List.copyOf(overrides), safeName(String.join(",", nameParts)));
    }

    /** Odometer step with the last swept override fastest; false after the last combination. */
    private static boolean advance(int[] position, List<List<String>> values) {
        for (int i = position.length - 1; i >= 0; i--) {
            List<String> options = values.get(i);
            if (options == null || options.size() < 2) {
                continue;
            }
            if (++position[i] < options.size()) {
                return true;
            }
            position[i] = 0;
        }
        return false;
    }

    /** Keeps letters, digits and {@code . _ = , + -}; anything else (slashes, quotes, spaces) becomes _. */
    static String safeName(String name) {
        String safe = UNSAFE_IN_NAME.matcher(name).replaceAll("_");
        return safe.length() > MAX_NAME_LENGTH ? safe.substring(0, MAX_NAME_LENGTH) : safe;
    }
}
