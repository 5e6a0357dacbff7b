package io.spotlight.trainer.suite;

import java.util.List;
import java.util.Map;

/** {@code suite.md}: one table of seed means ± standard deviations, and the targets per kind. */
public final class SuiteReport {
    private SuiteReport() {}

    @SuppressWarnings("unchecked")
    public static String markdown(Map<String, Object> suite) {
        StringBuilder md = new StringBuilder();
        md.append("# Suite: ").append(suite.get("suite")).append("\n\n");
        md.append("Mean ± sd over seeds ").append(suite.get("seeds"))
                .append(". Accuracy in percent on the test set with the shortcut randomised (`random`) and with the shortcut ")
                .append("coding the label (`label-coded`); `share`: cam_outside_share. Recommended variant: `")
                .append(suite.get("recommended")).append("`.\n\n");
        md.append("| kind | variant | head | random | label-coded | share | wall s | seeds | targets |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---|\n");
        Map<String, Map<String, Object>> kinds = (Map<String, Map<String, Object>>) suite.get("kinds");
        kinds.forEach((kind, k) -> ((Map<String, Map<String, Object>>) k.get("variants")).forEach((variant, v) ->
                ((Map<String, Map<String, Object>>) v.get("heads")).forEach((head, h) -> md.append(String.format(
                        "| %s | %s | %s | %s | %s | %s | %.1f | %s | %s |%n", kind, variant, head,
                        pm(h, "accuracy", "%.1f"), pm(h, "label_decoy_accuracy", "%.1f"), pm(h, "cam_outside_share", "%.3f"),
                        ((Number) v.get("wall_seconds_mean")).doubleValue(), v.get("seeds"),
                        v.containsKey("targets_met") ? ((Boolean) v.get("targets_met") ? "met" : "**not met**") : "")))));
        md.append("\nVariants meeting the targets on every kind: ").append(suite.get("variants_meeting_targets_on_every_kind")).append("\n");
        md.append("\n## Targets of the recommended variant per kind\n\n");
        kinds.forEach((kind, k) -> {
            Map<String, Object> rec = ((Map<String, Map<String, Object>>) k.get("variants")).get(String.valueOf(suite.get("recommended")));
            // a folder that did not train the recommended variant (a study of other variants) has
            // nothing to check: saying "NOT met" there reads as a failed target
            String verdict = rec == null ? " — not trained here (`" + suite.get("recommended") + "`)"
                    : Boolean.TRUE.equals(k.get("targets_met")) ? " — met" : " — NOT met";
            md.append("### ").append(kind).append(verdict).append("\n\n");
            if (rec != null && rec.get("targets") != null) {
                ((List<String>) rec.get("targets")).forEach(line -> md.append("- ").append(line).append("\n"));
            }
            md.append("\n");
        });
        return md.toString();
    }

    private static String pm(Map<String, Object> h, String field, String format) {
        Object mean = h.get(field + "_mean");
        if (mean == null) {
            return "-";
        }
        return String.format(format + " ± " + format, ((Number) mean).doubleValue(), ((Number) h.get(field + "_sd")).doubleValue());
    }
}
