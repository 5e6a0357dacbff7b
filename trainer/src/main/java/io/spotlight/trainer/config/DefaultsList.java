package io.spotlight.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The primary config's Hydra-style defaults list: which option of each group to compose, and where
 * the primary config's own keys ({@value #SELF}) go in the merge order.
 *
 * <p>Accepted entries: {@code {group = option}}, {@code {group = null}} (group listed but not
 * selected) and {@code "_self_"}. Without {@code _self_} the primary's own keys come last, so they
 * override group values. A group listed twice keeps its first position and its last option, which
 * lets an experiment {@code include} a base config and then write {@code defaults += {model = big}}.
 */
final class DefaultsList {
    static final String KEY = "defaults";
    static final String SELF = "_self_";

    private final List<String> order;
    private final Map<String, String> choices;

    private DefaultsList(List<String> order, Map<String, String> choices) {
        this.order = order;
        this.choices = choices;
    }

    static DefaultsList read(Config primary, Path primaryFile) {
        List<String> order = new ArrayList<>();
        Map<String, String> choices = new LinkedHashMap<>();
        ConfigValue list = defaultsValue(primary, primaryFile);
        if (list != null) {
            if (!(list instanceof ConfigList)) {
                throw new SpotlightConfigError("'defaults' at " + Origins.where(list)
                        + " must be a list like [ {dataset = decoy-fmnist}, {model = small-cnn} ]");
            }
            for (ConfigValue entry : (ConfigList) list) {
                readEntry(entry, order, choices);
            }
        }
        if (!order.contains(SELF)) {
            order.add(SELF);
        }
        return new DefaultsList(order, choices);
    }

    private static ConfigValue defaultsValue(Config primary, Path primaryFile) {
        try {
            // Resolve only as far as possible: `defaults += {...}` is a self-reference, while
            // interpolations into groups must wait until the groups are composed.
            Config partial = primary.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
            ConfigValue value = partial.root().get(KEY);
            if (value != null) {
                value.valueType(); // throws NotResolved when the list itself is still an interpolation
            }
            return value;
        } catch (ConfigException.NotResolved e) {
            throw new SpotlightConfigError("The defaults list of " + primaryFile
                    + " must not depend on interpolations into the composed config", e);
        }
    }

    private static void readEntry(ConfigValue entry, List<String> order, Map<String, String> choices) {
        if (entry.valueType() == ConfigValueType.STRING && SELF.equals(entry.unwrapped())) {
            if (!order.contains(SELF)) {
                order.add(SELF);
            }
            return;
        }
        if (entry instanceof ConfigObject && ((ConfigObject) entry).size() == 1) {
            ConfigObject object = (ConfigObject) entry;
            String group = object.keySet().iterator().next();
            ConfigValue option = object.get(group);
            if (option.valueType() == ConfigValueType.STRING || option.valueType() == ConfigValueType.NULL) {
                if (!choices.containsKey(group)) {
                    order.add(group);
                }
                choices.put(group, (String) option.unwrapped());
                return;
            }
        }
        throw new SpotlightConfigError("Defaults list entry at " + Origins.where(entry) + " is "
                + entry.render() + "; expected {group = option}, {group = null} or \"_self_\""
                + " (nested groups are written model/encoder, not model.encoder)");
    }

    boolean hasGroup(String group) {
        return choices.containsKey(group);
    }

    String option(String group) {
        return choices.get(group);
    }

    /** Switches, adds or drops a group as the override says. */
    void apply(ConfigOverride override) {
        String group = override.key();
        String option = override.value();
        switch (override.kind()) {
            case SET:
                choices.put(group, "null".equals(option) ? null : option);
                break;
            case ADD:
                if (choices.get(group) != null) {
                    throw new SpotlightConfigError("Override '" + override.text() + "': group '" + group
                            + "' is already in the defaults list (option '" + choices.get(group)
                            + "'); switch it with " + group + "=" + option);
                }
                if (hasGroup(group)) {
                    choices.put(group, option); // listed as {group = null}: selecting it is an add
                } else {
                    add(group, option);
                }
                break;
            case FORCE_ADD:
                if (hasGroup(group)) {
                    choices.put(group, option);
                } else {
                    add(group, option);
                }
                break;
            case DELETE:
                if (option != null && !option.equals(choices.get(group))) {
                    throw new SpotlightConfigError("Override '" + override.text() + "': group '" + group
                            + "' has option '" + choices.get(group) + "', not '" + option + "'");
                }
                choices.remove(group);
                order.remove(group);
                break;
            default:
                throw new IllegalStateException(override.kind().toString());
        }
    }

    private void add(String group, String option) {
        // Added groups go before a trailing _self_ so the primary's own keys still win.
        int at = order.get(order.size() - 1).equals(SELF) ? order.size() - 1 : order.size();
        order.add(at, group);
        choices.put(group, option);
    }

    /** Groups and {@value #SELF} in merge order: later entries override earlier ones. */
    List<String> order() {
        return Collections.unmodifiableList(order);
    }

    /** Selected option per group, in defaults-list order; disabled ({@code null}) groups left out. */
    Map<String, String> choices() {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String entry : order) {
            if (!entry.equals(SELF) && choices.get(entry) != null) {
                ordered.put(entry, choices.get(entry));
            }
        }
        return Collections.unmodifiableMap(ordered);
    }
}
